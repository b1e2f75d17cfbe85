package cloud

import (
	"context"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
)

// ProxyStatus is one data-plane proxy as the mesh's istiod sees it
// (DescribeServiceMeshProxyStatus, ProxyStatus[]). The fields and their
// values are those of the servicemesh 2020-01-11 SDK models
// (DescribeServiceMeshProxyStatusResponseBodyProxyStatus): each *Synced is
// SYNCED (the proxy acknowledged istiod's last push), NOT SENT (istiod has
// not sent it), STALE (sent, no acknowledgement) or STALE (Never
// Acknowledged) (sent several times, never acknowledged). The answer does
// not name the cluster a proxy runs in: ProxyID is istiod's proxy ID,
// "<pod>.<namespace>" as `istioctl proxy-status` shows it.
type ProxyStatus struct {
	ProxyID         string `json:"ProxyId"`
	ProxyVersion    string `json:"ProxyVersion"`
	IstioVersion    string `json:"IstioVersion"`
	ClusterSynced   string `json:"ClusterSynced"`
	ListenerSynced  string `json:"ListenerSynced"`
	RouteSynced     string `json:"RouteSynced"`
	EndpointSynced  string `json:"EndpointSynced"`
	EndpointPercent string `json:"EndpointPercent"`
}

// ProxySynced is the sync state of a proxy that acknowledged istiod.
const ProxySynced = "SYNCED"

// Synced tells whether the proxy acknowledged istiod's last push of every
// kind of configuration.
func (p ProxyStatus) Synced() bool {
	return p.ClusterSynced == ProxySynced && p.ListenerSynced == ProxySynced && p.RouteSynced == ProxySynced && p.EndpointSynced == ProxySynced
}

// LoadBalancerStatus is one of the mesh's load balancers as
// DescribeServiceMeshAdditionalStatus reports it (SDK model
// ClusterStatus.*LoadBalancerStatus): Exist is SLBExistStatus (exist,
// not_exist, conflict, failed, time_out), Backends SLBBackEndServerNumStatus
// (num_exact, too_much, too_little); Locked is set when the load balancer
// is locked (e.g. overdue payment).
type LoadBalancerStatus struct {
	Exist    string `json:"SLBExistStatus"`
	Backends string `json:"SLBBackEndServerNumStatus"`
	Locked   bool   `json:"Locked"`
	Reused   bool   `json:"Reused"`
	PayType  string `json:"PayType"`
}

// MeshAdditionalStatus is what DescribeServiceMeshAdditionalStatus reports
// about the resources a mesh depends on (SDK model ClusterStatus): the load
// balancers in front of its API server and Pilot (the Pilot load balancer
// is what link B's endpoint service fronts), their EIPs (exist, not_exist,
// failed, time_out, not_in_use, locked), the security group (SgStatus:
// reused, not_reused, failed, time_out) and its log projects.
type MeshAdditionalStatus struct {
	APIServerLB         LoadBalancerStatus `json:"ApiServerLoadBalancerStatus"`
	PilotLB             LoadBalancerStatus `json:"PilotLoadBalancerStatus"`
	CanaryPilotLB       LoadBalancerStatus `json:"CanaryPilotLoadBalancerStatus"`
	APIServerEIP        string             `json:"ApiServerEIPStatus"`
	PilotEIP            string             `json:"PilotEIPStatus"`
	SecurityGroup       string             `json:"SgStatus"`
	ControlPlaneProject string             `json:"ControlPlaneProjectStatus"`
	AccessLogProject    string             `json:"AccessLogProjectStatus"`
	AuditProject        string             `json:"AuditProjectStatus"`
	RAMApplication      string             `json:"RAMApplicationStatus"`
}

// MeshProxyStatus lists the data-plane proxies connected to the mesh's
// istiod with their sync state (DescribeServiceMeshProxyStatus; missing
// from the V1 SDK, so sent as a CommonRequest).
func (c *Client) MeshProxyStatus(ctx context.Context, meshID string) ([]ProxyStatus, error) {
	o := op{productMesh, "DescribeServiceMeshProxyStatus", true}
	var body struct {
		ProxyStatus []ProxyStatus `json:"ProxyStatus"`
	}
	err := c.call(ctx, o, func(sc *sdk.Client) error {
		resp, err := sc.ProcessCommonRequest(meshRequest(o.action, map[string]string{"ServiceMeshId": meshID}))
		if err != nil {
			return err
		}
		return decodeBody(o, resp, &body)
	})
	if err != nil {
		return nil, err
	}
	if body.ProxyStatus == nil {
		body.ProxyStatus = []ProxyStatus{}
	}
	return body.ProxyStatus, nil
}

// MeshAdditionalStatus reads the state of the resources the mesh depends on
// (DescribeServiceMeshAdditionalStatus with CheckMode full; a
// CommonRequest like MeshProxyStatus).
func (c *Client) MeshAdditionalStatus(ctx context.Context, meshID string) (MeshAdditionalStatus, error) {
	o := op{productMesh, "DescribeServiceMeshAdditionalStatus", true}
	var body struct {
		ClusterStatus MeshAdditionalStatus `json:"ClusterStatus"`
	}
	err := c.call(ctx, o, func(sc *sdk.Client) error {
		resp, err := sc.ProcessCommonRequest(meshRequest(o.action, map[string]string{"ServiceMeshId": meshID, "CheckMode": "full"}))
		if err != nil {
			return err
		}
		return decodeBody(o, resp, &body)
	})
	return body.ClusterStatus, err
}
