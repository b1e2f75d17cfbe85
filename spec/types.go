// Package spec is the ASMPvlConfig resource: its types, a strict codec,
// offline validation, and the merge, remove and diff operations that keep
// every other cluster's entry intact. It knows nothing of the cloud or the
// terminal.
package spec

// The resource's identity. ASM reads only the object named "default".
const (
	Group      = "istio.alibabacloud.com"
	Version    = "v1beta1"
	APIVersion = Group + "/" + Version
	Kind       = "ASMPvlConfig"
	Resource   = "asmpvlconfigs"
	Name       = "default"
)

// ASMPvlConfig is the cluster-scoped resource in an ASM instance's API server
// that asks ASM to connect ACK clusters in other VPCs over PrivateLink.
type ASMPvlConfig struct {
	APIVersion string     `json:"apiVersion"`
	Kind       string     `json:"kind"`
	Metadata   ObjectMeta `json:"metadata"`
	Spec       Spec       `json:"spec"`
	Status     *Status    `json:"status,omitempty"`
}

// ObjectMeta is the part of Kubernetes object metadata asmlink reads and
// writes in a file.
type ObjectMeta struct {
	Name            string            `json:"name"`
	ResourceVersion string            `json:"resourceVersion,omitempty"`
	Labels          map[string]string `json:"labels,omitempty"`
	Annotations     map[string]string `json:"annotations,omitempty"`
}

// Spec lists which ACK clusters are connected and the vSwitches PrivateLink
// endpoints are placed in, on both sides.
type Spec struct {
	// AckVpcEndpoint has one entry per ACK cluster connected over PrivateLink.
	AckVpcEndpoint []AckVpcEndpoint `json:"ackVpcEndpoint,omitempty"`
	// AsmVpcEndpoint holds the ASM instance's vSwitches, shared by all clusters.
	AsmVpcEndpoint AsmVpcEndpoint `json:"asmVpcEndpoint"`
}

// AckVpcEndpoint names one ACK cluster and the vSwitches in its VPC where the
// endpoint to ASM Pilot is placed.
type AckVpcEndpoint struct {
	ClusterID string    `json:"clusterId"`
	VSwitches []VSwitch `json:"vSwitches"`
}

// AsmVpcEndpoint holds the vSwitches in the ASM instance's VPC where the
// endpoints to the ACK API servers are placed.
type AsmVpcEndpoint struct {
	VSwitches []VSwitch `json:"vSwitches"`
}

// VSwitch is a vSwitch and a zone. By the product's cross-VPC zone rule the
// zone is one where a vSwitch of the other side resides.
type VSwitch struct {
	VSwitchID string `json:"vSwitchId"`
	ZoneID    string `json:"zoneId"`
}

// Status is what ASM reports about both links.
type Status struct {
	// Clusters is link A: ASM control plane to each ACK API server.
	Clusters []ClusterLink `json:"clusters,omitempty"`
	// Pilot is link B: each ACK data plane to ASM Pilot.
	Pilot *PilotLink `json:"pilot,omitempty"`
	// Status is Available when every endpoint is working.
	Status string `json:"status,omitempty"`
}

// ClusterLink is one cluster's endpoint and, for link A, its endpoint service.
type ClusterLink struct {
	ClusterID          string           `json:"clusterId"`
	PvlEndpoint        *PvlEndpoint     `json:"pvlEndpoint,omitempty"`
	PvlEndpointService *EndpointService `json:"pvlEndpointService,omitempty"`
}

// PilotLink is link B: one endpoint service in front of Pilot, and one
// endpoint per cluster in that cluster's VPC.
type PilotLink struct {
	Clusters           []ClusterLink    `json:"clusters,omitempty"`
	PvlEndpointService *EndpointService `json:"pvlEndpointService,omitempty"`
}

// PvlEndpoint is a PrivateLink interface endpoint as ASM reports it.
type PvlEndpoint struct {
	ConnectionStatus string `json:"connectionStatus,omitempty"`
	DomainName       string `json:"domainName,omitempty"`
	ID               string `json:"id,omitempty"`
	Status           string `json:"status,omitempty"`
}

// EndpointService is a PrivateLink endpoint service as ASM reports it.
type EndpointService struct {
	ID     string `json:"id,omitempty"`
	Name   string `json:"name,omitempty"`
	Status string `json:"status,omitempty"`
}

// Values ASM reports when a link works.
const (
	StatusAvailable   = "Available"
	StateActive       = "Active"
	ConnectionHealthy = "Connected"
)
