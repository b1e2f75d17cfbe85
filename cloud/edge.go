package cloud

import (
	"context"
	"errors"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/privatelink"
)

// EdgeAPI is what `asmlink edge endpoints` needs beyond API: the endpoint
// services published to the account (the system ACR and the ACK control
// plane for ACK Edge, seed 003), creating interface endpoints to them, and
// reading an endpoint and its zones back. It is separate from API so that
// the fakes other packages keep of API need not grow.
type EdgeAPI interface {
	API
	// VisibleEndpointServices lists the endpoint services of the region the
	// account may connect to, its own and those published to it
	// (ListVpcEndpointServicesByEndUser).
	VisibleEndpointServices(ctx context.Context) ([]EndpointService, error)
	// CreateEndpoint creates an interface endpoint (CreateVpcEndpoint). With
	// req.DryRun set the cloud only checks the request and nothing is
	// created; a passed check returns the zero Endpoint and no error.
	CreateEndpoint(ctx context.Context, req EndpointRequest) (Endpoint, error)
	// Endpoint reads one endpoint (GetVpcEndpointAttribute).
	Endpoint(ctx context.Context, endpointID string) (Endpoint, error)
	// EndpointZones lists where an endpoint has network interfaces, with
	// their IP addresses and domains (ListVpcEndpointZones).
	EndpointZones(ctx context.Context, endpointID string) ([]EndpointZone, error)
}

var _ EdgeAPI = (*Client)(nil)

// EndpointRequest asks for an interface endpoint in a VPC.
type EndpointRequest struct {
	VpcID           string
	ServiceID       string
	Name            string
	Description     string
	SecurityGroupID string
	// Zones are where the endpoint gets a network interface: one vSwitch of
	// VpcID per zone.
	Zones []EndpointZone
	// DryRun asks the cloud to check the request without creating anything.
	DryRun bool
}

// EndpointZone is one zone of an endpoint: the vSwitch its network
// interface is in and, once created, the interface's IP and domain.
type EndpointZone struct {
	ZoneID    string
	VSwitchID string
	EniID     string
	IP        string
	Domain    string
	Status    string // Creating, Wait, Connected, ...
}

// dryRunPassed is the code of the answer to a DryRun request that passed
// every check.
const dryRunPassed = "DryRunOperation"

// VisibleEndpointServices lists the endpoint services the account may
// connect to in the client's region (ListVpcEndpointServicesByEndUser,
// NextToken paging). The consumer's listing carries no status (SDK model),
// so Status is empty.
func (c *Client) VisibleEndpointServices(ctx context.Context) ([]EndpointService, error) {
	o := op{productPrivateLink, "ListVpcEndpointServicesByEndUser", true}
	size := c.pageSizeFor(privateLinkLimit)
	return tokenPages(ctx, func(ctx context.Context, token string) ([]EndpointService, string, error) {
		var resp *privatelink.ListVpcEndpointServicesByEndUserResponse
		err := c.call(ctx, o, func(sc *sdk.Client) error {
			req := privatelink.CreateListVpcEndpointServicesByEndUserRequest()
			req.NextToken = token
			req.MaxResults = requests.NewInteger(size)
			resp = privatelink.CreateListVpcEndpointServicesByEndUserResponse()
			return sc.DoAction(req, resp)
		})
		if err != nil {
			return nil, "", err
		}
		return endpointServices(resp.Services), resp.NextToken, nil
	})
}

// CreateEndpoint creates an interface endpoint (CreateVpcEndpoint). A
// creation is not idempotent, so it is retried only when throttled; a dry
// run that passes returns the zero Endpoint.
func (c *Client) CreateEndpoint(ctx context.Context, r EndpointRequest) (Endpoint, error) {
	o := op{productPrivateLink, "CreateVpcEndpoint", r.DryRun}
	var out Endpoint
	err := c.call(ctx, o, func(sc *sdk.Client) error {
		req := privatelink.CreateCreateVpcEndpointRequest()
		req.VpcId = r.VpcID
		req.ServiceId = r.ServiceID
		req.EndpointName = r.Name
		req.EndpointDescription = r.Description
		req.EndpointType = "Interface"
		req.SecurityGroupId = &[]string{r.SecurityGroupID}
		zones := make([]privatelink.CreateVpcEndpointZone, 0, len(r.Zones))
		for _, z := range r.Zones {
			zones = append(zones, privatelink.CreateVpcEndpointZone{ZoneId: z.ZoneID, VSwitchId: z.VSwitchID})
		}
		req.Zone = &zones
		req.DryRun = requests.NewBoolean(r.DryRun)
		resp := privatelink.CreateCreateVpcEndpointResponse()
		if err := sc.DoAction(req, resp); err != nil {
			return err
		}
		out = Endpoint{
			ID: resp.EndpointId, Name: resp.EndpointName, Domain: resp.EndpointDomain,
			Status: resp.EndpointStatus, ConnectionStatus: resp.ConnectionStatus,
			ServiceID: resp.ServiceId, ServiceName: resp.ServiceName, VpcID: resp.VpcId,
		}
		return nil
	})
	if e := (*Error)(nil); r.DryRun && errors.As(err, &e) && e.Code == dryRunPassed {
		return Endpoint{}, nil
	}
	return out, err
}

// Endpoint reads one endpoint (GetVpcEndpointAttribute).
func (c *Client) Endpoint(ctx context.Context, endpointID string) (Endpoint, error) {
	o := op{productPrivateLink, "GetVpcEndpointAttribute", true}
	var out Endpoint
	err := c.call(ctx, o, func(sc *sdk.Client) error {
		req := privatelink.CreateGetVpcEndpointAttributeRequest()
		req.EndpointId = endpointID
		resp := privatelink.CreateGetVpcEndpointAttributeResponse()
		if err := sc.DoAction(req, resp); err != nil {
			return err
		}
		out = Endpoint{
			ID: resp.EndpointId, Name: resp.EndpointName, Domain: resp.EndpointDomain,
			Status: resp.EndpointStatus, ConnectionStatus: resp.ConnectionStatus,
			ServiceID: resp.ServiceId, ServiceName: resp.ServiceName, VpcID: resp.VpcId,
		}
		return nil
	})
	return out, err
}

// EndpointZones lists the zones of an endpoint with their network
// interfaces' IPs and domains (ListVpcEndpointZones, NextToken paging).
func (c *Client) EndpointZones(ctx context.Context, endpointID string) ([]EndpointZone, error) {
	o := op{productPrivateLink, "ListVpcEndpointZones", true}
	size := c.pageSizeFor(privateLinkLimit)
	return tokenPages(ctx, func(ctx context.Context, token string) ([]EndpointZone, string, error) {
		var resp *privatelink.ListVpcEndpointZonesResponse
		err := c.call(ctx, o, func(sc *sdk.Client) error {
			req := privatelink.CreateListVpcEndpointZonesRequest()
			req.EndpointId = endpointID
			req.NextToken = token
			req.MaxResults = requests.NewInteger(size)
			resp = privatelink.CreateListVpcEndpointZonesResponse()
			return sc.DoAction(req, resp)
		})
		if err != nil {
			return nil, "", err
		}
		items := make([]EndpointZone, 0, len(resp.Zones))
		for _, z := range resp.Zones {
			items = append(items, EndpointZone{
				ZoneID: z.ZoneId, VSwitchID: z.VSwitchId, EniID: z.EniId,
				IP: z.EniIp, Domain: z.ZoneDomain, Status: z.ZoneStatus,
			})
		}
		return items, resp.NextToken, nil
	})
}
