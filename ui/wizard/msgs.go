package wizard

import (
	"context"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/cloud/kube"
	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/spec"
	"github.com/asmlink/asmlink/ui/cmdutil"
)

// The results of the wizard's commands. Each carries what was asked for and
// its error, so Update only records and never waits.
type (
	cloudMsg struct {
		api cloud.API
		err error
	}
	meshesMsg struct {
		meshes []cloud.Mesh
		err    error
	}
	envMsg struct {
		env  *flow.Env
		kube *kube.Client
		err  error
	}
	pairingMsg struct {
		pairing flow.Pairing
		err     error
	}
	checksMsg struct {
		env     *flow.Env
		results []flow.Result
	}
	fixMsg  struct{ err error }
	planMsg struct {
		result *kube.Result
		err    error
	}
	appliedMsg struct {
		result *kube.Result
		err    error
	}
	writtenMsg struct {
		path string
		err  error
	}
	updateMsg   struct{ update kube.Update }
	observedMsg struct {
		obs observed
		err error
	}
	tickMsg        struct{}
	sanAppendedMsg struct{ err error }
	// askMsg asks a consent question again, after the change it guarded
	// failed.
	askMsg struct{ prompt prompt }
)

// observed is what the dashboard reads from the cloud beside the status:
// the PrivateLink APIs' view of the endpoints and the mesh's view of its
// clusters.
type observed struct {
	services     []cloud.EndpointService
	endpoints    []cloud.Endpoint
	meshClusters []cloud.MeshCluster
	cluster      cloud.Cluster
	activated    bool
}

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

// loadEnv lists everything the later steps need for one mesh and reads its
// current ASMPvlConfig, both at once.
func loadEnv(ctx context.Context, d Deps, api cloud.API, meshID string) tea.Cmd {
	return func() tea.Msg {
		type kubeResult struct {
			c   *kube.Client
			cfg *spec.ASMPvlConfig
			err error
		}
		kc := make(chan kubeResult, 1)
		go func() {
			c, err := d.Kube(ctx, meshID)
			if err != nil {
				kc <- kubeResult{err: fmt.Errorf("connecting to the API server of %s: %w", meshID, err)}
				return
			}
			cfg, err := c.Get(ctx)
			kc <- kubeResult{c: c, cfg: cfg, err: err}
		}()
		inv, err := cloud.LoadInventory(ctx, api, meshID)
		k := <-kc
		if err == nil {
			err = k.err
		}
		if err != nil {
			return envMsg{err: err}
		}
		return envMsg{env: flow.NewEnv(inv, k.cfg, api), kube: k.c}
	}
}

// runChecks runs every check of flow's catalogue on env. After a fix has
// changed the account, reloadFirst lists the cloud again before checking.
func runChecks(ctx context.Context, d Deps, api cloud.API, kc *kube.Client, env *flow.Env, reloadFirst bool) tea.Cmd {
	return func() tea.Msg {
		reload := func(ctx context.Context) (*flow.Env, error) {
			inv, err := cloud.LoadInventory(ctx, api, env.Mesh.ID)
			if err != nil {
				return nil, err
			}
			cfg, err := kc.Get(ctx)
			if err != nil {
				return nil, err
			}
			fresh := flow.NewEnv(inv, cfg, api)
			fresh.ClusterID, fresh.Pair = env.ClusterID, env.Pair
			return fresh, nil
		}
		fresh := env
		if reloadFirst {
			if e, err := reload(ctx); err == nil {
				fresh = e
			}
		}
		r := flow.Runner{Reload: reload, Interval: d.refresh()}
		return checksMsg{env: fresh, results: r.Run(ctx, fresh, flow.Checks())}
	}
}

// pairVSwitches ranks every vSwitch pair of the chosen cluster; on a big
// mesh this takes long enough to keep it off the Update path.
func pairVSwitches(env *flow.Env) tea.Cmd {
	return func() tea.Msg {
		p, err := env.Pairing()
		return pairingMsg{pairing: p, err: err}
	}
}

func askAgain(p prompt) tea.Cmd {
	return func() tea.Msg { return askMsg{prompt: p} }
}

func runFix(ctx context.Context, fix *flow.Fix) tea.Cmd {
	return func() tea.Msg { return fixMsg{err: fix.Apply(ctx)} }
}

// change is the Change the review, apply and plan all use: flow.Desired on
// whatever the server has at the moment of the write.
func change(w *flow.Wizard, env *flow.Env) kube.Change {
	clusterID, intent, pair, facts := w.ClusterID(), w.Intent(), w.Pair(), env.Facts()
	return func(current *spec.ASMPvlConfig) (*spec.ASMPvlConfig, error) {
		return flow.Desired(current, clusterID, intent, pair, facts)
	}
}

// planChange asks the server for a dry run of ch: what it would store, or
// the conflict that stops it. With force the dry run takes over the fields
// another manager owns, as the apply after that consent would.
func planChange(ctx context.Context, kc *kube.Client, ch kube.Change, force bool) tea.Cmd {
	return func() tea.Msg {
		res, err := kc.Apply(ctx, ch, kube.ApplyOptions{DryRun: true, Force: force})
		return planMsg{result: res, err: err}
	}
}

func applyChange(ctx context.Context, kc *kube.Client, ch kube.Change, force bool) tea.Cmd {
	return func() tea.Msg {
		res, err := kc.Apply(ctx, ch, kube.ApplyOptions{Force: force})
		return appliedMsg{result: res, err: err}
	}
}

// writeFile writes data atomically, and never over a file that is not an
// ASMPvlConfig (cmdutil's one implementation, shared with plan --out).
func writeFile(path string, data []byte) tea.Cmd {
	return func() tea.Msg {
		err := cmdutil.CheckOverwrite(path)
		if err == nil {
			err = cmdutil.WriteFileAtomic(path, data)
		}
		return writtenMsg{path: path, err: err}
	}
}

func nextUpdate(ch <-chan kube.Update) tea.Cmd {
	return func() tea.Msg {
		u, ok := <-ch
		if !ok {
			return nil
		}
		return updateMsg{update: u}
	}
}

// observe reads the PrivateLink APIs, the mesh's clusters and the chosen
// cluster's detail, to cross-check the status and decide the SAN step.
func observe(ctx context.Context, api cloud.API, meshID, clusterID string) tea.Cmd {
	return func() tea.Msg {
		var o observed
		var err error
		if o.services, err = api.EndpointServices(ctx); err != nil {
			return observedMsg{err: err}
		}
		if o.endpoints, err = api.Endpoints(ctx, ""); err != nil {
			return observedMsg{err: err}
		}
		if o.meshClusters, err = api.MeshClusters(ctx, meshID); err != nil {
			return observedMsg{err: err}
		}
		if o.activated, err = api.PrivateLinkActivated(ctx); err != nil {
			return observedMsg{err: err}
		}
		if clusterID != "" {
			if o.cluster, err = api.Cluster(ctx, clusterID); err != nil {
				return observedMsg{err: err}
			}
		}
		return observedMsg{obs: o}
	}
}

func tick(d time.Duration) tea.Cmd {
	return tea.Tick(d, func(time.Time) tea.Msg { return tickMsg{} })
}

func appendSAN(ctx context.Context, fix *flow.Fix) tea.Cmd {
	return func() tea.Msg { return sanAppendedMsg{err: fix.Apply(ctx)} }
}
