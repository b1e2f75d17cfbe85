package sim

import "slices"

// SetEndpointServiceZones sets the zones endpoint service id is offered in,
// as AttachZoneToVpcEndpointService and DetachZoneFromVpcEndpointService
// do. Endpoints connect only in the zones their service is offered in. It
// fails with the cloud's error for a zone without PrivateLink.
func (s *State) SetEndpointServiceZones(id string, zones []string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	svc := s.findService(id)
	if svc == nil {
		return serviceNotFound(id)
	}
	for _, z := range zones {
		if err := s.checkPrivateLinkZone(svc.region, z); err != nil {
			return err
		}
	}
	svc.zones = slices.Clone(zones)
	return nil
}

// PrivateLinkZone tells whether zone, in region, offers PrivateLink.
func (s *State) PrivateLinkZone(region, zone string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.checkPrivateLinkZone(region, zone) == nil
}
