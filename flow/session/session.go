// Package session holds asmlink's use cases, written once for the wizard
// and for the commands: load a mesh, run the preflight checks, build the
// change, review and apply it with consent to conflicts, observe the links
// and wait for them. Every decision is flow's; this package only calls the
// cloud and the mesh's API server in the right order. It reaches the API
// server through the Server interface, so the wizard, which calls these use
// cases in Bubble Tea commands, never imports cloud/kube.
package session

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/spec"
)

// Session is one mesh as the cloud and its API server show it. A Session
// is not changed by its methods: Reload returns a new one, so the wizard
// can hand sessions between its commands and its model without races.
type Session struct {
	// API is the cloud.
	API cloud.API
	// Env is the mesh's inventory and its current ASMPvlConfig. Its
	// choices (ClusterID, Pair) are left empty: each use case is told the
	// cluster and pairs it is about.
	Env *flow.Env
	// Server is the mesh's API server; nil when the session is offline.
	Server Server
}

// ServerError means the mesh's API server could not be reached or read.
type ServerError struct {
	MeshID string
	Err    error
}

func (e *ServerError) Error() string {
	return fmt.Sprintf("connecting to the API server of %s: %v", e.MeshID, e.Err)
}
func (e *ServerError) Unwrap() error { return e.Err }

// Load lists everything the later steps need for the mesh meshID and, when
// connect is not nil, reads its current ASMPvlConfig, both at once. A nil
// connect is an offline session: no API server and no current object.
func Load(ctx context.Context, api cloud.API, meshID string, connect Connect) (*Session, error) {
	type serverResult struct {
		s   Server
		cfg *spec.ASMPvlConfig
		err error
	}
	sc := make(chan serverResult, 1)
	if connect == nil {
		sc <- serverResult{}
	} else {
		go func() {
			s, err := connect(ctx, meshID)
			if err != nil {
				sc <- serverResult{err: &ServerError{MeshID: meshID, Err: err}}
				return
			}
			cfg, err := s.Get(ctx)
			sc <- serverResult{s: s, cfg: cfg, err: err}
		}()
	}
	inv, err := cloud.LoadInventory(ctx, api, meshID)
	sr := <-sc
	if err != nil {
		return nil, err
	}
	if sr.err != nil {
		return nil, sr.err
	}
	return &Session{API: api, Env: flow.NewEnv(inv, sr.cfg, api), Server: sr.s}, nil
}

// Reload lists the cloud and reads the ASMPvlConfig again, after a fix or a
// change made by hand, and returns the fresh session.
func (s *Session) Reload(ctx context.Context) (*Session, error) {
	inv, err := cloud.LoadInventory(ctx, s.API, s.Env.Mesh.ID)
	if err != nil {
		return nil, err
	}
	cfg := s.Env.Config
	if s.Server != nil {
		if cfg, err = s.Server.Get(ctx); err != nil {
			return nil, err
		}
	}
	return &Session{API: s.API, Env: flow.NewEnv(inv, cfg, s.API), Server: s.Server}, nil
}

// For is the session's environment with the choices made: the cluster and,
// when not nil, the vSwitch pair.
func (s *Session) For(clusterID string, pair *flow.Pair) *flow.Env {
	env := *s.Env
	env.ClusterID, env.Pair = clusterID, pair
	return &env
}

// Pairing ranks every vSwitch pair for the cluster clusterID.
func (s *Session) Pairing(clusterID string) (flow.Pairing, error) {
	return s.For(clusterID, nil).Pairing()
}

// PreflightOptions tune Preflight.
type PreflightOptions struct {
	// Observe, when set, is told about each result as soon as it is
	// known, so a command or a screen can show progress.
	Observe func(flow.Result)
	// Interval is the pause between retries of a check that waits for the
	// mesh to settle; 0 is flow's default.
	Interval time.Duration
}

// Preflight runs every preflight check for the cluster clusterID with the
// first pair, and the vSwitch checks for each further pair. A check that
// waits for the mesh to settle is retried on a reloaded environment. With
// no pair the checks that need one are skipped, so a failed precondition
// (a cluster in the mesh's own VPC, say) is still named.
func (s *Session) Preflight(ctx context.Context, clusterID string, pairs []flow.Pair, opts PreflightOptions) []flow.Result {
	var first *flow.Pair
	if len(pairs) > 0 {
		first = &pairs[0]
	}
	runner := s.runner(clusterID, first, opts)
	results := runner.Run(ctx, s.For(clusterID, first), flow.Checks())
	for i := 1; i < len(pairs); i++ {
		results = append(results, runner.Run(ctx, s.For(clusterID, &pairs[i]), flow.ChecksIn(flow.CategoryVSwitches))...)
	}
	return results
}

// CheckFile runs the preflight checks on every cluster entry of an
// ASMPvlConfig file, as Preflight does on one chosen pair (flow.CheckFile).
func (s *Session) CheckFile(ctx context.Context, file *spec.ASMPvlConfig, opts PreflightOptions) []flow.Result {
	return flow.CheckFile(ctx, s.runner("", nil, opts), s.Env, file)
}

// runner is flow's check runner on the session: a check that waits for the
// mesh to settle is retried on a reloaded environment with the same
// choices.
func (s *Session) runner(clusterID string, pair *flow.Pair, opts PreflightOptions) flow.Runner {
	return flow.Runner{Observe: opts.Observe, Interval: opts.Interval, Reload: func(ctx context.Context) (*flow.Env, error) {
		fresh, err := s.Reload(ctx)
		if err != nil {
			return nil, err
		}
		return fresh.For(clusterID, pair), nil
	}}
}

// Change is the change that does intent to the cluster clusterID, built by
// flow.Desired on whatever the server holds at the moment of the write, so
// every other cluster's entry is kept.
func (s *Session) Change(clusterID string, intent flow.Intent, pairs []flow.Pair) Change {
	facts := s.Env.Facts()
	return func(current *spec.ASMPvlConfig) (*spec.ASMPvlConfig, error) {
		return flow.Desired(current, clusterID, intent, pairs, facts)
	}
}

// Desired is the object the change of Change produces from the session's
// current ASMPvlConfig, for an offline plan.
func (s *Session) Desired(clusterID string, intent flow.Intent, pairs []flow.Pair) (*spec.ASMPvlConfig, error) {
	return s.Change(clusterID, intent, pairs)(s.Env.Config)
}

// Review is a change as the API server would make it, before consent.
type Review struct {
	// Result is the server's dry run: the object before and after.
	Result *Result
	// Conflict, when set, names the fields other field managers own that
	// the change needs: Apply must then be told force, after consent.
	Conflict *ConflictError
}

// Review asks the server for a dry run of change. A conflict with another
// field manager is not an error here: the review carries it, with the dry
// run of the forced change, so the person sees both before consenting.
func (s *Session) Review(ctx context.Context, change Change) (*Review, error) {
	if s.Server == nil {
		return nil, errors.New("the session is offline: no API server to review the change with")
	}
	res, err := s.Server.Apply(ctx, change, ApplyOptions{DryRun: true})
	var conflict *ConflictError
	if !errors.As(err, &conflict) {
		if err != nil {
			return nil, err
		}
		return &Review{Result: res}, nil
	}
	if res, err = s.Server.Apply(ctx, change, ApplyOptions{DryRun: true, Force: true}); err != nil {
		return nil, err
	}
	return &Review{Result: res, Conflict: conflict}, nil
}

// Apply writes change with server-side apply. force takes over the fields
// of other field managers and is given only with the person's consent; a
// conflict without it is returned as a *ConflictError and changes nothing.
func (s *Session) Apply(ctx context.Context, change Change, force bool) (*Result, error) {
	if s.Server == nil {
		return nil, errors.New("the session is offline: no API server to apply the change to")
	}
	return s.Server.Apply(ctx, change, ApplyOptions{Force: force})
}

// Observe reads what the links view and the diagnoses need beside the
// status cfg: the mesh's clusters as it sees them now, PrivateLink's
// activation, endpoint services and endpoints, and the details of the
// connected clusters and of clusterID (when not ""), for the SAN step.
func (s *Session) Observe(ctx context.Context, cfg *spec.ASMPvlConfig, clusterID string) (flow.Observation, error) {
	env := *s.Env
	var err error
	if env.MeshClusters, err = s.API.MeshClusters(ctx, env.Mesh.ID); err != nil {
		return flow.Observation{}, err
	}
	if env.PrivateLinkActivated, err = s.API.PrivateLinkActivated(ctx); err != nil {
		return flow.Observation{}, err
	}
	o, err := flow.Observe(ctx, s.API, &env, cfg)
	if err != nil {
		return o, err
	}
	if clusterID != "" && !slices.ContainsFunc(o.Clusters, func(c cloud.Cluster) bool { return c.ID == clusterID }) {
		c, err := s.API.Cluster(ctx, clusterID)
		if err != nil {
			return o, err
		}
		o.Clusters = append(o.Clusters, c)
	}
	return o, nil
}

// Links reads the live object and what its links view and diagnoses need
// (Observe), as a flow.LinkState narrowed to clusterID when it is set.
func (s *Session) Links(ctx context.Context, clusterID string) (flow.LinkState, error) {
	cfg, err := s.Server.Get(ctx)
	if err != nil {
		return flow.LinkState{}, err
	}
	o, err := s.Observe(ctx, cfg, "")
	if err != nil {
		return flow.LinkState{}, err
	}
	return flow.NewLinkState(o, clusterID), nil
}

// Wait waits for target, reading Links on every poll with flow.Wait:
// through transient causes, ending on a terminal one that held for the
// grace period (*flow.TerminalError) or on timeout (*flow.TimeoutError,
// naming the last state). seen, when set, gets every state read.
func (s *Session) Wait(ctx context.Context, target flow.WaitTarget, opts flow.WaitOptions, seen func(flow.LinkState)) error {
	observe := func(ctx context.Context) (flow.LinkState, error) { return s.Links(ctx, target.ClusterID) }
	return flow.Wait(ctx, flow.WaitWhat(s.Env.Mesh.ID, target), opts, flow.LinksCondition(target, observe, seen))
}

// Doctor runs doctor's checks on the mesh meshID (and on clusterID when
// not ""). api is the cloud, or nil with cloudErr when it could not be
// reached; the API server is asked only when the mesh can be read, and
// when it answers, for the permission review apply runs before a write. Every
// failure to reach either is recorded for the checks to report, never
// returned: doctor's answer is its results.
func Doctor(ctx context.Context, api cloud.API, cloudErr error, connect Connect, meshID, clusterID string) []flow.Result {
	in := flow.DoctorInput{MeshID: meshID, ClusterID: clusterID, CloudErr: cloudErr}
	if cloudErr == nil {
		in.API = api
		if _, err := api.Mesh(ctx, meshID); err != nil {
			in.CloudErr = err
		} else if s, err := connect(ctx, meshID); err != nil {
			in.ServerErr = err
		} else {
			in.Server = s.Server()
			in.Config, in.ServerErr = s.Get(ctx)
			if ar, ok := s.(AccessReviewer); ok && in.ServerErr == nil {
				var a flow.Access
				a.Patch, a.Create, a.Reason, a.Err = ar.MayWrite(ctx)
				in.Access = &a
			}
		}
	}
	return flow.Runner{}.Run(ctx, flow.DoctorEnv(ctx, in), flow.DoctorChecks())
}
