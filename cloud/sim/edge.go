package sim

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
)

// PublishedService is an endpoint service that Alibaba Cloud publishes to
// the account rather than one the account owns: the system Container
// Registry (ACR) and the ACK control plane, which support makes visible to
// whitelisted accounts for ACK Edge clusters (seed 003). The account sees it
// with ListVpcEndpointServicesByEndUser and can create endpoints to it; the
// provider-side ListVpcEndpointServices does not list it.
type PublishedService struct {
	// ID is epsrv-… as support hands it out.
	ID string `yaml:"id"`
	// Name is the service name, e.g. com.aliyuncs.privatelink.cn-hangzhou.acr.
	Name   string `yaml:"name"`
	Region string `yaml:"region"`
	// Zones are the zones the service serves; endpoints connect only there.
	Zones       []string `yaml:"zones"`
	Description string   `yaml:"description"`
	// Created is when the service was published (RFC 3339); it is Active
	// from then on. Default 2024-11-01T00:00:00Z.
	Created string `yaml:"created"`
}

var reServiceID = regexp.MustCompile(`^epsrv-[0-9a-z]{10,30}$`)

// defaultPublished is when published services appeared, when the world does
// not say.
var defaultPublished = time.Date(2024, 11, 1, 0, 0, 0, 0, time.UTC)

// validatePublished checks the published services: ID shape, no ID or name
// twice, a known region, and zones of that region that offer PrivateLink.
func (w *World) validatePublished() *fieldError {
	zones := map[string]Zone{}
	regionOf := map[string]string{}
	for _, r := range w.Regions {
		for _, z := range r.Zones {
			zones[z.ID], regionOf[z.ID] = z, r.ID
		}
	}
	seen := map[string]bool{}
	for i, p := range w.PublishedServices {
		path := fmt.Sprintf("published_services[%d]", i)
		if !reServiceID.MatchString(p.ID) {
			return fieldErrf(path+".id", "%q is not an endpoint service ID like epsrv-bp1t9ymxp4ig1rqsm2w5", p.ID)
		}
		if p.Name == "" {
			return fieldErrf(path+".name", "is required (e.g. com.aliyuncs.privatelink.%s.acr)", p.Region)
		}
		for _, key := range []string{p.ID, p.Name} {
			if seen[key] {
				return fieldErrf(path, "%s is listed twice", key)
			}
			seen[key] = true
		}
		if !slices.ContainsFunc(w.Regions, func(r Region) bool { return r.ID == p.Region }) {
			return fieldErrf(path+".region", "%q is not one of the regions listed under regions", p.Region)
		}
		if len(p.Zones) == 0 {
			return fieldErrf(path+".zones", "at least one zone is required")
		}
		for j, z := range p.Zones {
			if regionOf[z] != p.Region || !zones[z].PrivateLink {
				return fieldErrf(fmt.Sprintf("%s.zones[%d]", path, j), "%q is not a PrivateLink zone of region %s", z, p.Region)
			}
		}
		if p.Created != "" {
			if _, err := time.Parse(time.RFC3339, p.Created); err != nil {
				return fieldErrf(path+".created", "%q is not a time like 2024-11-01T00:00:00Z", p.Created)
			}
		}
	}
	return nil
}

// seedPublished adds the world's published services to the state.
func (s *State) seedPublished() {
	for _, p := range s.world.PublishedServices {
		created := defaultPublished
		if p.Created != "" {
			created, _ = time.Parse(time.RFC3339, p.Created)
		}
		s.services = append(s.services, &endpointService{
			id: p.ID, name: p.Name, region: p.Region,
			domain:       p.ID + "." + p.Region + ".privatelink.aliyuncs.com",
			resourceType: "nlb", description: p.Description, zones: slices.Clone(p.Zones), created: created,
			published: true,
		})
	}
}

// providerListing tells whether a listing is the provider's view of its own
// services, which leaves out services published to the account.
func providerListing(c *call) bool {
	return strings.EqualFold(c.action, "ListVpcEndpointServices")
}
