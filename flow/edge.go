package flow

import (
	"cmp"
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/spec"
)

// Edge endpoints: the decisions of `asmlink edge endpoints` (seed 003).
// Edge nodes in an on-premises data center reach the cloud over a leased
// line; PrivateLink interface endpoints in the edge cluster's VPC give them
// stable private addresses for the system Container Registry and the ACK
// control plane, out of 100.64.0.0/10. Everything here is a pure function
// of EdgeFacts, except LoadEdgeFacts and CreateEdgeEndpoints, which call
// the cloud.

// EdgeService is a cloud service edge nodes reach through an endpoint.
type EdgeService string

// The services seed 003 connects over PrivateLink.
const (
	// EdgeACR is the system Container Registry: edge nodes pull system
	// component images from it.
	EdgeACR EdgeService = "acr"
	// EdgeACK is the ACK control plane: edge nodes register with it.
	EdgeACK EdgeService = "ack"
	// EdgePilot is ASM's Pilot (istiod): the sidecars and gateways of an
	// edge cluster in a mesh take their configuration from it. ASM, not
	// asmlink, creates its endpoint (link B of ASMPvlConfig).
	EdgePilot EdgeService = "pilot"
)

// EdgeServices lists the edge services in the order they are planned and
// shown.
var EdgeServices = []EdgeService{EdgeACR, EdgeACK}

type edgeServiceInfo struct {
	title string
	flag  string
	// prefixes are how the last label of the endpoint service's name
	// starts, for finding the service when no ID or name is given.
	prefixes []string
	// domains are the names edge nodes use in private-network (leased
	// line) mode, with {region} for the region ID ("Configure endpoints
	// and IP routing for edge nodes" in the ACK Edge documentation).
	domains []string
}

var edgeServiceInfos = map[EdgeService]edgeServiceInfo{
	EdgeACR: {title: "Container Registry (system component images)", flag: "--acr-service",
		prefixes: []string{"acr", "cr"}, domains: []string{"registry-{region}-vpc.ack.aliyuncs.com"}},
	EdgeACK: {title: "ACK control plane", flag: "--ack-service",
		prefixes: []string{"ack", "cs"}, domains: []string{"cs-anony-vpc.{region}.aliyuncs.com"}},
	EdgePilot: {title: "ASM Pilot (istiod) for sidecars and gateways"},
}

// Title names the service for people, e.g. "ACK control plane".
func (s EdgeService) Title() string { return edgeServiceInfos[s].title }

// Flag is the command-line flag that names the service's endpoint service.
func (s EdgeService) Flag() string { return edgeServiceInfos[s].flag }

// Domains returns the domain names edge nodes use for the service in a
// region; the on-premises DNS points them at the endpoint.
func (s EdgeService) Domains(region string) []string {
	var out []string
	for _, d := range edgeServiceInfos[s].domains {
		out = append(out, strings.ReplaceAll(d, "{region}", region))
	}
	return out
}

// The codes of the edge endpoint checks, PVL300 to PVL399. A code never
// changes meaning.
const (
	CodeEdgeCluster        spec.Code = "PVL300"
	CodeEdgePrivateLink    spec.Code = "PVL301"
	CodeEdgeServices       spec.Code = "PVL302"
	CodeEdgeZones          spec.Code = "PVL303"
	CodeOnPremReserved     spec.Code = "PVL310"
	CodeOnPremVPC          spec.Code = "PVL311"
	CodeOnPremPods         spec.Code = "PVL312"
	CodeOnPremServiceCIDRs spec.Code = "PVL313"
)

// The categories of the edge endpoint checks.
const (
	// CategoryEdge covers the cluster, PrivateLink, the endpoint
	// services and the zones they share with the cluster's VPC.
	CategoryEdge Category = "edge-endpoints"
	// CategoryOnPrem covers the on-premises CIDR blocks of the edge nodes.
	CategoryOnPrem Category = "on-premises"
)

// edgeCatalog is the edge endpoint checks as data. Their Run is nil: they
// are computed from an edge plan by PlanEdge, not from an Env.
var edgeCatalog = func() []Check {
	cs := []Check{
		{Code: CodeEdgeCluster, Category: CategoryEdge, Severity: spec.Warning,
			Description: "the cluster is an ACK Edge cluster",
			Hint:        "endpoints for ACR and the ACK control plane serve on-premises edge nodes; other clusters reach both inside their VPC"},
		{Code: CodeEdgePrivateLink, Category: CategoryEdge, Severity: spec.Error, Fatal: true,
			Description: "PrivateLink is activated for the account",
			Hint:        "activate PrivateLink in the PrivateLink console or with the command below"},
		{Code: CodeEdgeServices, Category: CategoryEdge, Severity: spec.Error, Fatal: true,
			Description: "the ACR and ACK control-plane endpoint services are visible to the account",
			Hint:        "PrivateLink for ACR and the ACK control plane is offered to whitelisted accounts: submit a ticket, then pass the endpoint service IDs support gives you with --acr-service and --ack-service"},
		{Code: CodeEdgeZones, Category: CategoryEdge, Severity: spec.Error, DependsOn: []spec.Code{CodeEdgeServices},
			Description: "each endpoint service serves a zone where the cluster's VPC has a vSwitch with a free IP",
			Hint:        "create a vSwitch in a zone the service serves, in the cluster's VPC, then run again"},
		{Code: CodeOnPremReserved, Category: CategoryOnPrem, Severity: spec.Warning,
			Description: "no on-premises CIDR overlaps 100.64.0.0/10",
			Hint:        "many Alibaba Cloud services use 100.64.0.0/10; edge nodes whose own networks use it cannot reach them, so renumber the clashing range or route only the endpoint IPs"},
		{Code: CodeOnPremVPC, Category: CategoryOnPrem, Severity: spec.Warning,
			Description: "no on-premises CIDR overlaps the cluster's VPC",
			Hint:        "traffic to the endpoints' IPs would stay on premises; use on-premises ranges outside the VPC's CIDR blocks"},
		{Code: CodeOnPremPods, Category: CategoryOnPrem, Severity: spec.Warning,
			Description: "no on-premises CIDR overlaps the cluster's pod CIDR",
			Hint:        "pods on edge nodes would shadow on-premises hosts; use on-premises ranges outside the pod CIDR"},
		{Code: CodeOnPremServiceCIDRs, Category: CategoryOnPrem, Severity: spec.Warning,
			Description: "no on-premises CIDR overlaps the cluster's Service CIDR",
			Hint:        "Service IPs would shadow on-premises hosts on edge nodes; use on-premises ranges outside the Service CIDR"},
	}
	for i := range cs {
		cs[i].DocURL = DocURL(cs[i].Code)
	}
	return cs
}()

// edgeCheck returns the catalog entry of code.
func edgeCheck(code spec.Code) *Check {
	return &edgeCatalog[slices.IndexFunc(edgeCatalog, func(c Check) bool { return c.Code == code })]
}

// EdgeFacts is what the cloud listed for one edge cluster: a snapshot, so
// that every decision is a pure function of it.
type EdgeFacts struct {
	// Region is the region of the client, which must be the cluster's.
	Region  string
	Cluster cloud.Cluster
	VPC     cloud.VPC
	// VSwitches are the vSwitches of the cluster's VPC.
	VSwitches            []cloud.VSwitch
	PrivateLinkActivated bool
	PrivateLinkZones     []cloud.Zone
	// Services are the endpoint services visible to the account.
	Services []cloud.EndpointService
	// Endpoints are the endpoints already in the cluster's VPC.
	Endpoints []cloud.Endpoint
}

// LoadEdgeFacts lists what planning the endpoints of clusterID needs. The
// cluster comes first (it names the VPC); everything else is listed at
// once.
func LoadEdgeFacts(ctx context.Context, api cloud.EdgeAPI, clusterID string) (*EdgeFacts, error) {
	f := &EdgeFacts{Region: api.Identity().Region}
	var err error
	if f.Cluster, err = api.Cluster(ctx, clusterID); err != nil {
		return nil, err
	}
	if f.Cluster.RegionID != "" && f.Cluster.RegionID != f.Region {
		return nil, fmt.Errorf("cluster %s is in region %s, not %s: run again with --region %s", clusterID, f.Cluster.RegionID, f.Region, f.Cluster.RegionID)
	}
	vpcID := f.Cluster.VpcID
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		vpcs, err := api.VPCs(gctx)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(vpcs, func(v cloud.VPC) bool { return v.ID == vpcID })
		if i < 0 {
			return fmt.Errorf("the VPC %s of cluster %s is not listed in region %s", vpcID, clusterID, f.Region)
		}
		f.VPC = vpcs[i]
		return nil
	})
	g.Go(func() (err error) { f.VSwitches, err = api.VSwitches(gctx, vpcID); return err })
	g.Go(func() (err error) { f.PrivateLinkActivated, err = api.PrivateLinkActivated(gctx); return err })
	g.Go(func() (err error) { f.PrivateLinkZones, err = api.PrivateLinkZones(gctx); return err })
	g.Go(func() (err error) { f.Services, err = api.VisibleEndpointServices(gctx); return err })
	g.Go(func() (err error) { f.Endpoints, err = api.Endpoints(gctx, vpcID); return err })
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return f, nil
}

// EdgeRequest is what the person asked for.
type EdgeRequest struct {
	// Services maps each edge service to the endpoint service ID (epsrv-…)
	// or name support gave; "" finds it among the visible services.
	Services map[EdgeService]string
	// VSwitchIDs are the vSwitches to place the endpoints in, one per
	// zone; empty picks one per zone the services serve.
	VSwitchIDs []string
	// SecurityGroupID is for the endpoints' network interfaces; "" takes
	// the cluster's.
	SecurityGroupID string
	// OnPremCIDRs are the data center's CIDR blocks (ParseOnPremCIDRs).
	OnPremCIDRs []netip.Prefix
}

// EdgeUsageError is a request that cannot be planned as given. Flag names
// the flag that carries the bad value.
type EdgeUsageError struct {
	Flag    string
	Message string
}

func (e *EdgeUsageError) Error() string { return e.Flag + ": " + e.Message }

// ParseOnPremCIDRs parses the data center's CIDR blocks, as given with
// --onprem-cidr.
func ParseOnPremCIDRs(values []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			p, err := netip.ParsePrefix(part)
			if err != nil {
				return nil, &EdgeUsageError{Flag: "--onprem-cidr", Message: fmt.Sprintf("%q is not a CIDR block like 10.0.0.0/8", part)}
			}
			out = append(out, p.Masked())
		}
	}
	return out, nil
}

// EdgeEndpoint is one endpoint of the plan: the service it connects to,
// and either the zones to create it in or the endpoint already there.
type EdgeEndpoint struct {
	Service         EdgeService
	EndpointService cloud.EndpointService
	// Name and Description are given to a new endpoint.
	Name        string
	Description string
	// Zones are where a new endpoint gets its network interfaces: one
	// chosen vSwitch per zone the service serves.
	Zones []cloud.EndpointZone
	// Existing is the endpoint to this service already in the VPC, which
	// is used instead of creating another; nil when one is to be created.
	Existing *cloud.Endpoint
}

// EdgePlan is what `asmlink edge endpoints` will do, and the checks that
// decided it.
type EdgePlan struct {
	Cluster         cloud.Cluster
	VPC             cloud.VPC
	Region          string
	SecurityGroupID string
	// VSwitches are the chosen vSwitches, one per zone, by zone.
	VSwitches []cloud.VSwitch
	// Endpoints are planned for the services that resolved and share a
	// zone with the VPC, in EdgeServices order.
	Endpoints []EdgeEndpoint
	// Results are the PVL3xx checks, in catalog order.
	Results []Result
}

// Ready tells whether the plan can be carried out: no check failed.
func (p *EdgePlan) Ready() bool { return len(Failed(p.Results)) == 0 }

// PlanEdge decides the endpoints of an edge cluster: it finds the endpoint
// services, picks one vSwitch per zone they serve in the cluster's VPC (the
// given ones, or the cluster's own vSwitch first, then the one with the
// most free IPs), and checks the on-premises CIDR blocks. A bad flag value
// is an *EdgeUsageError; every other problem is a failed check in the plan.
func PlanEdge(f *EdgeFacts, req EdgeRequest) (*EdgePlan, error) {
	p := &EdgePlan{Cluster: f.Cluster, VPC: f.VPC, Region: f.Region, SecurityGroupID: cmp.Or(req.SecurityGroupID, f.Cluster.SecurityGroupID)}
	if p.SecurityGroupID == "" {
		return nil, &EdgeUsageError{Flag: "--security-group", Message: fmt.Sprintf("cluster %s has no security group on record: name one of VPC %s for the endpoints' network interfaces", f.Cluster.ID, f.VPC.ID)}
	}
	given, err := givenVSwitches(f, req.VSwitchIDs)
	if err != nil {
		return nil, err
	}
	services, svcResult, err := resolveEdgeServices(f, req.Services)
	if err != nil {
		return nil, err
	}

	add := func(code spec.Code, r Result) {
		r.Check = edgeCheck(code)
		if r.Status == StatusFail && r.Check.Severity == spec.Warning {
			r.Status = StatusWarn
		}
		p.Results = append(p.Results, r)
	}
	add(CodeEdgeCluster, edgeClusterResult(f.Cluster))
	plOn := f.PrivateLinkActivated
	if plOn {
		add(CodeEdgePrivateLink, pass("PrivateLink is activated"))
	} else {
		r := problem("PrivateLink is not activated for the account")
		r.Fix = &Fix{Description: "activate PrivateLink for the account", Command: "aliyun privatelink OpenPrivateLinkService --RegionId " + f.Region, Mutating: true}
		add(CodeEdgePrivateLink, r)
	}
	switch {
	case !plOn:
		add(CodeEdgeServices, skip("skipped because check "+string(CodeEdgePrivateLink)+" failed"))
	default:
		add(CodeEdgeServices, svcResult)
	}
	if !plOn || svcResult.Status == StatusFail {
		add(CodeEdgeZones, skip("skipped because the endpoint services are not known"))
	} else {
		p.VSwitches = chooseVSwitches(f, given, services)
		r := p.planEndpoints(f, services, given != nil)
		add(CodeEdgeZones, r)
	}
	for _, r := range onPremResults(f, req.OnPremCIDRs) {
		add(r.code, r.Result)
	}
	return p, nil
}

func edgeClusterResult(c cloud.Cluster) Result {
	if c.IsEdge() {
		return passf("%s is an ACK Edge cluster", clusterRef(c))
	}
	return problemf("%s is a %s cluster, not ACK Edge", clusterRef(c), cmp.Or(c.Profile, "Default"))
}

// givenVSwitches checks --vswitch values: each a vSwitch of the cluster's
// VPC, in a PrivateLink zone, with a free IP, and one per zone. nil means
// none was given.
func givenVSwitches(f *EdgeFacts, ids []string) ([]cloud.VSwitch, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var out []cloud.VSwitch
	for _, id := range ids {
		i := slices.IndexFunc(f.VSwitches, func(v cloud.VSwitch) bool { return v.ID == id })
		if i < 0 {
			return nil, &EdgeUsageError{Flag: "--vswitch", Message: fmt.Sprintf("%s is not a vSwitch of VPC %s, the VPC of cluster %s; its vSwitches are %s", id, f.VPC.ID, f.Cluster.ID, vswitchList(f.VSwitches))}
		}
		v := f.VSwitches[i]
		switch {
		case !slices.ContainsFunc(f.PrivateLinkZones, func(z cloud.Zone) bool { return z.ID == v.ZoneID }):
			return nil, &EdgeUsageError{Flag: "--vswitch", Message: fmt.Sprintf("%s is in zone %s, where PrivateLink is not offered; choose a vSwitch in %s", id, v.ZoneID, zoneList(f.PrivateLinkZones))}
		case v.FreeIPs <= 0:
			return nil, &EdgeUsageError{Flag: "--vswitch", Message: fmt.Sprintf("%s has no free IP address for an endpoint's network interface; choose another vSwitch in zone %s", id, v.ZoneID)}
		}
		if j := slices.IndexFunc(out, func(o cloud.VSwitch) bool { return o.ZoneID == v.ZoneID }); j >= 0 {
			return nil, &EdgeUsageError{Flag: "--vswitch", Message: fmt.Sprintf("%s and %s are both in zone %s; an endpoint takes one vSwitch per zone", out[j].ID, id, v.ZoneID)}
		}
		out = append(out, v)
	}
	return out, nil
}

// resolveEdgeServices finds the endpoint service of each edge service: by
// the ID or name given, or by the name's last label. A service resolved
// for two edge services is a usage error; services not found make a
// failed result.
func resolveEdgeServices(f *EdgeFacts, given map[EdgeService]string) (map[EdgeService]cloud.EndpointService, Result, error) {
	found := map[EdgeService]cloud.EndpointService{}
	var problems []string
	for _, s := range EdgeServices {
		svc, msg := f.FindService(s, given[s])
		if msg != "" {
			problems = append(problems, s.Title()+": "+msg)
			continue
		}
		found[s] = svc
	}
	if a, b := found[EdgeACR], found[EdgeACK]; a.ID != "" && a.ID == b.ID {
		return nil, Result{}, &EdgeUsageError{Flag: EdgeACK.Flag(), Message: fmt.Sprintf("%s is also the ACR endpoint service; the ACR and the ACK control plane are two services with two IDs", a.ID)}
	}
	if len(problems) > 0 {
		visible := "no endpoint service is visible to the account in region " + f.Region
		if len(f.Services) > 0 {
			var names []string
			for _, v := range f.Services {
				names = append(names, v.ID+" ("+v.Name+")")
			}
			visible = "visible endpoint services: " + strings.Join(names, ", ")
		}
		return found, problemf("%d of %d endpoint services not found", len(problems), len(EdgeServices)).with(append(problems, visible)...), nil
	}
	var names []string
	for _, s := range EdgeServices {
		names = append(names, fmt.Sprintf("%s %s", strings.ToUpper(string(s)), found[s].ID))
	}
	return found, pass("found " + strings.Join(names, " and ")), nil
}

// FindService finds the endpoint service of s among the visible ones: by
// want, an ID (epsrv-…) or name, or, when want is empty, by a name whose
// last label marks it as s. When it is not found, problem says why and
// which flag names it.
func (f *EdgeFacts) FindService(s EdgeService, want string) (svc cloud.EndpointService, problem string) {
	if want = strings.TrimSpace(want); want != "" {
		i := slices.IndexFunc(f.Services, func(v cloud.EndpointService) bool { return v.ID == want || v.Name == want })
		if i < 0 {
			return cloud.EndpointService{}, fmt.Sprintf("%s %s is not visible to this account in region %s", s.Flag(), want, f.Region)
		}
		return f.Services[i], ""
	}
	var like []cloud.EndpointService
	for _, v := range f.Services {
		if s.looksLike(v, f.Region) {
			like = append(like, v)
		}
	}
	switch len(like) {
	case 0:
		return cloud.EndpointService{}, fmt.Sprintf("no visible endpoint service is named like it; pass its ID with %s", s.Flag())
	case 1:
		return like[0], ""
	}
	var names []string
	for _, v := range like {
		names = append(names, v.ID+" ("+v.Name+")")
	}
	return cloud.EndpointService{}, fmt.Sprintf("several services are named like it (%s); choose one with %s", strings.Join(names, ", "), s.Flag())
}

// looksLike tells whether an endpoint service's name marks it as s: the
// label after com.aliyuncs.privatelink.<region>. starts with one of the
// service's prefixes.
func (s EdgeService) looksLike(v cloud.EndpointService, region string) bool {
	label := strings.ToLower(strings.TrimPrefix(v.Name, "com.aliyuncs.privatelink."+region+"."))
	if label == strings.ToLower(v.Name) {
		return false
	}
	for _, p := range edgeServiceInfos[s].prefixes {
		if label == p || strings.HasPrefix(label, p+"-") || strings.HasPrefix(label, p+".") {
			return true
		}
	}
	return false
}

// chooseVSwitches returns the given vSwitches, or else one vSwitch per zone
// served by any of the services: in a PrivateLink zone, with a free IP, the
// cluster's own first, then the most free IPs, then by ID. The result is
// ordered by zone.
func chooseVSwitches(f *EdgeFacts, given []cloud.VSwitch, services map[EdgeService]cloud.EndpointService) []cloud.VSwitch {
	out := slices.Clone(given)
	if given == nil {
		served := map[string]bool{}
		for _, s := range services {
			for _, z := range s.Zones {
				served[z] = true
			}
		}
		best := map[string]cloud.VSwitch{}
		for _, v := range f.VSwitches {
			if !served[v.ZoneID] || v.FreeIPs <= 0 || !slices.ContainsFunc(f.PrivateLinkZones, func(z cloud.Zone) bool { return z.ID == v.ZoneID }) {
				continue
			}
			if b, ok := best[v.ZoneID]; !ok || betterVSwitch(f.Cluster, v, b) {
				best[v.ZoneID] = v
			}
		}
		for _, v := range best {
			out = append(out, v)
		}
	}
	slices.SortFunc(out, func(a, b cloud.VSwitch) int { return cmp.Compare(a.ZoneID, b.ZoneID) })
	return out
}

func betterVSwitch(c cloud.Cluster, a, b cloud.VSwitch) bool {
	aOwn, bOwn := slices.Contains(c.VSwitchIDs, a.ID), slices.Contains(c.VSwitchIDs, b.ID)
	if aOwn != bOwn {
		return aOwn
	}
	if a.FreeIPs != b.FreeIPs {
		return a.FreeIPs > b.FreeIPs
	}
	return a.ID < b.ID
}

// planEndpoints plans one endpoint per service: the one already in the VPC,
// or a new one in the chosen vSwitches of the zones the service serves. A
// service that shares no zone fails the check with what to create.
func (p *EdgePlan) planEndpoints(f *EdgeFacts, services map[EdgeService]cloud.EndpointService, given bool) Result {
	var details, missing []string
	var fix *Fix
	for _, s := range EdgeServices {
		svc := services[s]
		ep := EdgeEndpoint{Service: s, EndpointService: svc,
			Name:        "asmlink-edge-" + string(s) + "-" + shortID(f.Cluster.ID),
			Description: fmt.Sprintf("%s for ACK Edge cluster %s, created by asmlink", s.Title(), f.Cluster.ID)}
		if i := slices.IndexFunc(f.Endpoints, func(e cloud.Endpoint) bool {
			return e.ServiceID == svc.ID && e.Status != "Deleting"
		}); i >= 0 {
			existing := f.Endpoints[i]
			ep.Existing = &existing
			p.Endpoints = append(p.Endpoints, ep)
			details = append(details, fmt.Sprintf("%s: endpoint %s already connects VPC %s to %s; it is used as it is", s.Title(), existing.ID, f.VPC.ID, svc.ID))
			continue
		}
		for _, v := range p.VSwitches {
			if slices.Contains(svc.Zones, v.ZoneID) {
				ep.Zones = append(ep.Zones, cloud.EndpointZone{ZoneID: v.ZoneID, VSwitchID: v.ID})
			}
		}
		if len(ep.Zones) == 0 {
			msg, f2 := noSharedZone(f, s, svc, p.VSwitches, given)
			missing = append(missing, msg)
			fix = cmp.Or(fix, f2)
			continue
		}
		var where []string
		for _, z := range ep.Zones {
			where = append(where, z.VSwitchID+" in "+z.ZoneID)
		}
		details = append(details, fmt.Sprintf("%s: a new endpoint to %s in %s", s.Title(), svc.ID, strings.Join(where, ", ")))
		p.Endpoints = append(p.Endpoints, ep)
	}
	if len(missing) > 0 {
		r := problemf("%d endpoint service(s) serve no zone where VPC %s has a usable vSwitch", len(missing), f.VPC.ID).with(append(missing, details...)...)
		r.Fix = fix
		return r
	}
	return passf("%d endpoint(s) planned in VPC %s", len(p.Endpoints), f.VPC.ID).with(details...)
}

// noSharedZone says why svc cannot get an endpoint in the VPC and what to
// create: a vSwitch in a zone it serves, in a free /24 of the VPC.
func noSharedZone(f *EdgeFacts, s EdgeService, svc cloud.EndpointService, chosen []cloud.VSwitch, given bool) (string, *Fix) {
	var have []string
	for _, v := range f.VSwitches {
		note := ""
		if v.FreeIPs <= 0 {
			note = ", no free IP"
		}
		have = append(have, fmt.Sprintf("%s in %s%s", v.ID, v.ZoneID, note))
	}
	if len(have) == 0 {
		have = []string{"none"}
	}
	zones := slices.Sorted(slices.Values(svc.Zones))
	msg := fmt.Sprintf("%s: endpoint service %s serves only %s, and VPC %s%s of cluster %s has vSwitches %s",
		s.Title(), svc.ID, strings.Join(zones, ", "), f.VPC.ID, nameSuffix(f.VPC.Name), f.Cluster.ID, strings.Join(have, "; "))
	if given {
		var picked []string
		for _, v := range chosen {
			picked = append(picked, v.ID+" in "+v.ZoneID)
		}
		msg += fmt.Sprintf("; --vswitch chose %s", strings.Join(picked, ", "))
	}
	msg += fmt.Sprintf(": create a vSwitch in zone %s of VPC %s", strings.Join(zones, " or "), f.VPC.ID)
	zone := zones[0]
	cidr := freeBlock(f.VPC, f.VSwitches)
	if cidr == "" {
		return msg + " (no CIDR block of the VPC is free: add a secondary CIDR block first)", nil
	}
	msg += fmt.Sprintf(", e.g. %s in %s", cidr, zone)
	cmd := fmt.Sprintf("aliyun vpc CreateVSwitch --RegionId %s --VpcId %s --ZoneId %s --CidrBlock %s --VSwitchName asmlink-edge-%s",
		f.Region, f.VPC.ID, zone, cidr, strings.TrimPrefix(zone, f.Region+"-"))
	fix := fixf("create a vSwitch in zone %s of VPC %s", zone, f.VPC.ID)
	fix.Command, fix.Mutating = cmd, true
	return msg, fix
}

type codedResult struct {
	code spec.Code
	Result
}

// onPremResults checks each on-premises CIDR block against 100.64.0.0/10
// and the cluster's VPC, pod and Service CIDR blocks.
func onPremResults(f *EdgeFacts, onPrem []netip.Prefix) []codedResult {
	codes := []spec.Code{CodeOnPremReserved, CodeOnPremVPC, CodeOnPremPods, CodeOnPremServiceCIDRs}
	if len(onPrem) == 0 {
		out := make([]codedResult, 0, len(codes))
		for _, c := range codes {
			out = append(out, codedResult{c, skip("no on-premises CIDR given (--onprem-cidr)")})
		}
		return out
	}
	ours := make([]block, 0, len(onPrem))
	for _, p := range onPrem {
		ours = append(ours, block{prefix: p, owner: "on-premises"})
	}
	var bad []string
	label := clusterLabel(f.Cluster)
	var vpcBlocks []block
	for _, cidr := range append([]string{f.VPC.CIDR}, f.VPC.SecondaryCIDRs...) {
		if b, ok := parseBlock(cidr, "CIDR of VPC "+f.VPC.ID, f.VPC.ID, &bad); ok {
			vpcBlocks = append(vpcBlocks, b)
		}
	}
	targets := []struct {
		code   spec.Code
		blocks []block
		what   string
		none   string
	}{
		{CodeOnPremReserved, []block{{prefix: edgeReserved, owner: "range used by Alibaba Cloud services"}}, "100.64.0.0/10", ""},
		{CodeOnPremVPC, vpcBlocks, "the CIDR of VPC " + f.VPC.ID, "the VPC's CIDR is not known"},
		{CodeOnPremPods, podBlocks([]cloud.Cluster{f.Cluster}, &bad), "the pod CIDR of " + label, label + " has no pod CIDR of its own (Terway: pods take vSwitch addresses, which the VPC check covers)"},
		{CodeOnPremServiceCIDRs, serviceBlocks([]cloud.Cluster{f.Cluster}, &bad), "the Service CIDR of " + label, label + " has no Service CIDR on record"},
	}
	out := make([]codedResult, 0, len(targets))
	for _, t := range targets {
		switch overlaps := overlapsBetween(ours, t.blocks); {
		case len(t.blocks) == 0:
			out = append(out, codedResult{t.code, skip(t.none)})
		case len(overlaps) > 0:
			out = append(out, codedResult{t.code, problem(fmt.Sprintf("%d on-premises CIDR block(s) overlap %s", len(overlaps), t.what), append(overlaps, bad...)...)})
		default:
			out = append(out, codedResult{t.code, pass(fmt.Sprintf("%d on-premises CIDR block(s) clear of %s", len(onPrem), t.what), bad...)})
		}
	}
	return out
}

func shortID(id string) string { return id[:min(len(id), 10)] }

func nameSuffix(name string) string {
	if name == "" {
		return ""
	}
	return " (" + name + ")"
}

func vswitchList(vs []cloud.VSwitch) string {
	if len(vs) == 0 {
		return "none"
	}
	var out []string
	for _, v := range vs {
		out = append(out, v.ID+" ("+v.ZoneID+")")
	}
	return strings.Join(out, ", ")
}

func zoneList(zs []cloud.Zone) string {
	var out []string
	for _, z := range zs {
		out = append(out, z.ID)
	}
	return strings.Join(out, ", ")
}
