// Package kube is asmlink's connection to an ASM instance's own Kubernetes
// API server, where the ASMPvlConfig resource lives: it connects from a
// kubeconfig (file, context, $KUBECONFIG, or the bytes ASM returns), reads
// ASMPvlConfig/default, applies one cluster's change with server-side apply
// under the field manager "asmlink" without touching any other cluster's
// entry, and watches the object's status with resume. It knows nothing of
// Alibaba Cloud's SDK or the terminal.
//
// The same Client type runs against a real API server or, for `asmlink demo`
// and `asmlink sim`, the simulator's in-memory one, which it reaches over
// HTTPS like any other (cloud/sim).
package kube

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/klog/v2"

	"github.com/asmlink/asmlink/spec"
)

// FieldManager is the name asmlink's server-side applies are recorded under
// in managedFields.
const FieldManager = "asmlink"

// Source says where the kubeconfig of the ASM instance's API server comes
// from. The first one set wins: Kubeconfig, Path, Env.
type Source struct {
	// Kubeconfig is a whole kubeconfig, as DescribeServiceMeshKubeconfig
	// returns it. It is held in memory only: never written, printed or logged.
	Kubeconfig []byte
	// Path is a kubeconfig file (--kubeconfig).
	Path string
	// Env is the value of $KUBECONFIG: one file or a list of files.
	Env string
	// Context is the context to use (--context); empty means the current one.
	Context string
	// Timeout bounds each request (--request-timeout); 0 means RequestTimeout.
	Timeout time.Duration
}

// ErrNoKubeconfig means Source names no kubeconfig: the caller fetches the
// ASM instance's own with DescribeServiceMeshKubeconfig and sets Kubeconfig.
var ErrNoKubeconfig = errors.New("no kubeconfig given: pass --kubeconfig or set KUBECONFIG, or let asmlink fetch the ASM instance's kubeconfig from ASM")

// NotASMError means the API server has no ASMPvlConfig kind, so the
// kubeconfig is probably not an ASM instance's (for example an ACK cluster's).
type NotASMError struct {
	// Server is the API server's URL.
	Server string
}

func (e *NotASMError) Error() string {
	return fmt.Sprintf("the API server at %s has no %s kind (%s): this is probably not an ASM instance's kubeconfig "+
		"(an ACK cluster's, perhaps). Use the ASM instance's own: leave --kubeconfig and KUBECONFIG unset so asmlink fetches it from ASM, "+
		"or get it in the ASM console (instance > Basic Information > Connection) or with "+
		"`aliyun servicemesh DescribeServiceMeshKubeconfig --ServiceMeshId <mesh-id>`", e.Server, spec.Kind, spec.APIVersion)
}

// RESTConfig turns a Source into a client configuration, without contacting
// the server.
func RESTConfig(src Source) (*rest.Config, error) {
	var cc clientcmd.ClientConfig
	overrides := &clientcmd.ConfigOverrides{CurrentContext: src.Context}
	switch {
	case len(src.Kubeconfig) > 0:
		raw, err := clientcmd.Load(src.Kubeconfig)
		if err != nil {
			return nil, fmt.Errorf("the ASM instance's kubeconfig cannot be read: %w", err)
		}
		cc = clientcmd.NewNonInteractiveClientConfig(*raw, src.Context, overrides, nil)
	case src.Path != "":
		cc = clientcmd.NewNonInteractiveDeferredLoadingClientConfig(&clientcmd.ClientConfigLoadingRules{ExplicitPath: src.Path}, overrides)
	case src.Env != "":
		cc = clientcmd.NewNonInteractiveDeferredLoadingClientConfig(&clientcmd.ClientConfigLoadingRules{Precedence: filepath.SplitList(src.Env)}, overrides)
	default:
		return nil, ErrNoKubeconfig
	}
	cfg, err := cc.ClientConfig()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", describeSource(src), err)
	}
	if src.Timeout > 0 {
		cfg.Timeout = src.Timeout
	}
	return cfg, nil
}

// describeSource names where a kubeconfig came from, for error messages.
func describeSource(src Source) string {
	switch {
	case len(src.Kubeconfig) > 0:
		return "the ASM instance's kubeconfig"
	case src.Path != "":
		return "--kubeconfig " + src.Path
	default:
		return "KUBECONFIG " + src.Env
	}
}

// Connect builds a Client from src and checks, through discovery, that the
// server serves ASMPvlConfig; when it does not, the error is a *NotASMError.
func Connect(ctx context.Context, src Source) (*Client, error) {
	cfg, err := RESTConfig(src)
	if err != nil {
		return nil, err
	}
	return NewForConfig(ctx, cfg)
}

// RequestTimeout bounds every request to the ASM API server but a watch's
// stream: it is rest.Config.Timeout of the client, the deadline of each call's
// context, and the longest wait for a watch's first answer. A server that
// accepts the connection and then stalls is reported after it, never waited
// on for ever. Source.Timeout (--request-timeout) replaces it.
const RequestTimeout = 30 * time.Second

// watchSeconds is how long the server is asked to keep each watch open; it
// then ends it cleanly and the watcher reopens it. A real server does so
// to the second, so a watch silent for watchIdle has a stalled server
// behind it (a network cut, a frozen process): the watcher says so and
// reconnects, within seconds of the outage rather than at the next change.
const (
	watchSeconds = 10
	watchIdle    = watchSeconds*time.Second + 5*time.Second
)

// NewForConfig builds a Client for the API server cfg points to and checks
// that it serves ASMPvlConfig. Every request has a deadline (RequestTimeout),
// and nothing it does at connect or later ignores ctx: the REST mapping of
// ASMPvlConfig is built in, not discovered.
func NewForConfig(ctx context.Context, cfg *rest.Config) (*Client, error) {
	quietLibraries()
	cfg = rest.CopyConfig(cfg)
	cfg.UserAgent = "asmlink"
	// Warnings from the server would otherwise go straight to stderr, under
	// the terminal UI.
	cfg.WarningHandler = rest.NoWarnings{}
	// A watch is a stream that stays open: its client has no overall
	// timeout, and the watcher bounds its first answer and its silences.
	watchCfg := rest.CopyConfig(cfg)
	if cfg.Timeout <= 0 {
		cfg.Timeout = RequestTimeout
	}
	if err := checkServesASMPvlConfig(ctx, cfg); err != nil {
		return nil, err
	}
	c, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("connecting to the ASM API server at %s: %w", cfg.Host, err)
	}
	w, err := dynamic.NewForConfig(watchCfg)
	if err != nil {
		return nil, fmt.Errorf("connecting to the ASM API server at %s: %w", cfg.Host, err)
	}
	raw, err := rawClient(cfg)
	if err != nil {
		return nil, fmt.Errorf("connecting to the ASM API server at %s: %w", cfg.Host, err)
	}
	return &Client{c: c, w: w, timeout: cfg.Timeout, endsWatches: true, manager: FieldManager, server: strings.TrimSuffix(cfg.Host, "/"), raw: raw, shapes: &shapeCache{}}, nil
}

// rawClient is a REST client for any path of the server cfg points to.
// Its codecs know metav1's kinds, so an error carries the message of the
// Status the server answered with.
func rawClient(cfg *rest.Config) (*rest.RESTClient, error) {
	scheme := runtime.NewScheme()
	metav1.AddToGroupVersion(scheme, schema.GroupVersion{Version: "v1"})
	cfg = rest.CopyConfig(cfg)
	cfg.NegotiatedSerializer = serializer.NewCodecFactory(scheme).WithoutConversion()
	return rest.UnversionedRESTClientFor(cfg)
}

// checkServesASMPvlConfig asks discovery whether the server has the kind,
// within ctx and cfg's timeout.
func checkServesASMPvlConfig(ctx context.Context, cfg *rest.Config) error {
	raw, err := rawClient(cfg)
	if err != nil {
		return fmt.Errorf("connecting to the ASM API server at %s: %w", cfg.Host, err)
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	type result struct {
		found bool
		err   error
	}
	done := make(chan result, 1)
	go func() {
		list, err := resourcesOf(ctx, raw)
		if err != nil {
			done <- result{err: err}
			return
		}
		for _, r := range list.APIResources {
			if r.Kind == spec.Kind && r.Name == spec.Resource {
				done <- result{found: true}
				return
			}
		}
		done <- result{}
	}()
	timedOut := &TimeoutError{Server: cfg.Host, Doing: "asking which kinds it serves", After: cfg.Timeout}
	select {
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return timedOut
		}
		return fmt.Errorf("connecting to the ASM API server at %s: %w", cfg.Host, ctx.Err())
	case r := <-done:
		switch {
		case r.err != nil && apierrors.IsNotFound(r.err):
			return &NotASMError{Server: cfg.Host}
		case r.err != nil && isTimeout(r.err):
			timedOut.Cause = r.err.Error()
			return timedOut
		case r.err != nil:
			return fmt.Errorf("asking the ASM API server at %s which kinds it serves: %w", cfg.Host, r.err)
		case !r.found:
			return &NotASMError{Server: cfg.Host}
		}
		return nil
	}
}

var quietOnce sync.Once

// quietLibraries stops client-go (klog) from logging to
// stderr, which belongs to asmlink's terminal UI; asmlink reports every
// error it acts on itself.
func quietLibraries() {
	quietOnce.Do(func() {
		klog.SetOutput(io.Discard)
		klog.LogToStderr(false)
	})
}
