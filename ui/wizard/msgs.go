package wizard

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/flow/session"
	"github.com/asmlink/asmlink/spec"
)

// The results of the wizard's commands. Each carries what was asked for and
// its error, so Update only records and never waits. Every command calls one
// use case of flow/session; none decides anything.
type (
	cloudMsg struct {
		api cloud.API
		err error
	}
	meshesMsg struct {
		meshes []cloud.Mesh
		err    error
	}
	sessionMsg struct {
		sess *session.Session
		err  error
	}
	pairingMsg struct {
		pairing flow.Pairing
		err     error
	}
	checksMsg struct {
		sess    *session.Session
		results []flow.Result
	}
	fixMsg    struct{ err error }
	reviewMsg struct {
		review *session.Review
		err    error
	}
	appliedMsg struct {
		result *session.Result
		err    error
	}
	writtenMsg struct {
		path string
		err  error
	}
	updateMsg   struct{ update session.Update }
	observedMsg struct {
		obs flow.Observation
		err error
	}
	tickMsg        struct{}
	sanAppendedMsg struct{ err error }
	// askMsg asks a consent question again, after the change it guarded
	// failed.
	askMsg struct{ prompt question }
)

func loadCloud(ctx context.Context, d Deps, region string) tea.Cmd {
	return func() tea.Msg {
		api, err := d.Cloud(ctx, region)
		return cloudMsg{api: api, err: err}
	}
}

func loadMeshes(ctx context.Context, api cloud.API) tea.Cmd {
	return func() tea.Msg {
		ms, err := api.Meshes(ctx)
		return meshesMsg{meshes: ms, err: err}
	}
}

// loadSession lists everything the later steps need for one mesh and reads
// its current ASMPvlConfig (session.Load).
func loadSession(ctx context.Context, d Deps, api cloud.API, meshID string) tea.Cmd {
	return func() tea.Msg {
		s, err := session.Load(ctx, api, meshID, d.Server)
		return sessionMsg{sess: s, err: err}
	}
}

// runChecks runs the preflight checks for the wizard's choices. After a fix
// has changed the account, reloadFirst lists the cloud again before
// checking.
func runChecks(ctx context.Context, d Deps, s *session.Session, w *flow.Wizard, reloadFirst bool) tea.Cmd {
	clusterID, pairs := w.ClusterID(), w.Pairs()
	return func() tea.Msg {
		fresh := s
		if reloadFirst {
			if r, err := s.Reload(ctx); err == nil {
				fresh = r
			}
		}
		results := fresh.Preflight(ctx, clusterID, pairs, session.PreflightOptions{Interval: d.refresh()})
		return checksMsg{sess: fresh, results: results}
	}
}

// pairVSwitches ranks every vSwitch pair of the chosen cluster; on a big
// mesh this takes long enough to keep it off the Update path.
func pairVSwitches(s *session.Session, clusterID string) tea.Cmd {
	return func() tea.Msg {
		p, err := s.Pairing(clusterID)
		return pairingMsg{pairing: p, err: err}
	}
}

func askAgain(p question) tea.Cmd {
	return func() tea.Msg { return askMsg{prompt: p} }
}

func runFix(ctx context.Context, fix *flow.Fix) tea.Cmd {
	return func() tea.Msg { return fixMsg{err: fix.Apply(ctx)} }
}

// change is the Change the review and the apply both use.
func change(s *session.Session, w *flow.Wizard) session.Change {
	return s.Change(w.ClusterID(), w.Intent(), w.Pairs())
}

// reviewChange asks the server for a dry run of ch (session.Review): what
// it would store and, when another manager owns fields ch needs, that
// conflict with the forced dry run.
func reviewChange(ctx context.Context, s *session.Session, ch session.Change) tea.Cmd {
	return func() tea.Msg {
		r, err := s.Review(ctx, ch)
		return reviewMsg{review: r, err: err}
	}
}

func applyChange(ctx context.Context, s *session.Session, ch session.Change, force bool) tea.Cmd {
	return func() tea.Msg {
		res, err := s.Apply(ctx, ch, force)
		return appliedMsg{result: res, err: err}
	}
}

// writeFile writes data with the writer setup gives: atomically, and never
// over a file that is not an ASMPvlConfig.
func writeFile(d Deps, path string, data []byte) tea.Cmd {
	return func() tea.Msg {
		return writtenMsg{path: path, err: d.WriteFile(path, data)}
	}
}

func nextUpdate(ch <-chan session.Update) tea.Cmd {
	return func() tea.Msg {
		u, ok := <-ch
		if !ok {
			return nil
		}
		return updateMsg{update: u}
	}
}

// observe reads what the links view, the diagnoses and the SAN step need
// beside the status (session.Observe).
func observe(ctx context.Context, s *session.Session, cfg *spec.ASMPvlConfig, clusterID string) tea.Cmd {
	return func() tea.Msg {
		o, err := s.Observe(ctx, cfg, clusterID)
		return observedMsg{obs: o, err: err}
	}
}

func tick(d time.Duration) tea.Cmd {
	return tea.Tick(d, func(time.Time) tea.Msg { return tickMsg{} })
}

func appendSAN(ctx context.Context, fix *flow.Fix) tea.Cmd {
	return func() tea.Msg { return sanAppendedMsg{err: fix.Apply(ctx)} }
}
