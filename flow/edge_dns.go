package flow

import (
	"fmt"
	"slices"
	"strings"
)

// DNSRecord is one record the on-premises DNS needs.
type DNSRecord struct {
	// Name is the domain edge nodes use, e.g.
	// cs-anony-vpc.cn-hangzhou.aliyuncs.com.
	Name string `json:"name"`
	// Type is CNAME (a name edge nodes use, to the endpoint's domain) or A
	// (the endpoint's domain, to a zone IP of the endpoint).
	Type string `json:"type"`
	// Value is the endpoint's domain, or for an A record the zone IP.
	Value string `json:"value"`
	// Service is the edge service the name belongs to.
	Service EdgeService `json:"service"`
	// EndpointID is the endpoint the value names.
	EndpointID string `json:"endpointId"`
}

// HostEntry is one line of the hosts-file alternative: a zone IP of an
// endpoint for a domain edge nodes use.
type HostEntry struct {
	IP      string      `json:"ip"`
	Name    string      `json:"name"`
	ZoneID  string      `json:"zoneId"`
	Service EdgeService `json:"service"`
}

// EdgeDNS is what the on-premises DNS needs so that edge nodes reach the
// services through the endpoints: CNAMEs from the domains edge nodes use to
// the endpoints' domains, or, without a DNS server, hosts entries with the
// endpoints' zone IPs.
type EdgeDNS struct {
	Region  string      `json:"region"`
	Cluster string      `json:"clusterId"`
	CNAMEs  []DNSRecord `json:"cnames"`
	// A are address records for endpoint domains that only the VPC's own
	// DNS resolves, such as the Pilot endpoint's.
	A     []DNSRecord `json:"a,omitempty"`
	Hosts []HostEntry `json:"hosts"`
}

// BuildEdgeDNS returns the DNS records for created (or reused) endpoints.
// Hosts entries take only zones that have an IP and serve the endpoint
// (a zone in Wait is one the service does not serve).
func BuildEdgeDNS(p *EdgePlan, outcomes []EdgeOutcome) EdgeDNS {
	d := EdgeDNS{Region: p.Region, Cluster: p.Cluster.ID, CNAMEs: []DNSRecord{}, Hosts: []HostEntry{}}
	for _, o := range outcomes {
		if o.Endpoint.Domain == "" {
			continue
		}
		for _, name := range o.Service.Domains(p.Region) {
			d.CNAMEs = append(d.CNAMEs, DNSRecord{Name: name, Type: "CNAME", Value: o.Endpoint.Domain, Service: o.Service, EndpointID: o.Endpoint.ID})
			for _, z := range o.Zones {
				if z.IP != "" && z.Status != "Wait" {
					d.Hosts = append(d.Hosts, HostEntry{IP: z.IP, Name: name, ZoneID: z.ZoneID, Service: o.Service})
				}
			}
		}
	}
	return d
}

// ZoneFile renders the CNAMEs as a zone-file snippet (BIND syntax) with
// fully qualified names.
func (d EdgeDNS) ZoneFile() string {
	var b strings.Builder
	fmt.Fprintf(&b, "; On-premises DNS for ACK Edge cluster %s (%s).\n", d.Cluster, d.Region)
	b.WriteString("; Edge nodes resolve these names to the PrivateLink endpoints. Serve each\n")
	b.WriteString("; name from its own zone (or a response-policy zone) so the rest of\n")
	b.WriteString("; aliyuncs.com still resolves.\n")
	b.WriteString("$TTL 300\n")
	records := append(slices.Clone(d.CNAMEs), d.A...)
	width := 0
	for _, r := range records {
		width = max(width, len(r.Name)+1)
	}
	var last EdgeService
	for _, r := range records {
		if r.Service != last {
			fmt.Fprintf(&b, "; %s, endpoint %s\n", r.Service.Title(), r.EndpointID)
			last = r.Service
		}
		value := r.Value
		if r.Type == "CNAME" {
			value += "."
		}
		fmt.Fprintf(&b, "%-*s IN %-5s %s\n", width, r.Name+".", r.Type, value)
	}
	return b.String()
}

// HostsFile renders the hosts-file alternative: for each name the first
// zone's IP, and the other zones' IPs as comments to switch to when that
// zone is down.
func (d EdgeDNS) HostsFile() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# /etc/hosts on each edge node of ACK Edge cluster %s (%s).\n", d.Cluster, d.Region)
	b.WriteString("# One IP per name; a commented line is the same endpoint in another zone,\n")
	b.WriteString("# to switch to when the first zone is down.\n")
	width := 0
	for _, h := range d.Hosts {
		width = max(width, len(h.IP))
	}
	seen := map[string]bool{}
	for _, h := range d.Hosts {
		prefix := ""
		if seen[h.Name] {
			prefix = "# "
		}
		seen[h.Name] = true
		fmt.Fprintf(&b, "%s%-*s  %s  # %s\n", prefix, width, h.IP, h.Name, h.ZoneID)
	}
	return b.String()
}
