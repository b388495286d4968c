package frontproxy

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// backendTransport talks to the IDE over loopback. Unlike
// http.DefaultTransport it never goes through an HTTP_PROXY from the pod's
// environment, and keeps enough idle connections for a browser's parallel
// asset loads (the default keeps two and reconnects for the rest).
func backendTransport() *http.Transport {
	return &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        64,
		MaxIdleConnsPerHost: 64,
		IdleConnTimeout:     90 * time.Second,
	}
}

// bufferPool reuses the copy buffers of proxied bodies, which keeps the heap,
// and so the resident memory, flat under load.
type bufferPool struct{ p sync.Pool }

func newBufferPool() *bufferPool {
	return &bufferPool{p: sync.Pool{New: func() any { b := make([]byte, 32*1024); return &b }}}
}

func (b *bufferPool) Get() []byte  { return *b.p.Get().(*[]byte) }
func (b *bufferPool) Put(s []byte) { b.p.Put(&s) }
