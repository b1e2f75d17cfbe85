package edge

import (
	"fmt"
	"strings"

	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/ui/render"
)

// Report is what `asmlink edge endpoints` found and did, as -o json writes
// it on stdout.
type Report struct {
	Cluster ClusterRef `json:"cluster"`
	DryRun  bool       `json:"dryRun"`
	// Ready is false when a check failed and nothing was attempted.
	Ready           bool             `json:"ready"`
	SecurityGroupID string           `json:"securityGroupId"`
	Endpoints       []EndpointReport `json:"endpoints"`
	// DNS is the records for the on-premises DNS; absent in a dry run and
	// when a check failed.
	DNS    *DNSReport         `json:"dns,omitempty"`
	Checks render.CheckReport `json:"checks"`
}

// ClusterRef names the edge cluster and its VPC.
type ClusterRef struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Profile string `json:"profile"`
	Region  string `json:"region"`
	VpcID   string `json:"vpcId"`
}

// EndpointReport is one endpoint: the service, what was done, and its
// zones (planned vSwitches, or the IPs once created).
type EndpointReport struct {
	Service      flow.EdgeService `json:"service"`
	Title        string           `json:"title"`
	ServiceID    string           `json:"serviceId"`
	ServiceName  string           `json:"serviceName"`
	ServiceZones []string         `json:"serviceZones"`
	// Domains are the names edge nodes use for the service.
	Domains []string `json:"domains"`
	// Action is create, use existing, would create, created or used existing.
	Action           string       `json:"action"`
	EndpointID       string       `json:"endpointId,omitempty"`
	Domain           string       `json:"domain,omitempty"`
	Status           string       `json:"status,omitempty"`
	ConnectionStatus string       `json:"connectionStatus,omitempty"`
	Zones            []ZoneReport `json:"zones"`
}

// ZoneReport is one zone of an endpoint.
type ZoneReport struct {
	ZoneID    string `json:"zoneId"`
	VSwitchID string `json:"vSwitchId"`
	IP        string `json:"ip,omitempty"`
	Domain    string `json:"domain,omitempty"`
	Status    string `json:"status,omitempty"`
}

// DNSReport is the records with their two renderings.
type DNSReport struct {
	flow.EdgeDNS
	ZoneFile  string `json:"zoneFile"`
	HostsFile string `json:"hostsFile"`
}

// The actions of an endpoint in a report.
const (
	actionCreate      = "create"
	actionUse         = "use existing"
	actionWouldCreate = "would create"
	actionCreated     = "created"
	actionUsed        = "used existing"
)

func newReport(p *flow.EdgePlan, dryRun bool) *Report {
	c := p.Cluster
	rep := &Report{
		Cluster: ClusterRef{ID: c.ID, Name: c.Name, Profile: c.Profile, Region: p.Region, VpcID: p.VPC.ID},
		DryRun:  dryRun, Ready: p.Ready(), SecurityGroupID: p.SecurityGroupID,
		Endpoints: []EndpointReport{}, Checks: render.NewCheckReport(p.Results),
	}
	for _, ep := range p.Endpoints {
		r := EndpointReport{
			Service: ep.Service, Title: ep.Service.Title(), ServiceID: ep.EndpointService.ID, ServiceName: ep.EndpointService.Name,
			ServiceZones: ep.EndpointService.Zones, Domains: ep.Service.Domains(p.Region), Action: actionCreate, Zones: []ZoneReport{},
		}
		if ep.Existing != nil {
			r.Action, r.EndpointID, r.Domain = actionUse, ep.Existing.ID, ep.Existing.Domain
			r.Status, r.ConnectionStatus = ep.Existing.Status, ep.Existing.ConnectionStatus
		}
		for _, z := range ep.Zones {
			r.Zones = append(r.Zones, ZoneReport{ZoneID: z.ZoneID, VSwitchID: z.VSwitchID})
		}
		rep.Endpoints = append(rep.Endpoints, r)
	}
	return rep
}

// fill records what CreateEdgeEndpoints did; outcomes are in plan order
// and may stop early when a creation failed.
func (rep *Report) fill(p *flow.EdgePlan, outcomes []flow.EdgeOutcome) {
	for i, o := range outcomes {
		r := &rep.Endpoints[i]
		switch {
		case rep.DryRun && o.Existing == nil:
			r.Action = actionWouldCreate
			continue
		case rep.DryRun:
			continue
		case o.Created:
			r.Action = actionCreated
		default:
			r.Action = actionUsed
		}
		e := o.Endpoint
		r.EndpointID, r.Domain, r.Status, r.ConnectionStatus = e.ID, e.Domain, e.Status, e.ConnectionStatus
		if len(o.Zones) > 0 {
			r.Zones = r.Zones[:0]
			for _, z := range o.Zones {
				r.Zones = append(r.Zones, ZoneReport{ZoneID: z.ZoneID, VSwitchID: z.VSwitchID, IP: z.IP, Domain: z.Domain, Status: z.Status})
			}
		}
	}
	if rep.DryRun {
		return
	}
	if d := flow.BuildEdgeDNS(p, outcomes); len(d.CNAMEs) > 0 {
		rep.DNS = &DNSReport{EdgeDNS: d, ZoneFile: d.ZoneFile(), HostsFile: d.HostsFile()}
	}
}

// createdIDs lists the endpoints this run created.
func (rep *Report) createdIDs() []string {
	var out []string
	for _, e := range rep.Endpoints {
		if e.Action == actionCreated {
			out = append(out, e.EndpointID)
		}
	}
	return out
}

// planText says what will be done, one line per endpoint, for the
// confirmation and the dry run.
func planText(p *flow.EdgePlan) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Endpoints for cluster %s%s in VPC %s%s, security group %s:\n",
		p.Cluster.ID, paren(p.Cluster.Name), p.VPC.ID, paren(p.VPC.Name), p.SecurityGroupID)
	for _, ep := range p.Endpoints {
		if ep.Existing != nil {
			fmt.Fprintf(&b, "  %-12s %s: endpoint %s to %s\n", actionUse, ep.Service.Title(), ep.Existing.ID, ep.EndpointService.ID)
			continue
		}
		var where []string
		for _, z := range ep.Zones {
			where = append(where, z.VSwitchID+" ("+z.ZoneID+")")
		}
		fmt.Fprintf(&b, "  %-12s %s: %s to %s in %s\n", actionCreate, ep.Service.Title(), ep.Name, ep.EndpointService.ID, strings.Join(where, ", "))
	}
	return b.String()
}

// reportText is the text report on stdout: the endpoints with their zone
// IPs and the DNS records, or, for a dry run, what would be created.
func reportText(rep *Report) string {
	var b strings.Builder
	if rep.DryRun {
		b.WriteString("Dry run: nothing was created; the cloud accepted every request below.\n")
	}
	fmt.Fprintf(&b, "Endpoints in VPC %s of cluster %s%s:\n", rep.Cluster.VpcID, rep.Cluster.ID, paren(rep.Cluster.Name))
	var names []string
	for _, e := range rep.Endpoints {
		state := ""
		if e.EndpointID != "" {
			state = fmt.Sprintf(" %s %s/%s", e.EndpointID, e.Status, e.ConnectionStatus)
		}
		fmt.Fprintf(&b, "  %s:%s (%s)\n", e.Title, state, e.Action)
		fmt.Fprintf(&b, "    service  %s (%s), zones %s\n", e.ServiceID, e.ServiceName, strings.Join(e.ServiceZones, ", "))
		if e.Domain != "" {
			fmt.Fprintf(&b, "    domain   %s\n", e.Domain)
		}
		for _, z := range e.Zones {
			line := fmt.Sprintf("    zone     %s  %s", z.ZoneID, z.VSwitchID)
			if z.IP != "" {
				line += fmt.Sprintf("  %s  %s", z.IP, z.Status)
			}
			b.WriteString(line + "\n")
		}
		names = append(names, e.Domains...)
	}
	if rep.DNS == nil {
		fmt.Fprintf(&b, "\nOnce created, the on-premises DNS points %s at the endpoints.\n", strings.Join(names, " and "))
		return b.String()
	}
	b.WriteString("\nCNAME records for the on-premises DNS (zone-file snippet):\n\n")
	b.WriteString(rep.DNS.ZoneFile)
	b.WriteString("\nOr, without an on-premises DNS server, in /etc/hosts on each edge node:\n\n")
	b.WriteString(rep.DNS.HostsFile)
	return b.String()
}

func paren(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}
