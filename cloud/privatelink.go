package cloud

import (
	"context"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/privatelink"
)

// privateLinkLimit is the MaxResults asked of PrivateLink list APIs.
const privateLinkLimit = 100

// PrivateLinkActivated tells whether PrivateLink is activated for the
// account (CheckProductOpen).
func (c *Client) PrivateLinkActivated(ctx context.Context) (bool, error) {
	o := op{productPrivateLink, "CheckProductOpen", true}
	var open bool
	err := c.call(ctx, o, func(sc *sdk.Client) error {
		resp := privatelink.CreateCheckProductOpenResponse()
		if err := sc.DoAction(privatelink.CreateCheckProductOpenRequest(), resp); err != nil {
			return err
		}
		open = resp.Success
		return nil
	})
	return open, err
}

// ActivatePrivateLink activates PrivateLink for the account
// (OpenPrivateLinkService). Its documented errors (API reference,
// api-privatelink-2020-04-15-openprivatelinkservice): OrderOpend means it is
// active already, which is success here; AccountTypeRestricted and
// InvalidAccountStatus.NotEnoughBalance get a hint that says what to do.
func (c *Client) ActivatePrivateLink(ctx context.Context) error {
	o := op{productPrivateLink, "OpenPrivateLinkService", true}
	err := c.call(ctx, o, func(sc *sdk.Client) error {
		return sc.DoAction(privatelink.CreateOpenPrivateLinkServiceRequest(), privatelink.CreateOpenPrivateLinkServiceResponse())
	})
	if e, ok := err.(*Error); ok {
		switch e.Code {
		case "OrderOpend":
			return nil
		case "AccountTypeRestricted":
			e.Hint = "this account type cannot activate PrivateLink: complete the account's real-name verification, or activate it in the PrivateLink console to see why"
		case "InvalidAccountStatus.NotEnoughBalance":
			e.Hint = "the account's balance is too low to activate PrivateLink: top it up in the Billing console, then run again"
		}
	}
	return err
}

// PrivateLinkZones lists the zones of the client's region where PrivateLink
// is offered (privatelink.DescribeZones).
func (c *Client) PrivateLinkZones(ctx context.Context) ([]Zone, error) {
	o := op{productPrivateLink, "DescribeZones", true}
	var zones []privatelink.Zone
	err := c.call(ctx, o, func(sc *sdk.Client) error {
		resp := privatelink.CreateDescribeZonesResponse()
		if err := sc.DoAction(privatelink.CreateDescribeZonesRequest(), resp); err != nil {
			return err
		}
		zones = resp.Zones.Zone
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]Zone, 0, len(zones))
	for _, z := range zones {
		out = append(out, Zone{ID: z.ZoneId, LocalName: z.LocalName})
	}
	return out, nil
}

// EndpointServices lists the account's PrivateLink endpoint services
// (ListVpcEndpointServices, NextToken paging).
func (c *Client) EndpointServices(ctx context.Context) ([]EndpointService, error) {
	o := op{productPrivateLink, "ListVpcEndpointServices", true}
	size := c.pageSizeFor(privateLinkLimit)
	return tokenPages(ctx, func(ctx context.Context, token string) ([]EndpointService, string, error) {
		var resp *privatelink.ListVpcEndpointServicesResponse
		err := c.call(ctx, o, func(sc *sdk.Client) error {
			req := privatelink.CreateListVpcEndpointServicesRequest()
			req.NextToken = token
			req.MaxResults = requests.NewInteger(size)
			resp = privatelink.CreateListVpcEndpointServicesResponse()
			return sc.DoAction(req, resp)
		})
		if err != nil {
			return nil, "", err
		}
		return endpointServices(resp.Services), resp.NextToken, nil
	})
}

// endpointServices turns the SDK's listing of endpoint services, the same
// for the provider's and the consumer's view, into domain values.
func endpointServices(ws []privatelink.Service) []EndpointService {
	items := make([]EndpointService, 0, len(ws))
	for _, w := range ws {
		items = append(items, EndpointService{
			ID:           w.ServiceId,
			Name:         w.ServiceName,
			Domain:       w.ServiceDomain,
			Status:       w.ServiceStatus,
			ResourceType: w.ServiceResourceType,
			Zones:        w.Zones,
		})
	}
	return items
}

// Endpoints lists the PrivateLink endpoints in a VPC, or in every VPC when
// vpcID is empty (ListVpcEndpoints, NextToken paging).
func (c *Client) Endpoints(ctx context.Context, vpcID string) ([]Endpoint, error) {
	o := op{productPrivateLink, "ListVpcEndpoints", true}
	size := c.pageSizeFor(privateLinkLimit)
	return tokenPages(ctx, func(ctx context.Context, token string) ([]Endpoint, string, error) {
		var resp *privatelink.ListVpcEndpointsResponse
		err := c.call(ctx, o, func(sc *sdk.Client) error {
			req := privatelink.CreateListVpcEndpointsRequest()
			req.VpcId = vpcID
			req.NextToken = token
			req.MaxResults = requests.NewInteger(size)
			resp = privatelink.CreateListVpcEndpointsResponse()
			return sc.DoAction(req, resp)
		})
		if err != nil {
			return nil, "", err
		}
		items := make([]Endpoint, 0, len(resp.Endpoints))
		for _, w := range resp.Endpoints {
			items = append(items, Endpoint{
				ID:               w.EndpointId,
				Name:             w.EndpointName,
				Domain:           w.EndpointDomain,
				Status:           w.EndpointStatus,
				ConnectionStatus: w.ConnectionStatus,
				ServiceID:        w.ServiceId,
				ServiceName:      w.ServiceName,
				VpcID:            w.VpcId,
			})
		}
		return items, resp.NextToken, nil
	})
}
