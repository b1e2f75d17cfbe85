package flow

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/asmlink/asmlink/cloud"
)

// edgeReserved is the range many Alibaba Cloud services use; edge nodes in
// a data center that also uses it cannot reach those services (seed 003).
var edgeReserved = netip.MustParsePrefix("100.64.0.0/10")

// block is one CIDR block and who owns it, e.g. "pod CIDR of cluster c1 (prod)".
type block struct {
	prefix netip.Prefix
	owner  string
	// key groups blocks that are allowed to overlap each other, e.g. the
	// blocks of one VPC; blocks with the same key are not compared.
	key string
}

func (b block) String() string { return b.prefix.String() + " (" + b.owner + ")" }

// networkMembers returns the clusters whose networks must not clash: every
// cluster of the mesh plus the chosen one, as full cloud.Cluster values.
// Clusters whose details are unknown are named in missing.
func (e *Env) networkMembers() (members []cloud.Cluster, missing []string) {
	ids := append([]string{}, e.Mesh.ClusterIDs...)
	if e.ClusterID != "" && !slices.Contains(ids, e.ClusterID) {
		ids = append(ids, e.ClusterID)
	}
	for _, id := range ids {
		c, ok := e.cluster(id)
		if !ok {
			missing = append(missing, id)
			continue
		}
		members = append(members, c)
	}
	return members, missing
}

func clusterLabel(c cloud.Cluster) string { return clusterRef(c).String() }

// parseBlock parses a CIDR; a value that is not a CIDR is reported in bad.
func parseBlock(cidr, owner, key string, bad *[]string) (block, bool) {
	if cidr == "" {
		return block{}, false
	}
	p, err := netip.ParsePrefix(cidr)
	if err != nil {
		*bad = append(*bad, fmt.Sprintf("%s %q is not a CIDR block, so it was not compared", owner, cidr))
		return block{}, false
	}
	return block{prefix: p.Masked(), owner: owner, key: key}, true
}

// podBlocks returns the pod CIDRs of the members; Terway clusters have none
// (their pods take vSwitch addresses, which the vSwitch checks cover).
func podBlocks(members []cloud.Cluster, bad *[]string) []block {
	var out []block
	for _, c := range members {
		if b, ok := parseBlock(c.PodCIDR, "pod CIDR of "+clusterLabel(c), c.ID, bad); ok {
			out = append(out, b)
		}
	}
	return out
}

func serviceBlocks(members []cloud.Cluster, bad *[]string) []block {
	var out []block
	for _, c := range members {
		if b, ok := parseBlock(c.ServiceCIDR, "Service CIDR of "+clusterLabel(c), c.ID, bad); ok {
			out = append(out, b)
		}
	}
	return out
}

// memberVPCs returns the distinct VPC IDs of the members, in member order.
func memberVPCs(members []cloud.Cluster) []string {
	var ids []string
	for _, c := range members {
		if c.VpcID != "" && !slices.Contains(ids, c.VpcID) {
			ids = append(ids, c.VpcID)
		}
	}
	return ids
}

// vpcBlocks returns the primary and secondary CIDRs of the members' VPCs,
// keyed by VPC so that one VPC's blocks are not compared with each other.
func (e *Env) vpcBlocks(members []cloud.Cluster, bad *[]string) []block {
	var out []block
	for _, id := range memberVPCs(members) {
		v, ok := e.vpc(id)
		if !ok {
			continue
		}
		for _, cidr := range append([]string{v.CIDR}, v.SecondaryCIDRs...) {
			if b, ok := parseBlock(cidr, "CIDR of VPC "+v.ID, v.ID, bad); ok {
				out = append(out, b)
			}
		}
	}
	return out
}

// vswitchBlocks returns the CIDRs of every vSwitch in the members' VPCs.
func (e *Env) vswitchBlocks(members []cloud.Cluster, bad *[]string) []block {
	var out []block
	for _, id := range memberVPCs(members) {
		for _, vs := range e.VSwitches[id] {
			if b, ok := parseBlock(vs.CIDR, "vSwitch "+vs.ID+" in VPC "+id, id, bad); ok {
				out = append(out, b)
			}
		}
	}
	return out
}

// overlapsWithin lists every pair of blocks in list that overlap, skipping
// pairs with the same key.
func overlapsWithin(list []block) []string {
	var out []string
	for i := range list {
		for j := i + 1; j < len(list); j++ {
			if list[i].key != list[j].key && list[i].prefix.Overlaps(list[j].prefix) {
				out = append(out, list[i].String()+" overlaps "+list[j].String())
			}
		}
	}
	return out
}

// overlapsBetween lists every pair (a, b) with a from as and b from bs
// that overlap. Keys are not consulted: a cluster's pod CIDR must not
// overlap even its own VPC.
func overlapsBetween(as, bs []block) []string {
	var out []string
	for _, a := range as {
		for _, b := range bs {
			if a.prefix.Overlaps(b.prefix) {
				out = append(out, a.String()+" overlaps "+b.String())
			}
		}
	}
	return out
}

// overlapResult turns the overlaps found into a result. what names the
// kind of overlap for the message, e.g. "pod CIDRs overlap each other".
func overlapResult(members []cloud.Cluster, missing, overlaps, bad []string, what, okMsg string) Result {
	notes := append([]string{}, bad...)
	for _, id := range missing {
		notes = append(notes, "cluster "+id+" is in the mesh but not listed in the region, so its CIDRs were not compared")
	}
	if len(overlaps) > 0 {
		n := len(overlaps)
		msg := fmt.Sprintf("%d overlap", n)
		if n > 1 {
			msg += "s"
		}
		return problem(msg+": "+what, append(overlaps, notes...)...)
	}
	if len(members) == 0 {
		return skip("no cluster of the mesh is known")
	}
	return pass(fmt.Sprintf("%s, across %d cluster(s)", okMsg, len(members)), notes...)
}

func checkPodOverlap(e *Env) Result {
	members, missing := e.networkMembers()
	var bad []string
	pods := podBlocks(members, &bad)
	return overlapResult(members, missing, overlapsWithin(pods), bad,
		"pod CIDRs of different clusters overlap", "no pod CIDRs overlap")
}

func checkPodVPCOverlap(e *Env) Result {
	members, missing := e.networkMembers()
	var bad []string
	pods, vpcs := podBlocks(members, &bad), e.vpcBlocks(members, &bad)
	return overlapResult(members, missing, overlapsBetween(pods, vpcs), bad,
		"a pod CIDR overlaps a VPC CIDR", "no pod CIDR overlaps a VPC CIDR")
}

func checkServiceOverlap(e *Env) Result {
	members, missing := e.networkMembers()
	var bad []string
	svcs := serviceBlocks(members, &bad)
	return overlapResult(members, missing, overlapsWithin(svcs), bad,
		"Service CIDRs of different clusters overlap", "no Service CIDRs overlap")
}

func checkServiceVPCOverlap(e *Env) Result {
	members, missing := e.networkMembers()
	var bad []string
	svcs, vpcs := serviceBlocks(members, &bad), e.vpcBlocks(members, &bad)
	return overlapResult(members, missing, overlapsBetween(svcs, vpcs), bad,
		"a Service CIDR overlaps a VPC CIDR", "no Service CIDR overlaps a VPC CIDR")
}

func checkVSwitchOverlap(e *Env) Result {
	members, missing := e.networkMembers()
	var bad []string
	vsws := e.vswitchBlocks(members, &bad)
	clusterRanges := append(podBlocks(members, &bad), serviceBlocks(members, &bad)...)
	return overlapResult(members, missing, overlapsBetween(vsws, clusterRanges), bad,
		"a vSwitch CIDR overlaps a pod or Service CIDR", "no vSwitch CIDR overlaps a pod or Service CIDR")
}

func checkVPCOverlap(e *Env) Result {
	members, missing := e.networkMembers()
	var bad []string
	vpcs := e.vpcBlocks(members, &bad)
	if len(memberVPCs(members)) < 2 {
		return skip("all clusters of the mesh are in one VPC")
	}
	return overlapResult(members, missing, overlapsWithin(vpcs), bad,
		"the VPCs of different clusters overlap", "no VPC CIDRs overlap")
}

func checkEdgeReserved(e *Env) Result {
	members, missing := e.networkMembers()
	var edges []cloud.Cluster
	for _, c := range members {
		if c.IsEdge() {
			edges = append(edges, c)
		}
	}
	if len(edges) == 0 {
		return skip("no edge cluster in the mesh")
	}
	var bad []string
	reserved := []block{{prefix: edgeReserved, owner: "range used by Alibaba Cloud services"}}
	ranges := append(podBlocks(edges, &bad), serviceBlocks(edges, &bad)...)
	ranges = append(ranges, e.vswitchBlocks(edges, &bad)...)
	var names []string
	for _, c := range edges {
		names = append(names, c.ID)
	}
	res := overlapResult(edges, missing, overlapsBetween(ranges, reserved), bad,
		"an edge cluster uses 100.64.0.0/10", "no edge cluster range is in 100.64.0.0/10")
	if res.Status == StatusPass {
		res.Details = append(res.Details, "also keep the data center networks of edge cluster(s) "+strings.Join(names, ", ")+" out of 100.64.0.0/10")
	}
	return res
}
