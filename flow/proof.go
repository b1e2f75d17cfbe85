package flow

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/spec"
)

// The codes of the cloud-side proof of the links, doctor's checks PVL147
// and PVL148.
const (
	CodeProxySync     spec.Code = "PVL147"
	CodeMeshResources spec.Code = "PVL148"
)

// Proof is what the cloud itself says about the links beyond the
// ASMPvlConfig status and PrivateLink: istiod's view of each data-plane
// proxy (DescribeServiceMeshProxyStatus) and the state of the mesh's load
// balancers, EIPs and security group (DescribeServiceMeshAdditionalStatus).
type Proof struct {
	// Proxies is istiod's proxy list, ProxiesErr why it could not be read.
	Proxies    []cloud.ProxyStatus `json:"-"`
	ProxiesErr error               `json:"-"`
	// Pods are the "<pod>.<namespace>" names of each connected cluster's
	// pods (DescribeGuestClusterNamespaces/Pods), the only way to tell
	// which cluster a proxy runs in; PodsErr why they could not be read.
	Pods    map[string][]string `json:"-"`
	PodsErr error               `json:"-"`
	// LinkB is, per connected cluster, what the proxies prove.
	LinkB []LinkBProof `json:"linkB"`
	// Unattributed counts proxies of no connected cluster (the mesh's own
	// VPC, CEN) or of a pod name two clusters share.
	Unattributed int `json:"unattributed"`
	// Resources is the mesh's resources, ResourcesErr why they could not
	// be read.
	Resources    *cloud.MeshAdditionalStatus `json:"resources,omitempty"`
	ResourcesErr error                       `json:"-"`
}

// LinkBProof is what istiod's proxy status proves about one cluster's
// link B (ACK data plane to ASM Pilot).
type LinkBProof struct {
	ClusterID string `json:"clusterId"`
	// Proxies counts the proxies found among the cluster's pods, Synced
	// those that acknowledged istiod's last push of every kind.
	Proxies int `json:"proxies"`
	Synced  int `json:"synced"`
	// NotSynced names each proxy that did not, with its states.
	NotSynced []string `json:"notSynced,omitempty"`
	// Proven is set when at least one proxy of the cluster is SYNCED:
	// istiod pushed configuration to a sidecar in the cluster and got its
	// acknowledgement, which crosses link B both ways. A cluster without
	// sidecars proves nothing either way.
	Proven bool `json:"proven"`
}

// ObserveProof asks the cloud for the proxy status and the mesh's
// resources, and, to attribute proxies to clusters, the pods of each
// connected cluster when api can list them (cloud.DataPlaneAPI). Each
// failure is kept for the check that reports it.
func ObserveProof(ctx context.Context, api cloud.API, meshID string, clusterIDs []string) Proof {
	var p Proof
	p.Proxies, p.ProxiesErr = api.MeshProxyStatus(ctx, meshID)
	if r, err := api.MeshAdditionalStatus(ctx, meshID); err != nil {
		p.ResourcesErr = err
	} else {
		p.Resources = &r
	}
	dp, ok := api.(cloud.DataPlaneAPI)
	if p.ProxiesErr != nil || len(p.Proxies) == 0 || !ok {
		p.LinkB, p.Unattributed = ProveLinkB(p.Proxies, nil, clusterIDs)
		return p
	}
	p.Pods = map[string][]string{}
	for _, id := range clusterIDs {
		nss, err := dp.GuestNamespaces(ctx, meshID, id)
		if err != nil {
			p.PodsErr = err
			continue
		}
		for _, ns := range nss {
			pods, err := dp.GuestPods(ctx, meshID, id, ns.Name)
			if err != nil {
				p.PodsErr = err
				continue
			}
			for _, pod := range pods {
				p.Pods[id] = append(p.Pods[id], pod+"."+ns.Name)
			}
		}
	}
	p.LinkB, p.Unattributed = ProveLinkB(p.Proxies, p.Pods, clusterIDs)
	return p
}

// ProveLinkB attributes each proxy to the connected cluster whose pods
// (pods: cluster to "<pod>.<namespace>") hold its ProxyID, since istiod's
// answer names no cluster, and says per cluster what its proxies prove. A
// name that several clusters hold is attributed to none.
func ProveLinkB(proxies []cloud.ProxyStatus, pods map[string][]string, clusterIDs []string) ([]LinkBProof, int) {
	out := make([]LinkBProof, len(clusterIDs))
	for i, id := range clusterIDs {
		out[i].ClusterID = id
	}
	unattributed := 0
	for _, p := range proxies {
		owner := -1
		for i, id := range clusterIDs {
			if slices.Contains(pods[id], p.ProxyID) {
				if owner >= 0 {
					owner = -2
					break
				}
				owner = i
			}
		}
		if owner < 0 {
			unattributed++
			continue
		}
		b := &out[owner]
		b.Proxies++
		if p.Synced() {
			b.Synced++
			b.Proven = true
		} else {
			b.NotSynced = append(b.NotSynced, fmt.Sprintf("%s: cluster %s, listener %s, route %s, endpoint %s",
				p.ProxyID, orUnknown(p.ClusterSynced), orUnknown(p.ListenerSynced), orUnknown(p.RouteSynced), orUnknown(p.EndpointSynced)))
		}
	}
	return out, unattributed
}

// proofCatalog holds the cloud-side proof checks; doctor's catalog takes
// them in, so DoctorChecks runs them with the links.
var proofCatalog = []Check{
	{Code: CodeProxySync, Category: CategoryLinks, Severity: spec.Error, DependsOn: []spec.Code{CodeCloudAccess, CodeAPIServer},
		Description: "istiod's proxies in each connected cluster acknowledge its configuration (SYNCED), which proves link B carries traffic both ways",
		Hint:        "a proxy STALE or NOT SENT gets no configuration from istiod: check link B (`asmlink status`) and the sidecar's logs; a cluster without sidecars cannot prove link B",
		Run:         checkProxySync},
	{Code: CodeMeshResources, Category: CategoryLinks, Severity: spec.Error, DependsOn: []spec.Code{CodeCloudAccess},
		Description: "the mesh's API server and Pilot load balancers exist, unlocked, with their back ends, and its security group is in place (reported by ASM, not proven)",
		Hint:        "link B's endpoint service fronts the Pilot load balancer: a missing or locked load balancer (an overdue payment) cuts every cluster off Pilot; see the ASM console or open a ticket",
		Run:         checkMeshResources},
}

// proof returns the live proof, or the skip result when none was asked.
func (e *Env) proof() (*Proof, *Result) {
	l, r := e.live()
	if r != nil {
		return nil, r
	}
	if l.Proof == nil {
		s := skip("the proxy status and the mesh's resources were not asked")
		return nil, &s
	}
	return l.Proof, nil
}

func checkProxySync(_ context.Context, e *Env) Result {
	p, r := e.proof()
	if r != nil {
		return *r
	}
	if _, _, r := e.liveConfig(); r != nil {
		return *r
	}
	if p.ProxiesErr != nil {
		return Result{Status: StatusWarn, Message: "the proxy status could not be read, so link B is not proven: " + p.ProxiesErr.Error()}
	}
	var bad, proven, unproven []string
	for _, b := range p.LinkB {
		if e.ClusterID != "" && b.ClusterID != e.ClusterID {
			continue
		}
		switch {
		case len(b.NotSynced) > 0:
			bad = append(bad, fmt.Sprintf("cluster %s: %d of %d proxies not SYNCED: %s", b.ClusterID, len(b.NotSynced), b.Proxies, strings.Join(b.NotSynced, "; ")))
		case b.Proven:
			proven = append(proven, fmt.Sprintf("cluster %s: link B proven: %d proxies SYNCED with istiod", b.ClusterID, b.Synced))
		default:
			unproven = append(unproven, fmt.Sprintf("cluster %s: no sidecar proxy of the cluster is connected to istiod, so link B is not proven (only reported by status)", b.ClusterID))
		}
	}
	if p.PodsErr != nil {
		unproven = append(unproven, "the clusters' pods could not be listed to tell whose proxies these are: "+p.PodsErr.Error())
	}
	details := append(append(append([]string{}, bad...), unproven...), proven...)
	switch {
	case len(bad) > 0:
		return problemf("%d cluster(s) have proxies istiod gets no acknowledgement from", len(bad)).with(details...)
	case len(unproven) > 0:
		return say(StatusWarn, "link B proven for %d cluster(s), not proven for %d", len(proven), len(unproven)).with(details...)
	}
	return passf("link B proven for %d cluster(s) by istiod's proxy status", len(proven)).with(details...)
}

// failedResource lists the states of DescribeServiceMeshAdditionalStatus
// that mean the resource is not usable, from the SDK model's enums.
var failedResource = []string{"not_exist", "conflict", "failed", "time_out", "locked"}

func checkMeshResources(_ context.Context, e *Env) Result {
	p, r := e.proof()
	if r != nil {
		return *r
	}
	if p.ResourcesErr != nil {
		return Result{Status: StatusWarn, Message: "the mesh's resources could not be read: " + p.ResourcesErr.Error()}
	}
	res := p.Resources
	var bad, warn []string
	lb := func(name string, s cloud.LoadBalancerStatus) {
		switch {
		case slices.Contains(failedResource, s.Exist):
			bad = append(bad, fmt.Sprintf("%s load balancer: %s", name, s.Exist))
		case s.Locked:
			bad = append(bad, fmt.Sprintf("%s load balancer: locked", name))
		case s.Backends == "too_little" || s.Backends == "too_much":
			warn = append(warn, fmt.Sprintf("%s load balancer: back ends %s", name, s.Backends))
		}
	}
	lb("Pilot", res.PilotLB)
	lb("API server", res.APIServerLB)
	if slices.Contains([]string{"failed", "time_out"}, res.SecurityGroup) {
		bad = append(bad, "security group: "+res.SecurityGroup)
	}
	for _, eip := range []struct{ name, s string }{{"API server", res.APIServerEIP}, {"Pilot", res.PilotEIP}} {
		if slices.Contains([]string{"failed", "time_out", "locked"}, eip.s) {
			warn = append(warn, fmt.Sprintf("%s EIP: %s (public access only; PrivateLink does not use it)", eip.name, eip.s))
		}
	}
	summary := fmt.Sprintf("ASM reports the Pilot load balancer %s (back ends %s), the API server load balancer %s, security group %s",
		orUnknown(res.PilotLB.Exist), orUnknown(res.PilotLB.Backends), orUnknown(res.APIServerLB.Exist), orUnknown(res.SecurityGroup))
	switch {
	case len(bad) > 0:
		return problemf("%d resource(s) the links depend on are not usable", len(bad)).with(append(bad, warn...)...)
	case len(warn) > 0:
		return Result{Status: StatusWarn, Message: summary, Details: warn}
	}
	return pass(summary)
}

// ProofResults runs the cloud-side proof checks (PVL147, PVL148) on cfg
// and p outside doctor, for `status`, narrowed to clusterID when set.
func ProofResults(ctx context.Context, cfg *spec.ASMPvlConfig, p Proof, clusterID string) []Result {
	env := &Env{Config: cfg, ClusterID: clusterID, Live: &Live{Observation: Observation{Config: cfg}, Proof: &p}}
	return Runner{}.Run(ctx, env, slices.Clone(proofCatalog))
}
