package cmdutil

import (
	"context"
	"errors"

	"github.com/asmlink/asmlink/cloud/kube"
	"github.com/asmlink/asmlink/flow/session"
	"github.com/asmlink/asmlink/spec"
)

// Server connects to the API server of the ASM instance meshID as Kube does,
// as the session use cases need it.
func (f *Factory) Server(ctx context.Context, meshID string) (session.Server, error) {
	return KubeConnect(f.Kube)(ctx, meshID)
}

// KubeConnect turns a way to connect a cloud/kube client into the session's
// Connect (the demo's and the tests' in-memory API servers use it).
func KubeConnect(connect func(ctx context.Context, meshID string) (*kube.Client, error)) session.Connect {
	return func(ctx context.Context, meshID string) (session.Server, error) {
		c, err := connect(ctx, meshID)
		if err != nil {
			return nil, err
		}
		return KubeServer(c), nil
	}
}

// KubeServer adapts a cloud/kube client to session.Server: the one place
// where kube's types become the session's, so the wizard needs no kube.
func KubeServer(c *kube.Client) session.Server { return kubeServer{c} }

type kubeServer struct{ c *kube.Client }

func (k kubeServer) Server() string { return k.c.Server() }

func (k kubeServer) Get(ctx context.Context) (*spec.ASMPvlConfig, error) { return k.c.Get(ctx) }

// MayWrite makes kubeServer a session.AccessReviewer.
func (k kubeServer) MayWrite(ctx context.Context) (patch, create bool, reason string, err error) {
	a, err := k.c.MayWrite(ctx)
	return a.Patch, a.Create, a.Reason, err
}

func (k kubeServer) Apply(ctx context.Context, change session.Change, opts session.ApplyOptions) (*session.Result, error) {
	res, err := k.c.Apply(ctx, kube.Change(change), kube.ApplyOptions{DryRun: opts.DryRun, Force: opts.Force})
	var conflict *kube.ConflictError
	if errors.As(err, &conflict) {
		return nil, &session.ConflictError{Managers: conflict.Managers, Err: err}
	}
	if err != nil {
		return nil, err
	}
	return &session.Result{Before: res.Before, After: res.After, Notes: res.Notes()}, nil
}

// Watch forwards kube's updates; kube keeps only the newest one for a slow
// reader, and so does this forwarder, holding at most one.
func (k kubeServer) Watch(ctx context.Context) <-chan session.Update {
	in := k.c.Watch(ctx, kube.WatchOptions{})
	out := make(chan session.Update)
	go func() {
		defer close(out)
		for u := range in {
			select {
			case out <- session.Update{Config: u.Config, Err: u.Err}:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}
