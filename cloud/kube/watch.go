package kube

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/asmlink/asmlink/spec"
)

// Update is one observation of ASMPvlConfig/default, spec and status (both
// links) together.
type Update struct {
	// Config is the object as the server has it; nil when it does not exist.
	// When Err is set it repeats the last state seen.
	Config *spec.ASMPvlConfig
	// Err is set while the watch is cut off from the server and retrying:
	// it is the last error seen. The next update without Err is the
	// server's current state.
	Err error
}

// WatchOptions tune Watch.
type WatchOptions struct {
	// ResourceVersion, when set, starts the watch right after that version
	// (for example the one Apply returned) instead of with the current
	// state. If the server no longer has it, Watch starts from the current
	// state.
	ResourceVersion string
	// MinBackoff and MaxBackoff bound the wait before reconnecting after
	// the watch breaks; zero means 100ms and 5s.
	MinBackoff, MaxBackoff time.Duration
}

// Watch delivers ASMPvlConfig/default as it changes until ctx is cancelled,
// then closes the channel. It first delivers the current state (nil when
// absent) unless opts.ResourceVersion is set. When the watch breaks (a
// dropped connection, the server restarting, a version the server has
// compacted away) it reconnects with backoff and reads the object again, so
// the latest state is never missed. A slow reader loses nothing but
// intermediate states: the channel always holds the newest update.
func (c *Client) Watch(ctx context.Context, opts WatchOptions) <-chan Update {
	if opts.MinBackoff <= 0 {
		opts.MinBackoff = 100 * time.Millisecond
	}
	if opts.MaxBackoff < opts.MinBackoff {
		opts.MaxBackoff = max(5*time.Second, opts.MinBackoff)
	}
	out := make(chan Update, 1)
	w := &watcher{c: c, out: out, opts: opts}
	go w.run(ctx)
	return out
}

// errExpired means the server no longer has the version a watch started
// from (HTTP 410 Gone).
var errExpired = errors.New("resource version expired")

type watcher struct {
	c    *Client
	out  chan Update
	opts WatchOptions

	last      *spec.ASMPvlConfig
	delivered bool
	// failed is set after an update with Err, so the next state is
	// delivered even if it equals the last one.
	failed bool
}

func (w *watcher) run(ctx context.Context) {
	defer close(w.out)
	rv, needList := w.opts.ResourceVersion, w.opts.ResourceVersion == ""
	wait := w.opts.MinBackoff
	for ctx.Err() == nil {
		if needList {
			cfg, listRV, err := w.list(ctx)
			if err != nil {
				w.fail(ctx, err)
				wait = w.sleep(ctx, wait)
				continue
			}
			w.deliver(cfg)
			rv, needList = listRV, false
		}
		progressed, err := w.watchFrom(ctx, &rv)
		if ctx.Err() != nil {
			return
		}
		// Whatever ended the watch, read the object again before the next
		// one: events between the break and the new watch are not lost.
		needList = true
		if progressed {
			wait = w.opts.MinBackoff
		}
		if errors.Is(err, errExpired) {
			continue
		}
		if err != nil {
			w.fail(ctx, err)
		}
		wait = w.sleep(ctx, wait)
	}
}

// list reads the object and the collection's resourceVersion to watch from.
func (w *watcher) list(ctx context.Context) (*spec.ASMPvlConfig, string, error) {
	ctx, cancel := context.WithTimeout(ctx, w.requestTimeout())
	defer cancel()
	list, err := w.c.c.Resource(GVR).List(ctx, metav1.ListOptions{FieldSelector: fields.OneTermEqualSelector("metadata.name", spec.Name).String()})
	if err != nil {
		return nil, "", w.c.wrap("listing", err)
	}
	for i := range list.Items {
		if list.Items[i].GetName() == spec.Name {
			cfg, err := fromUnstructured(&list.Items[i])
			return cfg, list.GetResourceVersion(), err
		}
	}
	return nil, list.GetResourceVersion(), nil
}

// watchFrom watches from *rv, delivering each change and advancing *rv,
// until the watch ends. progressed tells whether any event arrived. The
// server is asked to end the watch after watchSeconds; a watch whose first
// answer takes longer than the request timeout is cut, and one that stays
// silent longer than watchIdle ends with a *TimeoutError the reader sees.
func (w *watcher) watchFrom(ctx context.Context, rv *string) (progressed bool, err error) {
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	first := time.AfterFunc(w.requestTimeout(), cancel)
	timeout := int64(watchSeconds)
	wi, err := w.c.w.Resource(GVR).Watch(wctx, metav1.ListOptions{
		FieldSelector:   fields.OneTermEqualSelector("metadata.name", spec.Name).String(),
		ResourceVersion: *rv, AllowWatchBookmarks: true, TimeoutSeconds: &timeout,
	})
	if !first.Stop() && ctx.Err() == nil {
		return false, &TimeoutError{Server: w.c.server, Doing: "watching " + spec.Kind + "/" + spec.Name, After: w.requestTimeout()}
	}
	if err != nil {
		if isExpired(err) {
			return false, errExpired
		}
		return false, w.c.wrap("watching", err)
	}
	defer wi.Stop()
	var silent <-chan time.Time
	idle := time.NewTimer(watchIdle)
	defer idle.Stop()
	if w.c.endsWatches {
		silent = idle.C
	}
	for {
		select {
		case <-ctx.Done():
			return progressed, ctx.Err()
		case <-silent:
			return progressed, &TimeoutError{Server: w.c.server, Doing: "watching " + spec.Kind + "/" + spec.Name, After: watchIdle,
				Cause: fmt.Sprintf("no event and no end of the watch the server was asked to end after %ds", watchSeconds)}
		case ev, ok := <-wi.ResultChan():
			idle.Reset(watchIdle)
			if !ok {
				return progressed, nil
			}
			if ev.Type == watch.Error {
				err := apierrors.FromObject(ev.Object)
				if isExpired(err) {
					return progressed, errExpired
				}
				return progressed, w.c.wrap("watching", err)
			}
			u, isObj := ev.Object.(*unstructured.Unstructured)
			if !isObj {
				return progressed, w.c.wrap("watching", fmt.Errorf("unexpected %T in a watch event", ev.Object))
			}
			progressed = true
			if u.GetResourceVersion() != "" {
				*rv = u.GetResourceVersion()
			}
			if ev.Type == watch.Bookmark || u.GetName() != spec.Name {
				continue
			}
			if ev.Type == watch.Deleted {
				w.deliver(nil)
				continue
			}
			cfg, err := fromUnstructured(u)
			if err != nil {
				return progressed, err
			}
			w.deliver(cfg)
		}
	}
}

// requestTimeout bounds the watcher's list and the first answer of each
// watch: the request timeout, but no longer than watchIdle, so that an
// outage shows within seconds whatever the watcher was doing.
func (w *watcher) requestTimeout() time.Duration { return min(w.c.timeout, watchIdle) }

// isExpired tells whether err is the server saying a resourceVersion is too
// old to watch from.
func isExpired(err error) bool {
	return apierrors.IsResourceExpired(err) || apierrors.IsGone(err)
}

// deliver sends cfg unless the reader already has exactly that state.
func (w *watcher) deliver(cfg *spec.ASMPvlConfig) {
	if w.delivered && !w.failed && equality.Semantic.DeepEqual(w.last, cfg) {
		return
	}
	w.last, w.delivered, w.failed = cfg, true, false
	w.offer(Update{Config: cfg})
}

// fail tells the reader the watch is retrying after err.
func (w *watcher) fail(ctx context.Context, err error) {
	if ctx.Err() == nil {
		w.failed = true
		w.offer(Update{Config: w.last, Err: err})
	}
}

// offer puts u in the channel, replacing an update the reader has not taken
// yet, so the watch never blocks and the reader always gets the newest.
func (w *watcher) offer(u Update) {
	for {
		select {
		case w.out <- u:
			return
		default:
		}
		select {
		case <-w.out:
		default:
		}
	}
}

// sleep waits d with jitter, or until ctx is done, and returns the next
// backoff.
func (w *watcher) sleep(ctx context.Context, d time.Duration) time.Duration {
	t := time.NewTimer(d + rand.N(d/5+1))
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
	return min(2*d, w.opts.MaxBackoff)
}
