package frontproxy

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"
)

// A streamed response must reach the browser chunk by chunk (terminals, logs,
// server-sent events), not when the IDE ends it.
func TestStreamingIsFlushed(t *testing.T) {
	release := make(chan struct{})
	h := newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain") // not SSE: no special-casing by the proxy
		for i := range 3 {
			fmt.Fprintf(w, "data: %d\n", i)
			http.NewResponseController(w).Flush()
			select {
			case <-release:
			case <-r.Context().Done():
				return
			}
		}
	}), nil)
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, h.url+testPrefix+"/events", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("no response headers while the IDE held the response open: %v", err)
	}
	defer resp.Body.Close()
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	for i := range 3 {
		select {
		case got := <-lines:
			if want := fmt.Sprintf("data: %d", i); got != want {
				t.Fatalf("line %q, want %q", got, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("chunk %d did not arrive while the IDE held the response open", i)
		}
		release <- struct{}{}
	}
}
