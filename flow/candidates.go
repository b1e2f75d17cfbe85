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
		if a, ok := ix.addable[c.ID]; ok && a.Forbidden {
			cand.Eligibility = IneligibleForbidden
			cand.Reason = "ASM cannot add it: " + cmp.Or(a.ForbiddenInfo, "no reason given")
			break
		}
		cand.Eligibility, cand.Intents = EligibleAdd, []Intent{IntentConnect}
		cand.Reason = fmt.Sprintf("not in the mesh yet, VPC %s: it will be added first", c.VpcID)
	}
	cand.Reason += edge
	return cand
}

// FilterCandidates keeps the candidates whose ID, name, VPC, region,
// eligibility or reason contains every word of text, ignoring case. An
// empty text keeps all. The order is kept.
func FilterCandidates(cands []Candidate, text string) []Candidate {
	words := strings.Fields(strings.ToLower(text))
	if len(words) == 0 {
		return cands
	}
	var out []Candidate
	for _, c := range cands {
		hay := strings.ToLower(strings.Join([]string{c.Cluster.ID, c.Cluster.Name, c.Cluster.VpcID, c.Cluster.RegionID, string(c.Eligibility), c.Reason}, " "))
		if !slices.ContainsFunc(words, func(w string) bool { return !strings.Contains(hay, w) }) {
			out = append(out, c)
		}
	}
	return out
}
