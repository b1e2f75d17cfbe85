package flow

import (
	"cmp"
	"context"
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/spec/gateway"
)

// Edge gateway: the decisions of `asmlink edge gateway`, step 3 of "Manage
// applications in ACK edge clusters" (seed 004): an ingress gateway, the
// IstioGateway resource ASM reads from its API server, deployed to an edge
// cluster of the mesh behind a CLB, with port mappings whose targetPort is
// the port unless asked otherwise.

// GatewayUsageError is a gateway request that is wrong as given: Flag names
// the flag that carries the bad value. Nothing is changed.
type GatewayUsageError struct {
	Flag    string
	Message string
}

func (e *GatewayUsageError) Error() string { return e.Flag + ": " + e.Message }

// GatewayRefusedError is a request asmlink refuses after looking at the
// cloud: an unknown cluster, one outside the mesh, one that is not an ACK
// Edge cluster, or ports that clash with another gateway on the same CLB.
// Nothing is changed.
type GatewayRefusedError struct{ Message string }

func (e *GatewayRefusedError) Error() string { return e.Message }

// istioPorts are the ports the gateway pod's own Envoy and pilot-agent
// listen on ("Ports used by Istio", istio.io Application Requirements); a
// mapping to one of them would clash with the proxy itself.
var istioPorts = map[int]string{
	15000: "Envoy admin", 15001: "Envoy outbound", 15004: "debug", 15006: "Envoy inbound", 15008: "HBONE",
	15009: "HBONE", 15020: "merged Prometheus telemetry", 15021: "health checks", 15053: "DNS", 15090: "Envoy Prometheus",
}

var (
	rePortName = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$`)
	reCLBID    = regexp.MustCompile(`^lb-[0-9a-z]{8,30}$`)
	reGwName   = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$`)
)

// ParseGatewayPorts parses --port values, each [NAME=]PORT[:TARGETPORT][/PROTOCOL]
// (e.g. 80, http2=80, mqtt=1883:1883/TCP). TARGETPORT defaults to PORT,
// PROTOCOL to TCP, NAME to http2 for 80, https for 443 and tcp-PORT
// otherwise. Two mappings of one port or name, a port out of range, or a
// target port the gateway's proxy uses itself are refused.
func ParseGatewayPorts(values []string) ([]gateway.Port, error) {
	bad := func(format string, args ...any) error {
		return &GatewayUsageError{Flag: "--port", Message: fmt.Sprintf(format, args...)}
	}
	var out []gateway.Port
	for _, v := range values {
		for part := range strings.SplitSeq(v, ",") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			p := gateway.Port{Protocol: "TCP"}
			rest := part
			if name, r, ok := strings.Cut(rest, "="); ok {
				p.Name, rest = name, r
			}
			if r, proto, ok := strings.Cut(rest, "/"); ok {
				p.Protocol, rest = strings.ToUpper(proto), r
			}
			portText, targetText, hasTarget := strings.Cut(rest, ":")
			var err error
			if p.Port, err = strconv.Atoi(portText); err != nil || p.Port < 1 || p.Port > 65535 {
				return nil, bad("%q: the port must be a number from 1 to 65535, as in 80, http2=80 or mqtt=1883:1883/TCP", part)
			}
			p.TargetPort = p.Port
			if hasTarget {
				if p.TargetPort, err = strconv.Atoi(targetText); err != nil || p.TargetPort < 1 || p.TargetPort > 65535 {
					return nil, bad("%q: the target port must be a number from 1 to 65535", part)
				}
			}
			if !slices.Contains([]string{"TCP", "UDP", "SCTP"}, p.Protocol) {
				return nil, bad("%q: protocol %s is not TCP, UDP or SCTP", part, p.Protocol)
			}
			if p.Name == "" {
				p.Name = defaultPortName(p.Port)
			}
			if !rePortName.MatchString(p.Name) {
				return nil, bad("%q: the name %q must be at most 15 lower-case letters, digits and '-' (Kubernetes port names)", part, p.Name)
			}
			out = append(out, p)
		}
	}
	return out, checkPorts(out)
}

func defaultPortName(port int) string {
	for _, d := range gateway.DefaultPorts {
		if d.Port == port {
			return d.Name
		}
	}
	return "tcp-" + strconv.Itoa(port)
}

// checkPorts refuses two mappings of one port and protocol, of one name,
// or to one target port and protocol (a Service's ports are unique by port
// and protocol, and by name), and target ports the proxy listens on itself.
func checkPorts(ports []gateway.Port) error {
	for i, p := range ports {
		for _, q := range ports[:i] {
			switch {
			case q.Port == p.Port && q.Protocol == p.Protocol:
				return &GatewayUsageError{Flag: "--port", Message: fmt.Sprintf("port %d/%s is mapped twice (%s and %s); a Service listens on each port and protocol once", p.Port, p.Protocol, q.Name, p.Name)}
			case q.Name == p.Name:
				return &GatewayUsageError{Flag: "--port", Message: fmt.Sprintf("the name %s is given to ports %d and %d; give each mapping its own name with NAME=PORT", p.Name, q.Port, p.Port)}
			case q.TargetPort == p.TargetPort && q.Protocol == p.Protocol:
				return &GatewayUsageError{Flag: "--port", Message: fmt.Sprintf("ports %d and %d both go to target port %d; map each to its own target port", q.Port, p.Port, p.TargetPort)}
			}
		}
		if what, ok := istioPorts[p.TargetPort]; ok {
			return &GatewayUsageError{Flag: "--port", Message: fmt.Sprintf("target port %d (port %s) is the gateway proxy's own %s port; choose another target port", p.TargetPort, p.Name, what)}
		}
	}
	return nil
}

// GatewayRequest is what the person asked for; zero values keep what a
// live gateway has, or take the defaults for a new one.
type GatewayRequest struct {
	MeshID, ClusterID string
	// Name is the gateway's name in istio-system; default "ingressgateway".
	Name string
	// CLBType is internet or intranet; "" keeps the live gateway's, or
	// internet.
	CLBType gateway.AddressType
	// CLBID is an existing CLB to use; "" keeps the live gateway's, or
	// creates one.
	CLBID             string
	OverrideListeners bool
	// CLBSpec is a new CLB's specification.
	CLBSpec string
	// Ports are the port mappings (ParseGatewayPorts); empty keeps the live
	// gateway's, or takes gateway.DefaultPorts.
	Ports []gateway.Port
	// Replicas is the gateway's replica count; 0 keeps the live one, or 1.
	Replicas int
}

// GatewayFacts is what the cloud and the mesh's API server said about a
// gateway request.
type GatewayFacts struct {
	Mesh    cloud.Mesh
	Cluster cloud.Cluster
	Member  cloud.MeshCluster
	// Live is the gateway of that name already there; nil for a new one.
	Live *gateway.IstioGateway
	// Others are the other gateways in istio-system, for CLB port clashes.
	Others []gateway.IstioGateway
}

// GatewayPlan is the gateway asmlink will apply and what changes.
type GatewayPlan struct {
	Desired *gateway.IstioGateway
	// Create tells a new gateway from an update of Live.
	Create bool
	// KeptClusters are clusters the live gateway already deployed to,
	// which stay.
	KeptClusters []string
	Notes        []string
}

// CheckEdgeMember, for the gateway and injection commands, refuses a cluster that the cloud does not know, that
// is not in the mesh, or that is not an ACK Edge cluster.
func CheckEdgeMember(ctx context.Context, api cloud.API, meshID, clusterID string) (cloud.Mesh, cloud.Cluster, cloud.MeshCluster, error) {
	mesh, err := api.Mesh(ctx, meshID)
	if err != nil {
		return mesh, cloud.Cluster{}, cloud.MeshCluster{}, err
	}
	members, err := api.MeshClusters(ctx, meshID)
	if err != nil {
		return mesh, cloud.Cluster{}, cloud.MeshCluster{}, err
	}
	c, err := api.Cluster(ctx, clusterID)
	if cloud.IsNotFound(err) {
		return mesh, c, cloud.MeshCluster{}, &GatewayRefusedError{Message: fmt.Sprintf("--cluster %s: there is no ACK cluster with that ID in region %s; `asmlink status --mesh %s` lists the mesh's clusters", clusterID, api.Identity().Region, meshID)}
	}
	if err != nil {
		return mesh, c, cloud.MeshCluster{}, err
	}
	i := slices.IndexFunc(members, func(m cloud.MeshCluster) bool { return m.ClusterID == clusterID })
	if i < 0 {
		return mesh, c, cloud.MeshCluster{}, &GatewayRefusedError{Message: fmt.Sprintf("--cluster %s: %s is not in ASM instance %s%s; add it to the mesh first (`asmlink setup`, or step 2 of the guide)", clusterID, clusterLabel(c), meshID, nameSuffix(mesh.Name))}
	}
	if !c.IsEdge() {
		return mesh, c, members[i], &GatewayRefusedError{Message: fmt.Sprintf("--cluster %s: %s is a %s cluster, not ACK Edge; asmlink edge manages edge clusters only: create gateways of other clusters in the ASM console (ASM Gateways > Ingress Gateway)", clusterID, clusterLabel(c), cmp.Or(c.Profile, "Default"))}
	}
	return mesh, c, members[i], nil
}

// PlanGateway decides the gateway: the live one updated with what was
// asked (its other clusters and settings kept), or a new one with the
// defaults. Ports that another gateway on the same existing CLB already
// listens on are refused.
func PlanGateway(f *GatewayFacts, req GatewayRequest) (*GatewayPlan, error) {
	name := cmp.Or(req.Name, gateway.DefaultName)
	if !reGwName.MatchString(name) {
		return nil, &GatewayUsageError{Flag: "--name", Message: fmt.Sprintf("%q is not a Kubernetes name (lower-case letters, digits and '-', at most 63)", name)}
	}
	if req.CLBType != "" && req.CLBType != gateway.Internet && req.CLBType != gateway.Intranet {
		return nil, &GatewayUsageError{Flag: "--clb-type", Message: fmt.Sprintf("%q is not internet (Internet Access) or intranet (Private Access)", req.CLBType)}
	}
	if req.CLBID != "" && !reCLBID.MatchString(req.CLBID) {
		return nil, &GatewayUsageError{Flag: "--clb-id", Message: fmt.Sprintf("%q is not a CLB instance ID like lb-bp1edgegwpublic00001", req.CLBID)}
	}
	if req.Replicas < 0 {
		return nil, &GatewayUsageError{Flag: "--replicas", Message: "must not be negative"}
	}
	p := &GatewayPlan{Create: f.Live == nil}
	clusters := []string{f.Cluster.ID}
	clb := gateway.CLB{Type: gateway.Internet}
	ports, replicas := gateway.DefaultPorts, 1
	if live := f.Live; live != nil {
		for _, id := range live.Spec.ClusterIDs {
			if id != f.Cluster.ID {
				p.KeptClusters = append(p.KeptClusters, id)
			}
		}
		clusters = append(slices.Clone(live.Spec.ClusterIDs), f.Cluster.ID)
		slices.Sort(clusters)
		clusters = slices.Compact(clusters)
		if old := gateway.CLBOf(live.Spec.ServiceAnnotations); old.Type != "" {
			clb = old
		}
		if len(live.Spec.Ports) > 0 {
			ports = live.Spec.Ports
		}
		replicas = cmp.Or(live.Spec.ReplicaCount, 1)
		if len(p.KeptClusters) > 0 {
			p.Notes = append(p.Notes, fmt.Sprintf("gateway %s also runs in %s; those keep running with the same ports and CLB settings", name, strings.Join(p.KeptClusters, ", ")))
		}
	}
	switch {
	case req.CLBID != "":
		clb.ID, clb.OverrideListeners = req.CLBID, req.OverrideListeners
	case req.CLBType != "" && req.CLBType != clb.Type:
		// Another type of CLB is a new CLB.
		clb.ID, clb.OverrideListeners = "", false
	}
	if req.CLBType != "" {
		clb.Type = req.CLBType
	}
	if req.CLBSpec != "" {
		clb.Spec = req.CLBSpec
	}
	if len(req.Ports) > 0 {
		ports = req.Ports
	}
	if req.Replicas > 0 {
		replicas = req.Replicas
	}
	if err := checkPorts(ports); err != nil {
		return nil, err
	}
	if err := clbPortClash(f.Others, name, clb, ports); err != nil {
		return nil, err
	}
	p.Desired = gateway.New(name, clusters, clb, ports, replicas)
	if f.Live != nil {
		p.Desired.Spec.ServiceAnnotations = p.Desired.WithAnnotations(f.Live.Spec.ServiceAnnotations)
	}
	if clb.ID != "" {
		p.Notes = append(p.Notes, fmt.Sprintf("CLB %s is used as it is; its listeners on the gateway's ports are %s", clb.ID,
			map[bool]string{true: "replaced (--override-listeners)", false: "kept, so a listener already on one of these ports makes the deployment fail"}[clb.OverrideListeners]))
	}
	return p, nil
}

// clbPortClash refuses ports that another gateway on the same existing CLB
// listens on: "Services that share a load balancer cannot use the same
// frontend listening port" (ASM, "Create an ingress gateway").
func clbPortClash(others []gateway.IstioGateway, name string, clb gateway.CLB, ports []gateway.Port) error {
	if clb.ID == "" {
		return nil
	}
	for _, o := range others {
		if o.Metadata.Name == name || gateway.CLBOf(o.Spec.ServiceAnnotations).ID != clb.ID {
			continue
		}
		for _, p := range ports {
			if slices.ContainsFunc(o.Spec.Ports, func(q gateway.Port) bool { return q.Port == p.Port && q.Protocol == p.Protocol }) {
				return &GatewayRefusedError{Message: fmt.Sprintf("--port %d: gateway %s/%s already listens on port %d of CLB %s; gateways that share a CLB need different ports", p.Port, o.Metadata.Namespace, o.Metadata.Name, p.Port, clb.ID)}
			}
		}
	}
	return nil
}

// GatewayFailedError is a gateway that ASM reports it cannot deploy, with
// ASM's reason.
type GatewayFailedError struct {
	Gateway cloud.IngressGateway
}

func (e *GatewayFailedError) Error() string {
	g := e.Gateway
	return fmt.Sprintf("ASM cannot deploy gateway %s/%s to cluster %s (%s): %s", g.Namespace, g.Name, g.ClusterID, g.Status, cmp.Or(g.Message, "no reason given"))
}

// cgnat is 100.64.0.0/10, private addresses Alibaba Cloud uses besides
// RFC 1918's.
var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// addressFits tells whether a CLB address is of the asked type: an
// intranet CLB has a private address, an internet one a public address.
// The gateway listing says nothing of which spec it reports on, so after a
// change of CLB type this is how the wait tells the new CLB from the old.
func addressFits(address string, t gateway.AddressType) bool {
	a, err := netip.ParseAddr(address)
	if err != nil || t == "" {
		return true
	}
	private := a.IsPrivate() || cgnat.Contains(a)
	return private == (t == gateway.Intranet)
}

// WaitGateway polls the mesh's gateway listing until gw runs in clusterID
// with an address (a LoadBalancer gateway) and returns that entry. A
// failure ASM reports ends the wait at once with a *GatewayFailedError; a
// wait that runs out of time returns a *TimeoutError with the last state.
func WaitGateway(ctx context.Context, api cloud.DataPlaneAPI, meshID string, gw *gateway.IstioGateway, clusterID string, opts WaitOptions) (cloud.IngressGateway, error) {
	var last cloud.IngressGateway
	what := fmt.Sprintf("gateway %s/%s to run in cluster %s", gw.Metadata.Namespace, gw.Metadata.Name, clusterID)
	err := Wait(ctx, what, opts, func(ctx context.Context) (bool, string, error) {
		list, err := api.IngressGateways(ctx, meshID)
		if err != nil {
			return false, "", err
		}
		i := slices.IndexFunc(list, func(g cloud.IngressGateway) bool {
			return g.ClusterID == clusterID && g.Name == gw.Metadata.Name && (g.Namespace == "" || g.Namespace == gw.Metadata.Namespace)
		})
		if i < 0 {
			return false, "not listed by ASM yet", nil
		}
		last = list[i]
		switch {
		case last.Phase == cloud.GatewayFailed:
			return false, last.Status, Permanent(&GatewayFailedError{Gateway: last})
		case last.Phase != cloud.GatewayRunning:
			return false, cmp.Or(last.Status, "no status yet"), nil
		case last.Address == "" && gw.Spec.ServiceType == "LoadBalancer":
			return false, last.Status + ", waiting for the CLB address", nil
		case gw.Spec.ServiceType == "LoadBalancer" && !addressFits(last.Address, gateway.CLBOf(gw.Spec.ServiceAnnotations).Type):
			return false, fmt.Sprintf("%s at %s, waiting for the %s CLB's address", last.Status, last.Address, gateway.CLBOf(gw.Spec.ServiceAnnotations).Type), nil
		case gw.Spec.ServiceAnnotations[gateway.AnnotationLoadBalancerID] != "" && last.LoadBalancerID != "" &&
			last.LoadBalancerID != gw.Spec.ServiceAnnotations[gateway.AnnotationLoadBalancerID]:
			return false, fmt.Sprintf("%s on CLB %s, waiting for CLB %s", last.Status, last.LoadBalancerID, gw.Spec.ServiceAnnotations[gateway.AnnotationLoadBalancerID]), nil
		}
		return true, last.Status + " at " + last.Address, nil
	})
	return last, err
}
