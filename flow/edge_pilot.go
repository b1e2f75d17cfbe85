package flow

import (
	"context"
	"fmt"
	"net"
	"slices"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/spec"
)

// How an edge cluster's sidecars reach Pilot. Its edge nodes sit on
// premises and reach the cluster's VPC over a leased line (seed 003), so the
// address their sidecars dial for Pilot must be reachable and resolvable
// from there:
//
//   - over PrivateLink (link B of ASMPvlConfig), the sidecars reach Pilot
//     through the Pilot endpoint in the cluster's VPC, whose domain
//     (ep-….privatelink.aliyuncs.com) only the VPC's own DNS resolves: the
//     on-premises DNS needs an A record per zone IP, or the edge nodes a
//     hosts entry;
//   - otherwise (CEN, or a leased line into the mesh's VPC) they dial the
//     mesh's intranet Pilot address, an IP: no DNS record is needed, only a
//     route over the leased line.

// PilotPath is how the edge nodes of a cluster reach Pilot.
type PilotPath struct {
	// PrivateLink tells the Pilot endpoint in the cluster's VPC from the
	// mesh's intranet address.
	PrivateLink bool `json:"privateLink"`
	// EndpointID and Domain are the Pilot endpoint's, over PrivateLink.
	EndpointID string `json:"endpointId,omitempty"`
	Domain     string `json:"domain,omitempty"`
	// Address is the mesh's intranet Pilot address (IP:port) otherwise.
	Address string `json:"address,omitempty"`
	// DNS is the records the on-premises DNS needs, over PrivateLink.
	DNS *EdgeDNS `json:"dns,omitempty"`
}

// EdgePilotPath finds how clusterID's sidecars reach Pilot: the cluster's
// link B endpoint in cfg's status (cfg may be nil: no ASMPvlConfig) with
// its zone IPs, or the mesh's intranet Pilot address.
func EdgePilotPath(ctx context.Context, api cloud.EdgeAPI, mesh cloud.Mesh, clusterID string, cfg *spec.ASMPvlConfig) (PilotPath, error) {
	var ep *spec.PvlEndpoint
	if cfg != nil && cfg.Status != nil && cfg.Status.Pilot != nil {
		if i := slices.IndexFunc(cfg.Status.Pilot.Clusters, func(c spec.ClusterLink) bool { return c.ClusterID == clusterID }); i >= 0 {
			ep = cfg.Status.Pilot.Clusters[i].PvlEndpoint
		}
	}
	if ep == nil || ep.ID == "" || ep.DomainName == "" {
		return PilotPath{Address: mesh.Endpoints.IntranetPilot}, nil
	}
	zones, err := api.EndpointZones(ctx, ep.ID)
	if err != nil {
		return PilotPath{}, fmt.Errorf("listing the zones of the Pilot endpoint %s: %w", ep.ID, err)
	}
	d := &EdgeDNS{Region: mesh.RegionID, Cluster: clusterID, CNAMEs: []DNSRecord{}, Hosts: []HostEntry{}}
	for _, z := range zones {
		if z.IP == "" || z.Status == "Wait" {
			continue
		}
		d.A = append(d.A, DNSRecord{Name: ep.DomainName, Type: "A", Value: z.IP, Service: EdgePilot, EndpointID: ep.ID})
		d.Hosts = append(d.Hosts, HostEntry{IP: z.IP, Name: ep.DomainName, ZoneID: z.ZoneID, Service: EdgePilot})
	}
	return PilotPath{PrivateLink: true, EndpointID: ep.ID, Domain: ep.DomainName, DNS: d}, nil
}

// Text says what the edge nodes need to reach Pilot: the records, or the
// route.
func (p PilotPath) Text() string {
	switch {
	case p.PrivateLink && p.DNS != nil && len(p.DNS.A) > 0:
		return fmt.Sprintf("Sidecars and gateways on edge nodes reach Pilot through endpoint %s; the on-premises DNS must resolve its domain (zone-file snippet):\n\n%s\nOr, without an on-premises DNS server, in /etc/hosts on each edge node:\n\n%s",
			p.EndpointID, p.DNS.ZoneFile(), p.DNS.HostsFile())
	case p.PrivateLink:
		return fmt.Sprintf("Sidecars on edge nodes reach Pilot through endpoint %s (%s), which has no zone IP yet: run again once ASMPvlConfig is Available.\n", p.EndpointID, p.Domain)
	case p.Address != "":
		host, _, err := net.SplitHostPort(p.Address)
		if err != nil {
			host = p.Address
		}
		return fmt.Sprintf("Sidecars on edge nodes reach Pilot at %s, the mesh's intranet address: no DNS record is needed; route %s/32 from the data center over the leased line (CEN) to the mesh's VPC.\n", p.Address, host)
	}
	return ""
}
