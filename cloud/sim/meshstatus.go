package sim

import (
	"net/http"
	"slices"
	"strings"
)

// What the simulated ASM reports about its proxies and the resources it
// depends on, in the shapes of the servicemesh 2020-01-11 API
// (DescribeServiceMeshProxyStatus, DescribeServiceMeshAdditionalStatus),
// as the SDK models give them: the DescribeServiceMeshProxyStatusResponseBody
// ProxyStatus entries (ClusterSynced, ListenerSynced, RouteSynced,
// EndpointSynced, EndpointPercent, ProxyId, ProxyVersion, IstioVersion) and
// the DescribeServiceMeshAdditionalStatusResponseBody ClusterStatus object.

// meshStatus holds what a test set beyond what the world implies.
type meshStatus struct {
	// proxySync is the sync state of every proxy of a cluster, by cluster
	// ID; SYNCED when not set.
	proxySync map[string]string
	// additional replaces the whole ClusterStatus of a mesh, by mesh ID.
	additional map[string]AdditionalStatus
}

// The sync states of a proxy, from the SDK model's description.
const (
	ProxySynced     = "SYNCED"
	ProxyNotSent    = "NOT SENT"
	ProxyStale      = "STALE"
	ProxyNeverAcked = "STALE (Never Acknowledged)"
)

// LoadBalancerStatus is one load balancer of AdditionalStatus
// (ApiServerLoadBalancerStatus, PilotLoadBalancerStatus,
// CanaryPilotLoadBalancerStatus).
type LoadBalancerStatus struct {
	// Exist is SLBExistStatus: exist, not_exist, conflict, failed, time_out.
	Exist string
	// Backends is SLBBackEndServerNumStatus: num_exact, too_much, too_little.
	Backends string
	Locked   bool
	Reused   bool
	PayType  string
}

// AdditionalStatus is a mesh's ClusterStatus as
// DescribeServiceMeshAdditionalStatus answers it.
type AdditionalStatus struct {
	APIServerLB, PilotLB, CanaryPilotLB LoadBalancerStatus
	// APIServerEIP and PilotEIP: exist, not_exist, failed, time_out,
	// not_in_use, locked.
	APIServerEIP, PilotEIP string
	// SecurityGroup is SgStatus: reused, not_reused, failed, time_out.
	SecurityGroup string
}

// SetProxySync makes every proxy of a cluster report state (SYNCED, NOT
// SENT, STALE, STALE (Never Acknowledged)) in DescribeServiceMeshProxyStatus.
func (s *State) SetProxySync(clusterID, state string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.meshStatusState().proxySync[clusterID] = state
}

// SetAdditionalStatus makes DescribeServiceMeshAdditionalStatus of meshID
// answer a, e.g. a Pilot load balancer that no longer exists.
func (s *State) SetAdditionalStatus(meshID string, a AdditionalStatus) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.meshStatusState().additional[meshID] = a
}

func (s *State) meshStatusState() *meshStatus {
	if s.ms == nil {
		s.ms = &meshStatus{proxySync: map[string]string{}, additional: map[string]AdditionalStatus{}}
	}
	return s.ms
}

// DefaultAdditionalStatus is what a healthy mesh reports: both load
// balancers exist with the right number of back ends, an EIP in front of
// the API server only when it has a public address, the security group
// ASM created.
func (st *State) defaultAdditionalStatus(ms *meshState) AdditionalStatus {
	lb := func(id string) LoadBalancerStatus {
		if id == "" {
			return LoadBalancerStatus{Exist: "not_exist", Backends: "too_little", PayType: "PayOnDemand"}
		}
		return LoadBalancerStatus{Exist: "exist", Backends: "num_exact", PayType: "PayOnDemand"}
	}
	eip := "not_in_use"
	if ms.mesh.PublicAPIServer != "" {
		eip = "exist"
	}
	return AdditionalStatus{APIServerLB: lb(ms.mesh.APIServerLB), PilotLB: lb(ms.mesh.PilotLB), CanaryPilotLB: LoadBalancerStatus{Exist: "not_exist", Backends: "num_exact", PayType: "PayOnDemand"},
		APIServerEIP: eip, PilotEIP: "not_in_use", SecurityGroup: "not_reused"}
}

func (l LoadBalancerStatus) json() J {
	return J{"SLBExistStatus": l.Exist, "SLBBackEndServerNumStatus": l.Backends, "Locked": l.Locked, "Reused": l.Reused, "PayType": l.PayType}
}

// describeServiceMeshAdditionalStatus answers ClusterStatus
// (DescribeServiceMeshAdditionalStatus; CheckMode normal or full gives the
// same answer here).
func describeServiceMeshAdditionalStatus(st *State, c *call) (J, error) {
	ms, err := st.meshParam(c)
	if err != nil {
		return nil, err
	}
	if mode := c.param("CheckMode"); mode != "" && mode != "normal" && mode != "full" {
		return nil, apiErr(http.StatusBadRequest, "InvalidParameter", "CheckMode %q is not normal or full", mode)
	}
	a, ok := st.meshStatusState().additional[ms.mesh.ID]
	if !ok {
		a = st.defaultAdditionalStatus(ms)
	}
	return J{"ClusterStatus": J{
		"ApiServerLoadBalancerStatus":   a.APIServerLB.json(),
		"PilotLoadBalancerStatus":       a.PilotLB.json(),
		"CanaryPilotLoadBalancerStatus": a.CanaryPilotLB.json(),
		"ApiServerEIPStatus":            a.APIServerEIP,
		"PilotEIPStatus":                a.PilotEIP,
		"CanaryPilotEIPStatus":          "not_in_use",
		"SgStatus":                      a.SecurityGroup,
		"ControlPlaneProjectStatus":     "exist",
		"AccessLogProjectStatus":        "not_exist",
		"AuditProjectStatus":            "exist",
		"RAMApplicationStatus":          "reused",
		"LogtailStatusRecord":           J{},
	}}, nil
}

// describeServiceMeshProxyStatus lists the proxies istiod sees: one per pod
// of a namespace labelled istio-injection=enabled in each member cluster
// whose data plane reaches Pilot (its VPC is the mesh's, or it has a
// connected PrivateLink endpoint to a service in front of the mesh's Pilot
// load balancer). A cluster that cannot reach Pilot has no proxy in the
// answer at all, as istiod knows only connected proxies. ProxyId is
// "<pod>.<namespace>", with no cluster in it, as the real answer has.
func describeServiceMeshProxyStatus(st *State, c *call) (J, error) {
	ms, err := st.meshParam(c)
	if err != nil {
		return nil, err
	}
	list := []J{}
	for _, id := range ms.members {
		if !st.reachesPilot(ms, id) {
			continue
		}
		sync := st.meshStatusState().proxySync[id]
		if sync == "" {
			sync = ProxySynced
		}
		nss := st.dp.namespaces[id]
		names := make([]string, 0, len(nss))
		for n := range nss {
			names = append(names, n)
		}
		slices.Sort(names)
		for _, n := range names {
			ns := nss[n]
			if ns.Labels["istio-injection"] != "enabled" {
				continue
			}
			for _, pod := range ns.Pods {
				percent := "1"
				if sync != ProxySynced {
					percent = "0"
				}
				list = append(list, J{"ProxyId": pod + "." + n, "ProxyVersion": ms.mesh.Version, "IstioVersion": ms.mesh.Version,
					"ClusterSynced": sync, "ListenerSynced": sync, "RouteSynced": sync, "EndpointSynced": sync, "EndpointPercent": percent})
			}
		}
	}
	return J{"ProxyStatus": list, "Code": "200", "Message": "success", "Success": "true"}, nil
}

// reachesPilot tells whether a member cluster's data plane reaches the
// mesh's Pilot: in the mesh's VPC, or over a connected endpoint in its VPC
// to a service in front of the Pilot load balancer.
func (st *State) reachesPilot(ms *meshState, clusterID string) bool {
	cs, ok := st.clusters[clusterID]
	if !ok {
		return false
	}
	if cs.c.VPC == ms.mesh.VPC {
		return true
	}
	for _, e := range st.endpoints {
		svc := st.findService(e.serviceID)
		if e.vpcID != cs.c.VPC || svc == nil || !strings.EqualFold(svc.resourceID, ms.mesh.PilotLB) {
			continue
		}
		if st.endpointInfo(e).ConnectionStatus == "Connected" {
			return true
		}
	}
	return false
}
