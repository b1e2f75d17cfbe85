// Package stall serves tests a loopback listener that accepts connections
// and never answers, not even a TLS handshake: the endpoint of a cloud API
// or an API server that hangs.
package stall

import (
	"net"
	"sync"
	"testing"
)

// Listen returns the address (host:port) of a listener that accepts every
// connection and holds it open, silent, until the test ends.
func Listen(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return ln.Addr().String()
}
