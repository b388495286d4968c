package engine

import (
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
)

// relayName is the file name nbkit's own executable takes inside the relay
// image. Any binary that links this package (nbkit itself, and the test
// binaries of the packages that probe containers) acts as the relay when it is
// started under this name, so no separate relay binary has to be built or shipped.
const relayName = "nbkit-relay"

// relayReady is written to stdout once the relay has connected, so the dialing
// side can tell a refused connection from an accepted one before any HTTP is sent.
const relayReady = 0x06

func init() {
	if filepath.Base(os.Args[0]) == relayName {
		os.Exit(relayMain(os.Args[1:]))
	}
}

// relayMain runs inside the helper container. "idle" keeps the container alive
// until it is stopped; an address pipes stdin and stdout to a TCP connection.
func relayMain(args []string) int {
	if len(args) != 1 {
		fmt.Fprintf(os.Stderr, "usage: %s idle|HOST:PORT\n", relayName)
		return 2
	}
	if args[0] == "idle" {
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
		<-sig
		return 0
	}
	conn, err := net.Dial("tcp", args[0])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if _, err := os.Stdout.Write([]byte{relayReady}); err != nil {
		return 1
	}
	done := make(chan struct{})
	go func() {
		io.Copy(conn, os.Stdin)
		conn.(*net.TCPConn).CloseWrite()
		close(done)
	}()
	io.Copy(os.Stdout, conn)
	return 0
}
