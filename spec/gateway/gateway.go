// Package gateway is ASM's ingress gateway resource, IstioGateway, as
// asmlink writes it to an ASM instance's API server: its types, the
// desired object built from a request, and YAML for review. It knows
// nothing of the cloud or the terminal.
//
// Source of every field: "CRD fields for an ASM gateway" in the ASM
// documentation (help.aliyun.com/en/asm/sidecar/crd-fields-for-an-asm-gateway,
// also published as "IstioGateway CRD field reference"): kind IstioGateway,
// apiVersion istio.alibabacloud.com/v1beta1, created in istio-system
// ("In Istio 1.6 and later versions, deploying a gateway in any other
// namespace prevents it from accessing necessary configurations"), with
// spec.clusterIds, gatewayType, serviceType, serviceAnnotations, ports
// (name, port, targetPort, protocol) and replicaCount. The CLB annotations
// are those of the ACK cloud controller manager ("Add annotations to the
// YAML file of a Service to configure CLB instances").
package gateway

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"sigs.k8s.io/yaml"
)

// The resource's identity.
const (
	Group      = "istio.alibabacloud.com"
	Version    = "v1beta1"
	APIVersion = Group + "/" + Version
	Kind       = "IstioGateway"
	Resource   = "istiogateways"
	// Namespace is where ASM gateways must be created.
	Namespace = "istio-system"
	// DefaultName is the name asmlink gives a gateway when none is asked
	// for; ASM's own console suggests "ingressgateway".
	DefaultName = "ingressgateway"
)

// The CLB annotations of the ACK cloud controller manager that the gateway's
// Service carries (serviceAnnotations).
const (
	// AnnotationAddressType is internet or intranet: whether a new CLB
	// gets a public or only a private address.
	AnnotationAddressType = "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type"
	// AnnotationLoadBalancerID names an existing CLB to use instead of
	// creating one.
	AnnotationLoadBalancerID = "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-id"
	// AnnotationForceOverride lets the controller replace the listeners of
	// an existing CLB; without it, a CLB whose listeners clash is refused.
	AnnotationForceOverride = "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-force-override-listeners"
	// AnnotationSpec is the specification of a new CLB, e.g. slb.s1.small.
	AnnotationSpec = "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-spec"
)

// AddressType is where a gateway's CLB is reachable from.
type AddressType string

// The two CLB instance types the console offers: Internet Access and
// Private Access.
const (
	Internet AddressType = "internet"
	Intranet AddressType = "intranet"
)

// IstioGateway is the namespaced resource ASM's gateway controller reads to
// deploy a gateway's Deployment, Service and ServiceAccount into the
// clusters it names.
type IstioGateway struct {
	APIVersion string     `json:"apiVersion"`
	Kind       string     `json:"kind"`
	Metadata   ObjectMeta `json:"metadata"`
	Spec       Spec       `json:"spec"`
}

// ObjectMeta is the part of the object's metadata asmlink reads and writes.
type ObjectMeta struct {
	Name            string            `json:"name"`
	Namespace       string            `json:"namespace"`
	ResourceVersion string            `json:"resourceVersion,omitempty"`
	Labels          map[string]string `json:"labels,omitempty"`
}

// Spec is the part of the gateway's spec asmlink sets. Every other field
// of the live object (resources, env, volumes …) is left as it is.
type Spec struct {
	// ClusterIDs are the data-plane clusters the gateway is deployed to.
	ClusterIDs []string `json:"clusterIds"`
	// GatewayType is ingress or egress.
	GatewayType string `json:"gatewayType"`
	// ServiceType is LoadBalancer, ClusterIP or NodePort; asmlink sets
	// LoadBalancer, the type that gets a CLB.
	ServiceType string `json:"serviceType"`
	// ServiceAnnotations are copied onto the gateway's Service.
	ServiceAnnotations map[string]string `json:"serviceAnnotations,omitempty"`
	Ports              []Port            `json:"ports"`
	ReplicaCount       int               `json:"replicaCount"`
}

// Port is one port mapping of the gateway's Service: port is what the CLB
// listens on, targetPort what the gateway pod listens on.
type Port struct {
	Name       string `json:"name"`
	Port       int    `json:"port"`
	TargetPort int    `json:"targetPort"`
	Protocol   string `json:"protocol"`
}

// DefaultPorts are the two ports ASM's console offers for a new ingress
// gateway, the ones Istio's own ingress gateway serves: HTTP on 80 and
// HTTPS on 443, each with targetPort equal to port.
var DefaultPorts = []Port{
	{Name: "http2", Port: 80, TargetPort: 80, Protocol: "TCP"},
	{Name: "https", Port: 443, TargetPort: 443, Protocol: "TCP"},
}

// CLB is where the gateway's traffic comes in: a new CLB of a type, or an
// existing one by ID.
type CLB struct {
	Type AddressType
	// ID is an existing CLB (lb-…); empty creates one.
	ID string
	// OverrideListeners lets the controller replace an existing CLB's
	// listeners.
	OverrideListeners bool
	// Spec is a new CLB's specification; empty is the controller's default.
	Spec string
}

// Annotations are the serviceAnnotations that ask the cloud controller for
// this CLB.
func (c CLB) Annotations() map[string]string {
	a := map[string]string{AnnotationAddressType: string(c.Type)}
	if c.ID != "" {
		a[AnnotationLoadBalancerID] = c.ID
		a[AnnotationForceOverride] = fmt.Sprint(c.OverrideListeners)
	} else if c.Spec != "" {
		a[AnnotationSpec] = c.Spec
	}
	return a
}

// CLBOf reads back the CLB a gateway's annotations ask for.
func CLBOf(annotations map[string]string) CLB {
	return CLB{
		Type:              AddressType(annotations[AnnotationAddressType]),
		ID:                annotations[AnnotationLoadBalancerID],
		OverrideListeners: annotations[AnnotationForceOverride] == "true",
		Spec:              annotations[AnnotationSpec],
	}
}

// clbAnnotations are the annotations asmlink owns; other annotations of a
// live gateway are kept.
var clbAnnotations = []string{AnnotationAddressType, AnnotationLoadBalancerID, AnnotationForceOverride, AnnotationSpec}

// New returns an ingress gateway in istio-system for clusters, behind clb,
// with ports and replicas.
func New(name string, clusters []string, clb CLB, ports []Port, replicas int) *IstioGateway {
	return &IstioGateway{
		APIVersion: APIVersion, Kind: Kind,
		Metadata: ObjectMeta{Name: name, Namespace: Namespace},
		Spec: Spec{
			ClusterIDs: slices.Clone(clusters), GatewayType: "ingress", ServiceType: "LoadBalancer",
			ServiceAnnotations: clb.Annotations(), Ports: slices.Clone(ports), ReplicaCount: replicas,
		},
	}
}

// WithAnnotations returns the gateway's annotations with the CLB ones of
// live replaced by this gateway's, so that annotations another tool set on
// the live object are carried over.
func (g *IstioGateway) WithAnnotations(live map[string]string) map[string]string {
	out := maps.Clone(live)
	if out == nil {
		out = map[string]string{}
	}
	for _, k := range clbAnnotations {
		delete(out, k)
	}
	maps.Copy(out, g.Spec.ServiceAnnotations)
	return out
}

// YAML renders the gateway for review, with a header comment saying where
// it goes and how to apply it.
func (g *IstioGateway) YAML(header string) ([]byte, error) {
	body, err := yaml.Marshal(g)
	if err != nil {
		return nil, fmt.Errorf("encoding %s %s/%s: %w", Kind, g.Metadata.Namespace, g.Metadata.Name, err)
	}
	var b strings.Builder
	for line := range strings.SplitSeq(strings.TrimRight(header, "\n"), "\n") {
		if line == "" {
			b.WriteString("#\n")
			continue
		}
		b.WriteString("# " + line + "\n")
	}
	b.Write(body)
	return []byte(b.String()), nil
}
