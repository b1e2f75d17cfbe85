package session

import (
	"context"

	"github.com/asmlink/asmlink/spec"
)

// Server is the mesh's own Kubernetes API server, as the use cases need it:
// read ASMPvlConfig/default, apply a change with server-side apply, and
// watch it. ui/cmdutil adapts cloud/kube's client to it, so a UI built on
// this package never imports cloud/kube.
type Server interface {
	// Server names the API server (its URL), for messages.
	Server() string
	// Get reads ASMPvlConfig/default; nil when it does not exist.
	Get(ctx context.Context) (*spec.ASMPvlConfig, error)
	// Apply computes the desired object with change from a fresh read and
	// writes it with server-side apply. Fields another field manager owns
	// are never taken over without opts.Force: a *ConflictError says so.
	Apply(ctx context.Context, change Change, opts ApplyOptions) (*Result, error)
	// Watch delivers ASMPvlConfig/default as it changes until ctx ends, then
	// closes the channel; it first delivers the current state.
	Watch(ctx context.Context) <-chan Update
}

// AccessReviewer is a Server that can tell, before a write, whether the
// identity in use may write ASMPvlConfig/default: patch, and create when
// the object does not exist yet (kube's SelfSubjectAccessReview); reason
// is the server's own words when it denies.
type AccessReviewer interface {
	MayWrite(ctx context.Context) (patch, create bool, reason string, err error)
}

// Connect reaches the API server of the mesh meshID.
type Connect func(ctx context.Context, meshID string) (Server, error)

// Change computes the desired ASMPvlConfig from the current one (nil when
// the object does not exist yet). Apply calls it again on a fresh read when
// someone else wrote the object in between, so it must not keep state.
type Change func(current *spec.ASMPvlConfig) (*spec.ASMPvlConfig, error)

// ApplyOptions tune Server.Apply.
type ApplyOptions struct {
	// DryRun asks the server to run the whole apply without storing it.
	DryRun bool
	// Force takes over fields other field managers own; set it only after
	// the person has seen the ConflictError and agreed.
	Force bool
}

// Result is what an apply did, or for a dry run would do.
type Result struct {
	// Before is the object as it was read (nil when it did not exist).
	Before *spec.ASMPvlConfig
	// After is the object as the server stored it, or would store it.
	After *spec.ASMPvlConfig
	// Notes are what the review says beside the diff: whose fields the
	// change takes over and what those writers do next.
	Notes []string
}

// Diff is the change for a person to review: a unified diff of the YAML
// before and after, empty when nothing changes.
func (r *Result) Diff() string { return spec.Diff(r.Before, r.After) }

// ConflictError means the change needs fields other field managers
// (kubectl, a GitOps tool) own. asmlink takes them over only with consent.
type ConflictError struct {
	// Managers are the other field managers involved, sorted.
	Managers []string
	// Err is the API server client's explanation: which fields, set by whom.
	Err error
}

func (e *ConflictError) Error() string { return e.Err.Error() }
func (e *ConflictError) Unwrap() error { return e.Err }

// Update is one observation of ASMPvlConfig/default by Watch.
type Update struct {
	// Config is the object as the server has it; nil when it does not
	// exist. When Err is set it repeats the last state seen.
	Config *spec.ASMPvlConfig
	// Err is set while the watch is cut off from the server and retrying.
	Err error
}
