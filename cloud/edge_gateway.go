package cloud

import (
	"context"
	"fmt"
	"strings"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/servicemesh"
)

// DataPlaneAPI is what `asmlink edge gateway` and `asmlink edge inject`
// need beyond API: the mesh's ingress gateways as ASM reports them, the
// mesh's sidecar injection policy, and a data-plane cluster's namespaces
// and pods as ASM sees them. It is separate from API so that the fakes
// other packages keep of API need not grow.
type DataPlaneAPI interface {
	API
	// IngressGateways lists the mesh's ingress gateways, one entry per
	// gateway and cluster (DescribeIngressGateways).
	IngressGateways(ctx context.Context, meshID string) ([]IngressGateway, error)
	// InjectionPolicy reads the mesh's sidecar injection policy
	// (DescribeServiceMeshDetail, Spec.MeshConfig.SidecarInjector).
	InjectionPolicy(ctx context.Context, meshID string) (InjectionPolicy, error)
	// GuestNamespaces lists a data-plane cluster's namespaces with their
	// labels (DescribeGuestClusterNamespaces).
	GuestNamespaces(ctx context.Context, meshID, clusterID string) ([]GuestNamespace, error)
	// GuestPods lists the names of the pods in one namespace of a
	// data-plane cluster (DescribeGuestClusterPods).
	GuestPods(ctx context.Context, meshID, clusterID, namespace string) ([]string, error)
	// SetNamespaceInjection turns automatic sidecar injection on or off for
	// a global namespace of the mesh (UpdateIstioInjectionConfig).
	SetNamespaceInjection(ctx context.Context, meshID, namespace string, enabled bool) error
}

var _ DataPlaneAPI = (*Client)(nil)

// GatewayPhase is how far ASM has got deploying a gateway to a cluster.
type GatewayPhase string

// The phases asmlink tells apart.
const (
	GatewayPending GatewayPhase = "pending"
	GatewayRunning GatewayPhase = "running"
	GatewayFailed  GatewayPhase = "failed"
)

// IngressGateway is one gateway in one cluster, as DescribeIngressGateways
// lists it.
type IngressGateway struct {
	Name      string
	Namespace string
	ClusterID string
	// Status is the state as ASM wrote it; Phase is asmlink's reading of it.
	Status string
	Phase  GatewayPhase
	// Address is the IP of the gateway's CLB, once it has one.
	Address        string
	ServiceType    string
	LoadBalancerID string
	// Message is ASM's explanation of a failure.
	Message string
}

// gatewayKeys are the keys DescribeIngressGateways may use for each field.
// The API reference documents the answer as "Array of Object" with one
// example key, ClusterId; the names of the other keys are not documented,
// so each plausible spelling is read, in this order, and the simulator
// offers each (world data_plane.gateway_listing).
var gatewayKeys = struct {
	name, namespace, status, address, serviceType, lb, message []string
}{
	name:        []string{"IstioGatewayName", "Name", "GatewayName"},
	namespace:   []string{"Namespace"},
	status:      []string{"Status", "State", "Phase"},
	address:     []string{"IPAddress", "ExternalIp", "LoadBalancerIp", "Address"},
	serviceType: []string{"ServiceType", "Type"},
	lb:          []string{"LoadBalancerId", "SlbId"},
	message:     []string{"ErrorMessage", "Message", "Reason"},
}

// gatewayPhase reads a status word: running, ready and available mean
// deployed; failed and error mean it will not be; anything else (creating,
// deploying, updating, none yet) is still pending.
func gatewayPhase(status string) GatewayPhase {
	switch strings.ToLower(status) {
	case "running", "ready", "available", "success", "succeeded":
		return GatewayRunning
	case "failed", "error", "failure":
		return GatewayFailed
	}
	return GatewayPending
}

// IngressGateways lists the mesh's ingress gateways (DescribeIngressGateways).
func (c *Client) IngressGateways(ctx context.Context, meshID string) ([]IngressGateway, error) {
	o := op{productMesh, "DescribeIngressGateways", true}
	var items []map[string]any
	err := c.call(ctx, o, func(sc *sdk.Client) error {
		req := servicemesh.CreateDescribeIngressGatewaysRequest()
		req.ServiceMeshId = meshID
		resp := servicemesh.CreateDescribeIngressGatewaysResponse()
		if err := sc.DoAction(req, resp); err != nil {
			return err
		}
		items = resp.IngressGateways
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]IngressGateway, 0, len(items))
	for _, m := range items {
		k := gatewayKeys
		g := IngressGateway{
			Name: firstString(m, k.name), Namespace: firstString(m, k.namespace), ClusterID: firstString(m, []string{"ClusterId"}),
			Status: firstString(m, k.status), Address: firstString(m, k.address), ServiceType: firstString(m, k.serviceType),
			LoadBalancerID: firstString(m, k.lb), Message: firstString(m, k.message),
		}
		g.Phase = gatewayPhase(g.Status)
		out = append(out, g)
	}
	return out, nil
}

// firstString returns the first of keys that m holds, as text.
func firstString(m map[string]any, keys []string) string {
	for _, k := range keys {
		if v, ok := m[k]; ok && v != nil {
			return fmt.Sprint(v)
		}
	}
	return ""
}

// InjectionPolicy is the mesh's sidecar injection policy ("Configure
// sidecar injection policies" in the ASM documentation; the fields of
// SidecarInjector in DescribeServiceMeshDetail, Tea SDK servicemesh-20200111).
type InjectionPolicy struct {
	// EnableNamespacesByDefault injects every namespace that is not
	// labelled istio-injection=disabled; otherwise only namespaces labelled
	// istio-injection=enabled are.
	EnableNamespacesByDefault bool
	// AutoInjectionPolicyEnabled tells whether the pod label and
	// annotation conditions of the policy are in force as well.
	AutoInjectionPolicyEnabled bool
}

// InjectionPolicy reads the mesh's sidecar injection policy.
func (c *Client) InjectionPolicy(ctx context.Context, meshID string) (InjectionPolicy, error) {
	o := op{productMesh, "DescribeServiceMeshDetail", true}
	var body struct {
		ServiceMesh struct {
			Spec struct {
				MeshConfig struct {
					SidecarInjector struct {
						AutoInjectionPolicyEnabled bool `json:"AutoInjectionPolicyEnabled"`
						EnableNamespacesByDefault  bool `json:"EnableNamespacesByDefault"`
					} `json:"SidecarInjector"`
				} `json:"MeshConfig"`
			} `json:"Spec"`
		} `json:"ServiceMesh"`
	}
	err := c.call(ctx, o, func(sc *sdk.Client) error {
		req := servicemesh.CreateDescribeServiceMeshDetailRequest()
		req.ServiceMeshId = meshID
		resp := servicemesh.CreateDescribeServiceMeshDetailResponse()
		if err := sc.DoAction(req, resp); err != nil {
			return err
		}
		return decodeBody(o, resp, &body)
	})
	si := body.ServiceMesh.Spec.MeshConfig.SidecarInjector
	return InjectionPolicy{EnableNamespacesByDefault: si.EnableNamespacesByDefault, AutoInjectionPolicyEnabled: si.AutoInjectionPolicyEnabled}, err
}

// GuestNamespace is a namespace of a data-plane cluster and its labels.
type GuestNamespace struct {
	Name   string
	Labels map[string]string
}

// GuestNamespaces lists a data-plane cluster's namespaces with their labels
// (DescribeGuestClusterNamespaces with ShowNsLabels; missing from the V1
// SDK, so sent as a CommonRequest).
func (c *Client) GuestNamespaces(ctx context.Context, meshID, clusterID string) ([]GuestNamespace, error) {
	o := op{productMesh, "DescribeGuestClusterNamespaces", true}
	var body struct {
		NsList   []string                     `json:"NsList"`
		NsLabels map[string]map[string]string `json:"NsLabels"`
	}
	err := c.call(ctx, o, func(sc *sdk.Client) error {
		resp, err := sc.ProcessCommonRequest(meshRequest(o.action, map[string]string{
			"ServiceMeshId": meshID, "GuestClusterID": clusterID, "ShowNsLabels": "true",
		}))
		if err != nil {
			return err
		}
		return decodeBody(o, resp, &body)
	})
	if err != nil {
		return nil, err
	}
	out := make([]GuestNamespace, 0, len(body.NsList))
	for _, n := range body.NsList {
		out = append(out, GuestNamespace{Name: n, Labels: body.NsLabels[n]})
	}
	return out, nil
}

// GuestPods lists the pods of one namespace of a data-plane cluster
// (DescribeGuestClusterPods, a CommonRequest like GuestNamespaces).
func (c *Client) GuestPods(ctx context.Context, meshID, clusterID, namespace string) ([]string, error) {
	o := op{productMesh, "DescribeGuestClusterPods", true}
	var body struct {
		PodList []string `json:"PodList"`
	}
	err := c.call(ctx, o, func(sc *sdk.Client) error {
		resp, err := sc.ProcessCommonRequest(meshRequest(o.action, map[string]string{
			"ServiceMeshId": meshID, "GuestClusterID": clusterID, "Namespace": namespace,
		}))
		if err != nil {
			return err
		}
		return decodeBody(o, resp, &body)
	})
	return body.PodList, err
}

// SetNamespaceInjection turns automatic sidecar injection on or off for a
// global namespace (UpdateIstioInjectionConfig). Setting a state twice
// leaves it the same, so the call is retried like a read.
func (c *Client) SetNamespaceInjection(ctx context.Context, meshID, namespace string, enabled bool) error {
	o := op{productMesh, "UpdateIstioInjectionConfig", true}
	return c.call(ctx, o, func(sc *sdk.Client) error {
		req := servicemesh.CreateUpdateIstioInjectionConfigRequest()
		req.ServiceMeshId = meshID
		req.Namespace = namespace
		req.EnableIstioInjection = requests.NewBoolean(enabled)
		return sc.DoAction(req, servicemesh.CreateUpdateIstioInjectionConfigResponse())
	})
}

// meshRequest is a servicemesh 2020-01-11 CommonRequest for an action the
// V1 SDK does not have.
func meshRequest(action string, params map[string]string) *requests.CommonRequest {
	req := requests.NewCommonRequest()
	req.Method = requests.POST
	req.Product = "servicemesh"
	req.Version = "2020-01-11"
	req.ApiName = action
	for k, v := range params {
		req.FormParams[k] = v
	}
	return req
}
