package sim

import (
	"fmt"
	"maps"
	"net/http"
	"strconv"
)

// privatelink 2020-04-15 handlers. Lists are plain arrays paged by
// NextToken/MaxResults; DescribeZones is wrapped and not paged.

const timeFormat = "2006-01-02T15:04:05Z"

func checkProductOpen(st *State, c *call) (J, error) {
	return J{"Success": st.plActivated}, nil
}

// activationErrors are OpenPrivateLinkService's documented refusals besides
// OrderOpend (API reference, api-privatelink-2020-04-15-openprivatelinkservice),
// by PrivateLinkState.ActivationError.
var activationErrors = map[string]string{
	"AccountTypeRestricted":                 "The account type does not allow activating PrivateLink; use an account that completed real-name verification.",
	"InvalidAccountStatus.NotEnoughBalance": "Your account does not have enough balance.",
}

// openPrivateLinkService activates PrivateLink, or answers OrderOpend (400)
// when it is already activated, or the world's activation error.
func openPrivateLinkService(st *State, c *call) (J, error) {
	if st.plActivated {
		return nil, apiErr(http.StatusBadRequest, "OrderOpend", "The PrivateLink service has already been activated.")
	}
	if code := st.world.PrivateLink.ActivationError; code != "" {
		return nil, apiErr(http.StatusBadRequest, code, "%s", activationErrors[code])
	}
	st.plActivated = true
	return J{"OrderId": fmt.Sprintf("2180%012d", st.rnd.Int64N(1e12))}, nil
}

func describePrivateLinkZones(st *State, c *call) (J, error) {
	r, err := st.regionParam(c)
	if err != nil {
		return nil, err
	}
	list := []J{}
	for _, z := range r.Zones {
		if z.PrivateLink {
			list = append(list, J{"ZoneId": z.ID, "LocalName": z.LocalName, "RegionId": r.ID})
		}
	}
	return J{"Zones": J{"Zone": list}}, nil
}

func (st *State) serviceJSON(svc *endpointService) J {
	info := st.serviceInfo(svc)
	return J{"ServiceId": info.ID, "ServiceName": info.Name, "ServiceDomain": info.Domain, "ServiceDescription": svc.description,
		"ServiceStatus": info.Status, "ServiceBusinessStatus": "Normal", "ServiceType": "Interface", "ServiceResourceType": info.ResourceType,
		"RegionId": info.RegionID, "Zones": nonNil(info.Zones), "AutoAcceptEnabled": true, "ZoneAffinityEnabled": false, "Payer": "Endpoint",
		"ConnectBandwidth": 3072, "MaxBandwidth": 10240, "MinBandwidth": 100, "ServiceSupportIPv6": false, "AddressIpVersion": "IPv4",
		"ResourceGroupId": "rg-acfm2pz25js4kry", "CreateTime": info.Created.UTC().Format(timeFormat), "PrivateServiceName": "", "Tags": []J{}}
}

func (st *State) listServices(c *call) (list []J, total int, maxResults int, next string, err error) {
	var match []J
	for _, svc := range st.services {
		j := st.serviceJSON(svc)
		if svc.region != c.region || (svc.published && providerListing(c)) ||
			(c.param("ServiceId") != "" && c.param("ServiceId") != svc.id) ||
			(c.param("ServiceName") != "" && c.param("ServiceName") != svc.name) ||
			(c.param("ServiceStatus") != "" && c.param("ServiceStatus") != j["ServiceStatus"]) ||
			(c.param("ResourceId") != "" && c.param("ResourceId") != svc.resourceID) {
			continue
		}
		match = append(match, j)
	}
	maxResults, lo, hi, next, err := pageByToken(c, len(match))
	if err != nil {
		return nil, 0, 0, "", err
	}
	return nonNil(match[lo:hi]), len(match), maxResults, next, nil
}

func listVpcEndpointServices(st *State, c *call) (J, error) {
	list, total, maxResults, next, err := st.listServices(c)
	if err != nil {
		return nil, err
	}
	return J{"Services": list, "TotalCount": total, "MaxResults": maxResults, "NextToken": next}, nil
}

// listVpcEndpointServicesByEndUser is the consumer's view; its TotalCount is
// a string on the wire.
func listVpcEndpointServicesByEndUser(st *State, c *call) (J, error) {
	list, total, maxResults, next, err := st.listServices(c)
	if err != nil {
		return nil, err
	}
	// The consumer's view carries no status, business status, description,
	// bandwidth or creation time (SDK model of ListVpcEndpointServicesByEndUser).
	for i, j := range list {
		j = maps.Clone(j)
		for _, k := range []string{"ServiceStatus", "ServiceBusinessStatus", "ServiceDescription", "ConnectBandwidth", "MaxBandwidth", "MinBandwidth", "CreateTime", "RegionId", "PrivateServiceName"} {
			delete(j, k)
		}
		list[i] = j
	}
	return J{"Services": list, "TotalCount": strconv.Itoa(total), "MaxResults": maxResults, "NextToken": next}, nil
}

func getVpcEndpointServiceAttribute(st *State, c *call) (J, error) {
	id := c.param("ServiceId")
	if id == "" {
		return nil, missingParam("ServiceId")
	}
	svc := st.findService(id)
	if svc == nil {
		return nil, serviceNotFound(id)
	}
	return st.serviceJSON(svc), nil
}

func (st *State) endpointJSON(e *endpoint) J {
	info := st.endpointInfo(e)
	return J{"EndpointId": info.ID, "EndpointName": info.Name, "EndpointDescription": info.Description, "EndpointDomain": info.Domain,
		"EndpointStatus": info.Status, "EndpointBusinessStatus": "Normal", "ConnectionStatus": info.ConnectionStatus, "EndpointType": "Interface",
		"ServiceId": info.ServiceID, "ServiceName": info.ServiceName, "VpcId": info.VpcID, "RegionId": info.RegionID, "Bandwidth": 3072,
		"ResourceOwner": true, "ZoneAffinityEnabled": false, "ResourceGroupId": "rg-acfm2pz25js4kry",
		"CreateTime": info.Created.UTC().Format(timeFormat), "Tags": []J{}}
}

func listVpcEndpoints(st *State, c *call) (J, error) {
	var match []J
	for _, e := range st.endpoints {
		j := st.endpointJSON(e)
		if e.region != c.region ||
			(c.param("EndpointId") != "" && c.param("EndpointId") != e.id) ||
			(c.param("EndpointName") != "" && c.param("EndpointName") != e.name) ||
			(c.param("VpcId") != "" && c.param("VpcId") != e.vpcID) ||
			(c.param("ServiceName") != "" && c.param("ServiceName") != j["ServiceName"]) ||
			(c.param("EndpointStatus") != "" && c.param("EndpointStatus") != j["EndpointStatus"]) ||
			(c.param("ConnectionStatus") != "" && c.param("ConnectionStatus") != j["ConnectionStatus"]) {
			continue
		}
		match = append(match, j)
	}
	maxResults, lo, hi, next, err := pageByToken(c, len(match))
	if err != nil {
		return nil, err
	}
	return J{"Endpoints": nonNil(match[lo:hi]), "TotalCount": len(match), "MaxResults": maxResults, "NextToken": next}, nil
}

func (st *State) endpointParam(c *call) (*endpoint, error) {
	id := c.param("EndpointId")
	if id == "" {
		return nil, missingParam("EndpointId")
	}
	e := st.findEndpoint(id)
	if e == nil {
		return nil, endpointNotFound(id)
	}
	return e, nil
}

func getVpcEndpointAttribute(st *State, c *call) (J, error) {
	e, err := st.endpointParam(c)
	if err != nil {
		return nil, err
	}
	j := st.endpointJSON(e)
	j["Payer"] = "Endpoint"
	j["ZonePrivateIpAddressCount"] = 1
	j["PrivateServiceName"] = ""
	return j, nil
}

func listVpcEndpointZones(st *State, c *call) (J, error) {
	e, err := st.endpointParam(c)
	if err != nil {
		return nil, err
	}
	info := st.endpointInfo(e)
	var all []J
	for _, z := range info.Zones {
		all = append(all, J{"ZoneId": z.ZoneID, "VSwitchId": z.VSwitchID, "EniId": z.EniID, "EniIp": z.EniIP,
			"ZoneDomain": z.Domain, "ZoneStatus": z.Status, "RegionId": e.region})
	}
	maxResults, lo, hi, next, err := pageByToken(c, len(all))
	if err != nil {
		return nil, err
	}
	return J{"Zones": nonNil(all[lo:hi]), "MaxResults": maxResults, "NextToken": next}, nil
}

// createVpcEndpoint creates an endpoint through the same checks as the
// State API; with DryRun=true it only checks and answers DryRunOperation.
func createVpcEndpoint(st *State, c *call) (J, error) {
	if c.param("VpcId") == "" {
		return nil, missingParam("VpcId")
	}
	spec := EndpointSpec{RegionID: c.region, VpcID: c.param("VpcId"), ServiceID: c.param("ServiceId"), ServiceName: c.param("ServiceName"),
		Name: c.param("EndpointName"), Description: c.param("EndpointDescription")}
	for i := 1; c.param(fmt.Sprintf("SecurityGroupId.%d", i)) != ""; i++ {
		spec.SecurityGroupIDs = append(spec.SecurityGroupIDs, c.param(fmt.Sprintf("SecurityGroupId.%d", i)))
	}
	for i := 1; ; i++ {
		zone, vsw := c.param(fmt.Sprintf("Zone.%d.ZoneId", i)), c.param(fmt.Sprintf("Zone.%d.VSwitchId", i))
		if zone == "" && vsw == "" {
			break
		}
		if zone == "" {
			return nil, missingParam(fmt.Sprintf("Zone.%d.ZoneId", i))
		}
		if vsw == "" {
			return nil, missingParam(fmt.Sprintf("Zone.%d.VSwitchId", i))
		}
		spec.Zones = append(spec.Zones, EndpointZone{ZoneID: zone, VSwitchID: vsw})
	}
	if et := c.param("EndpointType"); et != "" && et != "Interface" {
		return nil, invalidParam("EndpointType", et, "the simulator offers Interface endpoints only")
	}
	if len(spec.SecurityGroupIDs) == 0 {
		return nil, missingParam("SecurityGroupId.1")
	}
	svc, err := st.checkEndpoint(&spec)
	if err != nil {
		return nil, err
	}
	if c.param("DryRun") == "true" {
		return nil, apiErr(http.StatusBadRequest, "DryRunOperation", "Request validation has been passed with DryRun flag set.")
	}
	info := st.endpointInfo(st.addEndpoint(spec, svc))
	return J{"EndpointId": info.ID, "EndpointName": info.Name, "EndpointDescription": info.Description, "EndpointDomain": info.Domain,
		"EndpointStatus": info.Status, "ConnectionStatus": info.ConnectionStatus, "EndpointBusinessStatus": "Normal",
		"ServiceId": info.ServiceID, "ServiceName": info.ServiceName, "VpcId": info.VpcID, "Bandwidth": 3072,
		"CreateTime": info.Created.UTC().Format(timeFormat)}, nil
}
