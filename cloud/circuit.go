package cloud

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptrace"
	"sync"
	"time"
)

// circuit remembers, for the life of one client (one command), each
// endpoint where an attempt ran out of time before a connection was made
// (TCP connect or TLS handshake): every other call would wait the same
// way, so they fail at once with the same cause instead of five attempts
// each, call after call. An endpoint that answered slowly, throttled or
// failed with a 5xx is not dead and keeps its backoff.
type circuit struct {
	// redirect is the host of --endpoint, where every call goes when set.
	redirect string
	mu       sync.Mutex
	dead     map[string]deadEndpointError
}

// deadEndpointError is the failure of a call not made because its endpoint
// did not connect on an earlier one.
type deadEndpointError struct {
	endpoint string
	first    string
	after    time.Duration
}

func (e deadEndpointError) Error() string {
	return fmt.Sprintf("endpoint %s did not complete a connection within %s (first seen on %s); asmlink does not call it again in this command",
		e.endpoint, e.after, e.first)
}

// endpoint is where req goes: the --endpoint host, or the product's host.
func (c *circuit) endpoint(req *http.Request) string {
	if c.redirect != "" {
		return c.redirect
	}
	return req.URL.Host
}

// open returns the error of a dead endpoint, if it is one.
func (c *circuit) open(endpoint string) (deadEndpointError, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.dead[endpoint]
	return e, ok
}

// trip marks endpoint dead, the first time with what found it so.
func (c *circuit) trip(endpoint, api string, after time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.dead[endpoint]; ok {
		return
	}
	if c.dead == nil {
		c.dead = map[string]deadEndpointError{}
	}
	c.dead[endpoint] = deadEndpointError{endpoint: endpoint, first: api, after: after}
}

// roundTrip sends req through next unless its endpoint is dead, and trips
// the endpoint when the attempt timed out (ctx's deadline, or the
// transport's own dial or TLS handshake timeout) before any connection was
// got.
func (c *circuit) roundTrip(ctx context.Context, next http.RoundTripper, req *http.Request, api string, timeout time.Duration) (*http.Response, error) {
	endpoint := c.endpoint(req)
	if e, ok := c.open(endpoint); ok {
		return nil, e
	}
	var mu sync.Mutex
	connected := false
	trace := &httptrace.ClientTrace{GotConn: func(httptrace.GotConnInfo) { mu.Lock(); connected = true; mu.Unlock() }}
	resp, err := next.RoundTrip(req.WithContext(httptrace.WithClientTrace(ctx, trace)))
	mu.Lock()
	var ne net.Error
	stalled := err != nil && !connected && (ctx.Err() == context.DeadlineExceeded || errors.As(err, &ne) && ne.Timeout())
	mu.Unlock()
	if stalled {
		c.trip(endpoint, api, timeout)
	}
	return resp, err
}
