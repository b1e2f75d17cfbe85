package flow

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/asmlink/asmlink/spec"
)

// WaitMode says what a wait on the links waits for: `--wait=MODE` of
// apply, remove and status.
type WaitMode string

// The wait modes.
const (
	// WaitNone does not wait.
	WaitNone WaitMode = "none"
	// WaitAvailable waits until ASM reports the ASMPvlConfig Available and
	// both links of every cluster are up (PrivateLink agreeing), with no
	// removed cluster left in status.
	WaitAvailable WaitMode = "available"
	// WaitRunning waits, beyond WaitAvailable, until every cluster of the
	// spec is running in the mesh: the default of `--wait`.
	WaitRunning WaitMode = "running"
)

// WaitModes lists the wait modes, for flag help and errors.
var WaitModes = []WaitMode{WaitAvailable, WaitRunning, WaitNone}

// ParseWaitMode reads a --wait value.
func ParseWaitMode(s string) (WaitMode, error) {
	if m := WaitMode(strings.ToLower(strings.TrimSpace(s))); slices.Contains(WaitModes, m) {
		return m, nil
	}
	var names []string
	for _, m := range WaitModes {
		names = append(names, string(m))
	}
	return "", fmt.Errorf("--wait must be one of %s, not %q", strings.Join(names, ", "), s)
}

// WaitTarget is what a wait on the links waits for.
type WaitTarget struct {
	Mode WaitMode
	// ClusterID narrows the wait to one cluster, which must be in the spec;
	// "" waits for every cluster.
	ClusterID string
	// RequireCluster makes a mesh that connects no cluster a terminal
	// cause instead of the goal (status waits for a connected cluster; a
	// removal of the last cluster waits for nothing to be left).
	RequireCluster bool
}

// LinkState is one observation of a mesh's links: the view (status
// cross-checked with PrivateLink and the mesh) and the diagnoses.
type LinkState struct {
	View      LinkView
	Diagnoses []Diagnosis
}

// NewLinkState turns an observation (Observe, with the mesh's clusters
// read afresh) into the view and the diagnoses, narrowed to clusterID when
// it is set.
func NewLinkState(o Observation, clusterID string) LinkState {
	s := LinkState{View: Links(o.Config, o.EndpointServices, o.Endpoints, o.MeshClusters), Diagnoses: Diagnose(o)}
	if clusterID != "" {
		s.View.Clusters = slices.DeleteFunc(s.View.Clusters, func(c ClusterLinks) bool { return c.ClusterID != clusterID })
		s.Diagnoses = slices.DeleteFunc(s.Diagnoses, func(d Diagnosis) bool { return d.ClusterID != "" && d.ClusterID != clusterID })
	}
	return s
}

// connected returns the clusters of the spec in the view.
func (s LinkState) connected() []ClusterLinks {
	var out []ClusterLinks
	for _, c := range s.View.Clusters {
		if c.InSpec {
			out = append(out, c)
		}
	}
	return out
}

// Reached tells whether the state is what t waits for: for WaitAvailable
// the view is Settled (links up, PrivateLink agreeing, nothing removed left
// in status); for WaitRunning also every cluster of the spec running in the
// mesh. With t.ClusterID, that cluster must be in the spec.
func (s LinkState) Reached(t WaitTarget) bool {
	conn := s.connected()
	switch {
	case t.Mode == WaitNone:
		return true
	case !s.View.Settled():
		return false
	case t.ClusterID != "" && !slices.ContainsFunc(conn, func(c ClusterLinks) bool { return c.ClusterID == t.ClusterID }):
		return false
	case t.RequireCluster && len(conn) == 0:
		return false
	}
	if t.Mode == WaitRunning {
		for _, c := range conn {
			if c.MeshState != "running" {
				return false
			}
		}
	}
	return true
}

// runningCodes are the diagnoses about the cluster in the mesh, which do
// not stop a wait for Available.
var runningCodes = []spec.Code{CodeSANMissing, CodeClusterNotReady, CodeStaleMeshError}

// Blocking returns the terminal diagnoses that keep t from being reached,
// and why, in one line: each cause only a person can fix, or a cluster
// that is not connected at all.
func (s LinkState) Blocking(t WaitTarget) ([]Diagnosis, string) {
	var out []Diagnosis
	var parts []string
	for _, d := range s.Diagnoses {
		if d.Terminal && (t.Mode == WaitRunning || !slices.Contains(runningCodes, d.Code)) {
			out = append(out, d)
			parts = append(parts, string(d.Code)+" "+d.Message)
		}
	}
	conn := s.connected()
	switch {
	case t.ClusterID != "" && !slices.ContainsFunc(conn, func(c ClusterLinks) bool { return c.ClusterID == t.ClusterID }):
		parts = append(parts, fmt.Sprintf("cluster %s is not in ASMPvlConfig %s", t.ClusterID, spec.Name))
	case t.RequireCluster && len(conn) == 0 && len(s.View.Clusters) == 0:
		parts = append(parts, "no ASMPvlConfig connects a cluster")
	}
	return out, strings.Join(parts, "; ")
}

// WaitingFor says in one line what the state still waits for, under t:
// what the links wait for (ASM provisioning, PrivateLink agreeing), the
// transient diagnoses' waits, and clusters not yet running in the mesh.
func (s LinkState) WaitingFor(t WaitTarget) string {
	parts := s.View.Pending()
	for _, d := range s.Diagnoses {
		if d.Wait != "" && d.Code != CodeProvisioning && !slices.Contains(parts, d.Wait) {
			parts = append(parts, d.Wait)
		}
	}
	if t.Mode == WaitRunning {
		for _, c := range s.connected() {
			if c.MeshState != "running" && c.Healthy() {
				parts = append(parts, fmt.Sprintf("cluster %s to be running in the mesh (now %s)", c.ClusterID, orUnknown(c.MeshState)))
			}
		}
	}
	if len(parts) == 0 {
		return "status " + orUnknown(s.View.Status)
	}
	return strings.Join(parts, "; ")
}

// LinksCondition is the wait condition of t: it observes with observe
// (bound to the API server and the cloud), hands every state
// to seen (for the last report), and is done when the state is Reached. A
// terminal cause is returned as a Terminal error keyed by its codes and
// clusters, so the wait ends once it has held for the grace period; every
// other state is reported as what it still waits for.
func LinksCondition(t WaitTarget, observe func(ctx context.Context) (LinkState, error), seen func(LinkState)) Condition {
	return func(ctx context.Context) (bool, string, error) {
		s, err := observe(ctx)
		if err != nil {
			return false, "", err
		}
		if seen != nil {
			seen(s)
		}
		if s.Reached(t) {
			return true, "", nil
		}
		if ds, why := s.Blocking(t); why != "" {
			var keys []string
			for _, d := range ds {
				keys = append(keys, string(d.Code)+"/"+d.ClusterID+"/"+d.Link)
			}
			if len(keys) == 0 {
				keys = []string{why}
			}
			return false, why, Terminal(strings.Join(keys, ","), errors.New(why))
		}
		return false, s.WaitingFor(t), nil
	}
}

// WaitWhat names what a wait for t waits for, for progress and timeouts.
func WaitWhat(meshID string, t WaitTarget) string {
	who := "every cluster"
	if t.ClusterID != "" {
		who = "cluster " + t.ClusterID
	}
	if t.Mode == WaitAvailable {
		return fmt.Sprintf("mesh %s: ASMPvlConfig Available with both links of %s up", meshID, who)
	}
	return fmt.Sprintf("mesh %s: both links of %s up and running in the mesh", meshID, who)
}
