package flow

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/asmlink/asmlink/cloud"
)

// Eligibility says what can be done with an ACK cluster relative to a mesh.
type Eligibility string

// The eligibilities, in the order the picker lists them.
const (
	// EligibleConnect is a cluster of the mesh in another VPC of the same
	// region, not yet in the ASMPvlConfig.
	EligibleConnect Eligibility = "connect"
	// EligibleAdd is a cluster in another VPC of the same region that has
	// not been added to the mesh yet; the wizard offers to add it.
	EligibleAdd Eligibility = "add"
	// EligibleConnected is a cluster already in the ASMPvlConfig; the
	// wizard offers to change its vSwitches or remove it.
	EligibleConnected Eligibility = "connected"
	// IneligibleSameVPC is a cluster in the mesh's own VPC: it reaches the
	// mesh directly and needs no PrivateLink.
	IneligibleSameVPC Eligibility = "same-vpc"
	// IneligibleRegion is a cluster of another region.
	IneligibleRegion Eligibility = "other-region"
	// IneligibleForbidden is a cluster that ASM says cannot be added.
	IneligibleForbidden Eligibility = "forbidden"
)

var eligibilityRank = map[Eligibility]int{
	EligibleConnect: 0, EligibleAdd: 1, EligibleConnected: 2,
	IneligibleSameVPC: 3, IneligibleRegion: 4, IneligibleForbidden: 5,
}

// Eligible tells whether the picker lets the person choose the cluster.
func (e Eligibility) Eligible() bool {
	return e == EligibleConnect || e == EligibleAdd || e == EligibleConnected
}

// Candidate is an ACK cluster as the cluster picker shows it.
type Candidate struct {
	Cluster     cloud.Cluster
	Eligibility Eligibility
	// Reason says in one line why the cluster is or is not eligible, e.g.
	// "in the mesh's own VPC vpc-1: no PrivateLink needed".
	Reason string
	// InMesh tells whether the cluster has been added to the mesh.
	InMesh bool
	// Connected tells whether the ASMPvlConfig has an entry for it.
	Connected bool
	// Edge marks ACK Edge clusters (still eligible; the edge network checks
	// apply).
	Edge bool
	// Intents lists what the person may do: connect, or change and remove.
	Intents []Intent
}

// Candidates lists every ACK cluster relative to the environment's mesh,
// eligible ones first, each with the reason: connect (in the mesh, other
// VPC), add (not yet in the mesh), connected (in the ASMPvlConfig: change
// or remove), then the mesh's own VPC, other regions (as ASM offers them)
// and clusters ASM refuses. Clusters named by the ASMPvlConfig that the cloud no longer
// lists are included so that their entries can be removed. Within a group
// clusters sort by name, then ID.
func Candidates(e *Env) []Candidate {
	ix := newMembership(e)
	out := make([]Candidate, 0, len(e.Clusters))
	seen := map[string]bool{}
	for _, c := range e.Clusters {
		seen[c.ID] = true
		out = append(out, ix.candidate(e.Mesh, c))
	}
	// ASM offers clusters of every region; those of other regions are
	// listed too, so the picker can say why they cannot be connected.
	for _, a := range e.AddableClusters {
		if !seen[a.ClusterID] {
			seen[a.ClusterID] = true
			out = append(out, ix.candidate(e.Mesh, cloud.Cluster{ID: a.ClusterID, Name: a.Name, RegionID: a.RegionID, VpcID: a.VpcID, State: a.State}))
		}
	}
	if e.Config != nil {
		for _, id := range e.Config.ClusterIDs() {
			if !seen[id] {
				seen[id] = true
				out = append(out, Candidate{
					Cluster: cloud.Cluster{ID: id}, Eligibility: EligibleConnected, Connected: true, InMesh: ix.inMesh[id],
					Reason:  "in the ASMPvlConfig but not listed by the cloud: remove its entry",
					Intents: []Intent{IntentRemove},
				})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Candidate) int {
		return cmp.Or(
			cmp.Compare(eligibilityRank[a.Eligibility], eligibilityRank[b.Eligibility]),
			cmp.Compare(a.Cluster.Name, b.Cluster.Name),
			cmp.Compare(a.Cluster.ID, b.Cluster.ID),
		)
	})
	return out
}

// membership indexes, once per listing, which clusters are in the mesh,
// in the ASMPvlConfig, and what ASM says about adding the others.
type membership struct {
	inMesh    map[string]bool
	connected map[string]bool
	addable   map[string]cloud.AddableCluster
}

func newMembership(e *Env) membership {
	m := membership{inMesh: map[string]bool{}, connected: map[string]bool{}, addable: map[string]cloud.AddableCluster{}}
	for _, id := range e.Mesh.ClusterIDs {
		m.inMesh[id] = true
	}
	for _, mc := range e.MeshClusters {
		m.inMesh[mc.ClusterID] = true
	}
	if e.Config != nil {
		for _, id := range e.Config.ClusterIDs() {
			m.connected[id] = true
		}
	}
	for _, a := range e.AddableClusters {
		m.addable[a.ClusterID] = a
	}
	return m
}

func (ix membership) candidate(mesh cloud.Mesh, c cloud.Cluster) Candidate {
	cand := Candidate{Cluster: c, InMesh: ix.inMesh[c.ID], Connected: ix.connected[c.ID], Edge: c.IsEdge()}
	edge := ""
	if cand.Edge {
		edge = "; ACK Edge cluster"
	}
	switch {
	case cand.Connected:
		cand.Eligibility, cand.Intents = EligibleConnected, []Intent{IntentChange, IntentRemove}
		cand.Reason = "connected over PrivateLink: change its vSwitches or remove it"
	case c.RegionID != mesh.RegionID:
		cand.Eligibility = IneligibleRegion
		cand.Reason = fmt.Sprintf("in region %s, the mesh is in %s", c.RegionID, mesh.RegionID)
	case c.VpcID == mesh.VpcID:
		cand.Eligibility = IneligibleSameVPC
		cand.Reason = fmt.Sprintf("in the mesh's own VPC %s: no PrivateLink needed", c.VpcID)
	case cand.InMesh:
		cand.Eligibility, cand.Intents = EligibleConnect, []Intent{IntentConnect}
		cand.Reason = fmt.Sprintf("in the mesh, VPC %s", c.VpcID)
	default:
		a := ix.addable[c.ID]
		if why := refusal(a, mesh); why != "" {
			cand.Eligibility = IneligibleForbidden
			cand.Reason = why
			break
		}
		cand.Eligibility, cand.Intents = EligibleAdd, []Intent{IntentConnect}
		cand.Reason = fmt.Sprintf("not in the mesh yet, VPC %s: it will be added first", c.VpcID)
		if a.ForbiddenFlag == cloud.ForbiddenNoCEN {
			cand.Reason = fmt.Sprintf("not in the mesh yet, VPC %s with no CEN to the mesh's VPC, which PrivateLink connects: it will be added first", c.VpcID)
		}
	}
	cand.Reason += edge
	return cand
}

// refusal says why ASM will not add a cluster, from DescribeServiceMeshClusters'
// ForbiddenFlag (meanings from the API reference; see cloud.ForbiddenNone),
// with what to do about it; "" when the cluster can be added. Flag 2 (no CEN
// between the VPCs) is no refusal: PrivateLink is the connection asmlink
// makes. ForbiddenInfo is never shown as raw JSON.
func refusal(a cloud.AddableCluster, mesh cloud.Mesh) string {
	if a.ServiceMeshID != "" && a.ServiceMeshID != mesh.ID {
		return fmt.Sprintf("already in ASM instance %s: a cluster belongs to one mesh; remove it there first", a.ServiceMeshID)
	}
	switch a.ForbiddenFlag {
	case cloud.ForbiddenNone, cloud.ForbiddenNoCEN:
		return ""
	case cloud.ForbiddenNoAdmin:
		return "ASM cannot add it: you lack admin (cluster-admin) permission on this cluster; " +
			"ask its owner to grant your RAM user the administrator role in ACK (Authorizations > RBAC), then refresh"
	case cloud.ForbiddenCIDR:
		if len(a.CIDRConflicts) == 0 {
			return "ASM cannot add it: its CIDR blocks overlap those of the mesh's clusters (ASM named no CIDR); " +
				"Pod, Service and VPC CIDRs must not overlap across the mesh"
		}
		parts := make([]string, 0, len(a.CIDRConflicts))
		for _, k := range a.CIDRConflicts {
			parts = append(parts, conflictWords(k))
		}
		return "ASM cannot add it: its CIDR blocks overlap " + strings.Join(parts, ", ") +
			"; Pod, Service and VPC CIDRs must not overlap across the mesh"
	case cloud.ForbiddenIstioNamespace:
		return "ASM cannot add it: the cluster already has a namespace istio-system (perhaps a self-managed Istio); " +
			"uninstall that Istio or delete the namespace (kubectl delete namespace istio-system), then refresh"
	}
	why := fmt.Sprintf("ASM cannot add it (reason %d", a.ForbiddenFlag)
	if a.ForbiddenInfo != "" && !strings.HasPrefix(strings.TrimSpace(a.ForbiddenInfo), "[") && !strings.HasPrefix(strings.TrimSpace(a.ForbiddenInfo), "{") {
		why += ": " + a.ForbiddenInfo
	}
	return why + "); see the ASM console's Add Cluster page for details"
}

// conflictWords names one CIDR clash in words: "the Pod CIDR 172.20.0.0/16
// of cluster c123…".
func conflictWords(k cloud.CIDRConflict) string {
	what := strings.TrimSpace(k.Object + " CIDR " + k.CIDR)
	if k.Cluster != "" {
		return "the " + what + " of cluster " + k.Cluster
	}
	return "the mesh's " + what
}
