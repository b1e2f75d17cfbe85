package flow

import (
	"context"
	"fmt"
	"slices"
	"strings"

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
	// Listed tells whether the PrivateLink APIs list the endpoint and the
	// endpoint service; false when they were not asked or do not know them.
	EndpointListed bool `json:"endpointListed"`
	ServiceListed  bool `json:"serviceListed"`
	// API* are the states PrivateLink reports, "" when not listed.
	APIEndpointStatus   string `json:"apiEndpointStatus,omitempty"`
	APIConnectionStatus string `json:"apiConnectionStatus,omitempty"`
	APIServiceStatus    string `json:"apiServiceStatus,omitempty"`
}

// Reported tells whether ASM reported anything for this link yet.
func (l LinkEnd) Reported() bool { return l.EndpointID != "" || l.ServiceID != "" }

// Healthy tells whether ASM reports the endpoint Active and Connected and
// the endpoint service Active.
func (l LinkEnd) Healthy() bool {
	return l.EndpointStatus == spec.StateActive && l.ConnectionStatus == spec.ConnectionHealthy && l.ServiceStatus == spec.StateActive
}

// Pending lists what this link still waits for, e.g. "endpoint ep-1
// Connecting"; empty when healthy.
func (l LinkEnd) Pending() []string {
	var out []string
	if !l.Reported() {
		return []string{"endpoint and endpoint service not reported yet"}
	}
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

// Healthy tells whether both links of the cluster are healthy.
func (c ClusterLinks) Healthy() bool { return c.A.Healthy() && c.B.Healthy() }

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

// Pending lists what the links still wait for, per cluster, e.g.
// "cluster c1 link B: endpoint ep-2 Creating".
func (v LinkView) Pending() []string {
	var out []string
	for _, c := range v.Clusters {
		if !c.InSpec {
			out = append(out, fmt.Sprintf("cluster %s: entries of a removed cluster still in status", c.ClusterID))
			continue
		}
		for _, l := range []struct {
			name string
			end  LinkEnd
		}{{"link A", c.A}, {"link B", c.B}} {
			for _, p := range l.end.Pending() {
				out = append(out, fmt.Sprintf("cluster %s %s: %s", c.ClusterID, l.name, p))
			}
		}
	}
	if v.Status != spec.StatusAvailable && len(out) == 0 {
		out = append(out, "status "+orUnknown(v.Status))
	}
	return out
}

// Links summarizes cfg's status per cluster, in the order of the spec's
// entries and then of clusters found only in status, cross-referenced with
// what the PrivateLink APIs list (services, endpoints; either may be nil)
// and how the mesh sees each cluster.
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
	var l LinkEnd
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

// AvailableCondition is a wait condition that reads the ASMPvlConfig with
// get and is done when its LinkView is Settled; the state it reports says
// what it still waits for, so a timeout names it.
func AvailableCondition(get func(ctx context.Context) (*spec.ASMPvlConfig, error)) Condition {
	return func(ctx context.Context) (bool, string, error) {
		cfg, err := get(ctx)
		if err != nil {
			return false, "", err
		}
		v := Links(cfg, nil, nil, nil)
		if v.Settled() {
			return true, "status " + orUnknown(v.Status), nil
		}
		return false, strings.Join(v.Pending(), "; "), nil
	}
}
