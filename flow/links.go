package flow

import (
	"fmt"
	"slices"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/spec"
)

// LinkEnd is one link of one cluster: the endpoint and the endpoint
// service as ASM reports them in the ASMPvlConfig status and, when the
// PrivateLink APIs list them, as PrivateLink reports them.
type LinkEnd struct {
	EndpointID       string `json:"endpointId,omitempty"`
	EndpointStatus   string `json:"endpointStatus,omitempty"`
	ConnectionStatus string `json:"connectionStatus,omitempty"`
	Domain           string `json:"domain,omitempty"`
	ServiceID        string `json:"serviceId,omitempty"`
	ServiceName      string `json:"serviceName,omitempty"`
	ServiceStatus    string `json:"serviceStatus,omitempty"`
	// CrossChecked tells whether the PrivateLink APIs were asked; only then
	// can the link be up, since health is what both ASM and PrivateLink say.
	CrossChecked bool `json:"crossChecked"`
	// Listed tells whether the PrivateLink APIs list the endpoint and the
	// endpoint service; false when they were not asked or do not know them.
	EndpointListed bool `json:"endpointListed"`
	ServiceListed  bool `json:"serviceListed"`
	// API* are the states PrivateLink reports, "" when not listed.
	APIEndpointStatus   string `json:"apiEndpointStatus,omitempty"`
	APIConnectionStatus string `json:"apiConnectionStatus,omitempty"`
	APIServiceStatus    string `json:"apiServiceStatus,omitempty"`
}

// Health is the verdict on a link, from the ASMPvlConfig status and the
// PrivateLink APIs together.
type Health string

// The verdicts on a link, from best to worst.
const (
	// HealthUp: ASM reports the endpoint Active and Connected and the
	// endpoint service Active, and PrivateLink lists both in those states.
	HealthUp Health = "up"
	// HealthSettling: ASM reports the link healthy but PrivateLink does not
	// agree (yet): another state, not listed, or not asked.
	HealthSettling Health = "settling"
	// HealthPending: ASM is still creating or connecting the link.
	HealthPending Health = "pending"
	// HealthFailed: ASM or PrivateLink reports a state that waiting does
	// not leave, e.g. Failed.
	HealthFailed Health = "failed"
)

// rank orders the verdicts so that the worst of several can be taken.
func (h Health) rank() int {
	return slices.Index([]Health{HealthUp, HealthSettling, HealthPending, HealthFailed}, h)
}

// worst returns the worst of the verdicts.
func worst(hs ...Health) Health {
	out := HealthUp
	for _, h := range hs {
		if h.rank() > out.rank() {
			out = h
		}
	}
	return out
}

// The states an endpoint, an endpoint service or a connection passes
// through on its way to Active or Connected, from the PrivateLink API
// reference (ListVpcEndpoints EndpointStatus/ConnectionStatus,
// ListVpcEndpointServices ServiceStatus). Any other state than these and
// the good one is a failure. "" is a state ASM has not reported yet.
var (
	transitionalResource   = []string{"", "Creating", "Pending", "Updating"}
	transitionalConnection = []string{"", "Connecting", "Pending", "Disconnected"}
)

// failedState tells whether s is neither good nor on its way there.
func failedState(s, good string, transitional []string) bool {
	return s != good && !slices.Contains(transitional, s)
}

// FailedState tells whether a resource state (good spec.StateActive) or a
// connection state (good spec.ConnectionHealthy) is a failure: neither the
// good state nor one on the way to it.
func FailedState(s, good string) bool {
	if good == spec.ConnectionHealthy {
		return failedState(s, good, transitionalConnection)
	}
	return failedState(s, good, transitionalResource)
}

// Reported tells whether ASM reported anything for this link yet.
func (l LinkEnd) Reported() bool {
	return l.EndpointID != "" || l.ServiceID != "" || l.EndpointStatus != "" || l.ServiceStatus != ""
}

// asmHealthy tells whether ASM reports the endpoint Active and Connected
// and the endpoint service Active.
func (l LinkEnd) asmHealthy() bool {
	return l.EndpointStatus == spec.StateActive && l.ConnectionStatus == spec.ConnectionHealthy && l.ServiceStatus == spec.StateActive
}

// apiAgrees tells whether PrivateLink lists the endpoint Active and
// Connected and the endpoint service Active.
func (l LinkEnd) apiAgrees() bool {
	return l.CrossChecked && l.EndpointListed && l.ServiceListed &&
		l.APIEndpointStatus == spec.StateActive && l.APIConnectionStatus == spec.ConnectionHealthy && l.APIServiceStatus == spec.StateActive
}

// Health is the conjunction of what ASM and PrivateLink report: up only
// when both say Active and Connected; settling while ASM says healthy
// and PrivateLink does not agree; failed when either reports a state that
// waiting does not leave; pending otherwise.
func (l LinkEnd) Health() Health {
	if len(l.Failures()) > 0 {
		return HealthFailed
	}
	switch {
	case !l.asmHealthy():
		return HealthPending
	case l.apiAgrees():
		return HealthUp
	}
	return HealthSettling
}

// Healthy tells whether the link is up: ASM and PrivateLink agree that
// the endpoint is Active and Connected and the endpoint service Active.
func (l LinkEnd) Healthy() bool { return l.Health() == HealthUp }

// Failures lists the failed states of this link, as ASM or PrivateLink
// report them, e.g. "endpoint ep-1 Failed".
func (l LinkEnd) Failures() []string {
	var out []string
	add := func(who, what, id, state, good string, transitional []string) {
		if failedState(state, good, transitional) {
			out = append(out, fmt.Sprintf("%s %s %s%s", what, orUnknown(id), state, who))
		}
	}
	if l.Reported() {
		add("", "endpoint service", l.ServiceID, l.ServiceStatus, spec.StateActive, transitionalResource)
		add("", "endpoint", l.EndpointID, l.EndpointStatus, spec.StateActive, transitionalResource)
		if l.EndpointStatus == spec.StateActive {
			add("", "endpoint", l.EndpointID, l.ConnectionStatus, spec.ConnectionHealthy, transitionalConnection)
		}
	}
	if l.ServiceListed {
		add(" (PrivateLink)", "endpoint service", l.ServiceID, l.APIServiceStatus, spec.StateActive, transitionalResource)
	}
	if l.EndpointListed {
		add(" (PrivateLink)", "endpoint", l.EndpointID, l.APIEndpointStatus, spec.StateActive, transitionalResource)
		if l.APIEndpointStatus == spec.StateActive {
			add(" (PrivateLink)", "endpoint", l.EndpointID, l.APIConnectionStatus, spec.ConnectionHealthy, transitionalConnection)
		}
	}
	return out
}

// Pending lists what this link still waits for, e.g. "endpoint ep-1
// Connecting" or "PrivateLink to list endpoint ep-1 Active Connected";
// empty when it is up or failed (a failure is not waited for).
func (l LinkEnd) Pending() []string {
	if !l.Reported() {
		return []string{"endpoint and endpoint service not reported yet"}
	}
	switch l.Health() {
	case HealthUp, HealthFailed:
		return nil
	case HealthSettling:
		return l.settling()
	}
	var out []string
	if l.ServiceStatus != spec.StateActive {
		out = append(out, fmt.Sprintf("endpoint service %s %s", orUnknown(l.ServiceID), orUnknown(l.ServiceStatus)))
	}
	if l.EndpointStatus != spec.StateActive {
		out = append(out, fmt.Sprintf("endpoint %s %s", orUnknown(l.EndpointID), orUnknown(l.EndpointStatus)))
	} else if l.ConnectionStatus != spec.ConnectionHealthy {
		out = append(out, fmt.Sprintf("endpoint %s connection %s", orUnknown(l.EndpointID), orUnknown(l.ConnectionStatus)))
	}
	return out
}

// settling says how PrivateLink still disagrees with a link ASM reports
// healthy.
func (l LinkEnd) settling() []string {
	if !l.CrossChecked {
		return []string{"PrivateLink to confirm the status (not asked)"}
	}
	var out []string
	switch {
	case !l.ServiceListed:
		out = append(out, fmt.Sprintf("PrivateLink to list endpoint service %s", l.ServiceID))
	case l.APIServiceStatus != spec.StateActive:
		out = append(out, fmt.Sprintf("PrivateLink to report endpoint service %s Active (it says %s)", l.ServiceID, orUnknown(l.APIServiceStatus)))
	}
	switch {
	case !l.EndpointListed:
		out = append(out, fmt.Sprintf("PrivateLink to list endpoint %s", l.EndpointID))
	case l.APIEndpointStatus != spec.StateActive || l.APIConnectionStatus != spec.ConnectionHealthy:
		out = append(out, fmt.Sprintf("PrivateLink to report endpoint %s Active Connected (it says %s %s)", l.EndpointID, orUnknown(l.APIEndpointStatus), orUnknown(l.APIConnectionStatus)))
	}
	return out
}

func orUnknown(s string) string {
	if s == "" {
		return "(not reported)"
	}
	return s
}

// ClusterLinks is both links of one cluster.
type ClusterLinks struct {
	ClusterID string `json:"clusterId"`
	// InSpec tells whether the cluster has an ackVpcEndpoint entry; a
	// cluster only in status is being removed.
	InSpec bool `json:"inSpec"`
	// A is link A: the ASM control plane to the ACK API server (endpoint
	// service on the ACK side, endpoint in the ASM VPC). Its domain must
	// be in the API server certificate's SANs.
	A LinkEnd `json:"linkA"`
	// B is link B: the ACK data plane to ASM Pilot (endpoint service on the
	// ASM side, endpoint in the cluster's VPC).
	B LinkEnd `json:"linkB"`
	// MeshState is the cluster's state as the mesh sees it ("" when the
	// mesh does not hold it), and MeshError its error message.
	MeshState string `json:"meshState,omitempty"`
	MeshError string `json:"meshError,omitempty"`
}

// Healthy tells whether both links of the cluster are up.
func (c ClusterLinks) Healthy() bool { return c.A.Healthy() && c.B.Healthy() }

// namedEnd is one link of a cluster with its name, "A" or "B".
type namedEnd struct {
	name string
	end  LinkEnd
}

// ends returns the cluster's two links, A then B.
func (c ClusterLinks) ends() []namedEnd { return []namedEnd{{"A", c.A}, {"B", c.B}} }

// Health is the worse verdict of the cluster's two links.
func (c ClusterLinks) Health() Health { return worst(c.A.Health(), c.B.Health()) }

// LinkView is the summary the dashboard and `status` render: the overall
// status and both links of every cluster.
type LinkView struct {
	// Status is the ASMPvlConfig's status.status, "" before ASM wrote one.
	Status   string         `json:"status"`
	Clusters []ClusterLinks `json:"clusters"`
}

// Available tells whether ASM reports Available and every cluster of the
// spec has both links healthy.
func (v LinkView) Available() bool {
	if v.Status != spec.StatusAvailable {
		return false
	}
	for _, c := range v.Clusters {
		if c.InSpec && !c.Healthy() {
			return false
		}
	}
	return true
}

// Settled tells whether ASM has finished acting on the spec: every cluster
// of the spec has healthy links under an Available status, and no removed
// cluster is left in status. With no cluster in the spec, only the second
// half applies. This is what the wizard waits for after an apply.
func (v LinkView) Settled() bool {
	for _, c := range v.Clusters {
		if !c.InSpec {
			return false
		}
	}
	return len(v.Clusters) == 0 || v.Available()
}

// Cluster returns the links of one cluster.
func (v LinkView) Cluster(id string) (ClusterLinks, bool) {
	i := slices.IndexFunc(v.Clusters, func(c ClusterLinks) bool { return c.ClusterID == id })
	if i < 0 {
		return ClusterLinks{}, false
	}
	return v.Clusters[i], true
}

// Failures lists the failed states of the spec's clusters' links, e.g.
// "cluster c1 link A: endpoint ep-1 Failed"; a failure is never waited for.
func (v LinkView) Failures() []string {
	var out []string
	for _, c := range v.Clusters {
		if !c.InSpec {
			continue
		}
		for _, l := range c.ends() {
			for _, f := range l.end.Failures() {
				out = append(out, fmt.Sprintf("cluster %s link %s: %s", c.ClusterID, l.name, f))
			}
		}
	}
	return out
}

// Pending lists what the links still wait for, per cluster, e.g.
// "cluster c1 link B: endpoint ep-2 Creating".
func (v LinkView) Pending() []string {
	var out []string
	for _, c := range v.Clusters {
		if !c.InSpec {
			out = append(out, fmt.Sprintf("cluster %s: entries of a removed cluster still in status", c.ClusterID))
			continue
		}
		for _, l := range c.ends() {
			for _, p := range l.end.Pending() {
				out = append(out, fmt.Sprintf("cluster %s link %s: %s", c.ClusterID, l.name, p))
			}
		}
	}
	if v.Status != spec.StatusAvailable && len(out) == 0 && len(v.Failures()) == 0 {
		out = append(out, "status "+orUnknown(v.Status))
	}
	return out
}

// Links summarizes cfg's status per cluster, in the order of the spec's
// entries and then of clusters found only in status, cross-referenced with
// what the PrivateLink APIs list and how the mesh sees each cluster.
// services and endpoints are both nil when PrivateLink was not asked (no
// link is then up, only settling); an empty listing is a non-nil empty
// slice, as Observe returns it.
func Links(cfg *spec.ASMPvlConfig, services []cloud.EndpointService, endpoints []cloud.Endpoint, meshClusters []cloud.MeshCluster) LinkView {
	var v LinkView
	if cfg == nil {
		return v
	}
	var ids []string
	for _, e := range cfg.Spec.AckVpcEndpoint {
		ids = append(ids, e.ClusterID)
	}
	inSpec := len(ids)
	st := cfg.Status
	var pilotService *spec.EndpointService
	var aLinks, bLinks []spec.ClusterLink
	if st != nil {
		v.Status = st.Status
		aLinks = st.Clusters
		if st.Pilot != nil {
			bLinks, pilotService = st.Pilot.Clusters, st.Pilot.PvlEndpointService
		}
	}
	for _, l := range append(slices.Clone(aLinks), bLinks...) {
		if !slices.Contains(ids, l.ClusterID) {
			ids = append(ids, l.ClusterID)
		}
	}
	for i, id := range ids {
		c := ClusterLinks{ClusterID: id, InSpec: i < inSpec}
		if j := slices.IndexFunc(aLinks, func(l spec.ClusterLink) bool { return l.ClusterID == id }); j >= 0 {
			c.A = linkEnd(aLinks[j].PvlEndpoint, aLinks[j].PvlEndpointService, services, endpoints)
		}
		if j := slices.IndexFunc(bLinks, func(l spec.ClusterLink) bool { return l.ClusterID == id }); j >= 0 {
			c.B = linkEnd(bLinks[j].PvlEndpoint, pilotService, services, endpoints)
		}
		if j := slices.IndexFunc(meshClusters, func(m cloud.MeshCluster) bool { return m.ClusterID == id }); j >= 0 {
			c.MeshState, c.MeshError = meshClusters[j].State, meshClusters[j].ErrorMessage
		}
		v.Clusters = append(v.Clusters, c)
	}
	return v
}

func linkEnd(ep *spec.PvlEndpoint, svc *spec.EndpointService, services []cloud.EndpointService, endpoints []cloud.Endpoint) LinkEnd {
	l := LinkEnd{CrossChecked: services != nil || endpoints != nil}
	if ep != nil {
		l.EndpointID, l.EndpointStatus, l.ConnectionStatus, l.Domain = ep.ID, ep.Status, ep.ConnectionStatus, ep.DomainName
		if i := slices.IndexFunc(endpoints, func(e cloud.Endpoint) bool { return e.ID == ep.ID }); ep.ID != "" && i >= 0 {
			l.EndpointListed, l.APIEndpointStatus, l.APIConnectionStatus = true, endpoints[i].Status, endpoints[i].ConnectionStatus
		}
	}
	if svc != nil {
		l.ServiceID, l.ServiceName, l.ServiceStatus = svc.ID, svc.Name, svc.Status
		if i := slices.IndexFunc(services, func(s cloud.EndpointService) bool { return s.ID == svc.ID }); svc.ID != "" && i >= 0 {
			l.ServiceListed, l.APIServiceStatus = true, services[i].Status
		}
	}
	return l
}
