package kube

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"

	"github.com/asmlink/asmlink/spec"
)

// Client reads, applies and watches ASMPvlConfig/default in one ASM
// instance's API server. It is safe for concurrent use.
type Client struct {
	// c makes every request but watches, each within timeout; w opens
	// watches, whose streams stay open (see NewForConfig). Both are
	// client-go's dynamic client: the REST mapping of the two kinds asmlink
	// writes is built in (GVR, GatewayGVR), so nothing is discovered and no
	// scheme of built-in kinds is linked.
	c, w    dynamic.Interface
	timeout time.Duration
	// endsWatches tells whether the server ends each watch after its
	// TimeoutSeconds, as a real API server does and the in-memory one does
	// not; only then is a silent watch a stalled server.
	endsWatches bool
	manager     string
	server      string
	// raw asks the server for what the dynamic client does not read: the
	// schema, discovery (Shape) and access reviews.
	raw    rest.Interface
	shapes *shapeCache
}

// GVK is the ASMPvlConfig kind, and GVR its resource.
var (
	GVK = schema.GroupVersionKind{Group: spec.Group, Version: spec.Version, Kind: spec.Kind}
	GVR = schema.GroupVersionResource{Group: spec.Group, Version: spec.Version, Resource: spec.Resource}
)

// Server is the API server's URL ("memory" for an in-memory one).
func (c *Client) Server() string { return c.server }

// FieldManager is the field manager this client's writes are recorded under.
func (c *Client) FieldManager() string { return c.manager }

// WithFieldManager returns a client for the same API server that writes as
// another field manager, for example the simulated ASM controller.
func (c *Client) WithFieldManager(name string) *Client {
	cp := *c
	cp.manager = name
	return &cp
}

// Get reads ASMPvlConfig/default. It returns nil, and no error, when the
// object does not exist.
func (c *Client) Get(ctx context.Context) (*spec.ASMPvlConfig, error) {
	cfg, _, err := c.get(ctx)
	return cfg, err
}

// get reads the object and also returns it as the server sent it (nil when
// absent), with its managedFields.
func (c *Client) get(ctx context.Context) (*spec.ASMPvlConfig, *unstructured.Unstructured, error) {
	ctx, cancel := c.callContext(ctx)
	defer cancel()
	u, err := c.c.Resource(GVR).Get(ctx, spec.Name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, c.wrap("reading", err)
	}
	cfg, err := fromUnstructured(u)
	if err != nil {
		return nil, nil, err
	}
	return cfg, u, nil
}

// callContext is ctx with the deadline of one request.
func (c *Client) callContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, c.timeout)
}

// wrap says what the client was doing and where when err happened. A
// request that ran out of its own time (RequestTimeout, or a cancelled
// stream) becomes a *TimeoutError, which names the server and the fix
// and is not a context.DeadlineExceeded: that one means a wait timed out.
func (c *Client) wrap(doing string, err error) error {
	if !errors.Is(err, context.Canceled) && isTimeout(err) {
		return &TimeoutError{Server: c.server, Doing: doing + " " + spec.Kind + "/" + spec.Name, After: c.timeout, Cause: err.Error()}
	}
	return fmt.Errorf("%s %s/%s on the ASM API server at %s: %w", doing, spec.Kind, spec.Name, c.server, err)
}

// isTimeout tells whether err is a request that did not answer in time:
// a deadline, a net.Error timeout, or the server's own 504.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) || apierrors.IsTimeout(err)
}

// TimeoutError means the ASM API server accepted the request (or the
// connection) but did not answer within the request timeout.
type TimeoutError struct {
	Server string
	// Doing is what asmlink asked, e.g. "reading ASMPvlConfig/default".
	Doing string
	After time.Duration
	// Cause is the transport's own words.
	Cause string
}

func (e *TimeoutError) Error() string {
	cause := ""
	if e.Cause != "" {
		cause = ": " + e.Cause
	}
	return fmt.Sprintf("the ASM API server at %s did not answer within %s (%s)%s; check that the network reaches it "+
		"(--private-address from inside the mesh's VPC) and that the server is up, or raise --request-timeout", e.Server, e.After, e.Doing, cause)
}

// newObject is an empty ASMPvlConfig/default for the client to fill.
// dryRunAll is the dryRun option of a write: all its stages, or none.
func dryRunAll(dryRun bool) []string {
	if dryRun {
		return []string{metav1.DryRunAll}
	}
	return nil
}

func newObject() *unstructured.Unstructured {
	u := &unstructured.Unstructured{}
	u.SetGroupVersionKind(GVK)
	u.SetName(spec.Name)
	return u
}

// fromUnstructured converts the server's object into spec's types, keeping
// what spec models (name, resourceVersion, labels, annotations, spec,
// status).
func fromUnstructured(u *unstructured.Unstructured) (*spec.ASMPvlConfig, error) {
	cfg := &spec.ASMPvlConfig{}
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, cfg); err != nil {
		return nil, fmt.Errorf("the API server's %s/%s does not fit asmlink's model of it: %w", spec.Kind, u.GetName(), err)
	}
	return cfg, nil
}

// toUnstructured converts spec's types into an object for the server,
// dropping null values, which server-side apply would read as "remove".
func toUnstructured(cfg *spec.ASMPvlConfig) (*unstructured.Unstructured, error) {
	m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(cfg)
	if err != nil {
		return nil, fmt.Errorf("encoding %s/%s: %w", spec.Kind, cfg.Metadata.Name, err)
	}
	dropNulls(m)
	return &unstructured.Unstructured{Object: m}, nil
}

// dropNulls removes nil values from nested maps and lists in place.
func dropNulls(v any) {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			if e == nil {
				delete(t, k)
				continue
			}
			dropNulls(e)
		}
	case []any:
		for _, e := range t {
			dropNulls(e)
		}
	}
}
