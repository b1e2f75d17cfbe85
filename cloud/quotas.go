package cloud

import (
	"context"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/quotas"
	"golang.org/x/sync/errgroup"
)

// The PrivateLink quota codes asmlink reads from Quota Center. The first two
// are documented on PrivateLink's "Quotas and limits" page:
// pvl_quota_total_ep_per_vpc (1,000 endpoints per VPC) and
// pvl_quota_total_epsrv (200 endpoint services per account). The third is
// the plausible answer that the endpoint quota counts a whole region, as
// the simulator's endpoint_quota does; it is not on that page.
const (
	QuotaEndpointsPerVPC    = "pvl_quota_total_ep_per_vpc"
	QuotaEndpointServices   = "pvl_quota_total_epsrv"
	QuotaEndpointsPerRegion = "pvl_quota_total_ep"
)

// QuotaConsoleURL is the Quota Center page of PrivateLink, where a person
// reads and raises the quotas when asmlink cannot.
const QuotaConsoleURL = "https://quotas.console.aliyun.com/products/privatelink/quotas"

// quotasDomain is Quota Center's one, central endpoint (API reference,
// quotas 2020-05-10 endpoints), set so that no endpoint lookup is needed.
const quotasDomain = "quotas.aliyuncs.com"

// Quota is one quota as Quota Center lists it (ListProductQuotas, SDK model
// QuotasItemInListProductQuotas): its code (QuotaActionCode), name, value
// (TotalQuota) and, where Quota Center counts it, the usage (TotalUsage).
type Quota struct {
	Code  string
	Name  string
	Limit int
	Usage int
}

// PrivateLinkQuotas lists PrivateLink's quotas from Quota Center
// (quotas.ListProductQuotas with ProductCode privatelink, NextToken paging).
func (c *Client) PrivateLinkQuotas(ctx context.Context) ([]Quota, error) {
	o := op{productQuotas, "ListProductQuotas", true}
	return tokenPages(ctx, func(ctx context.Context, token string) ([]Quota, string, error) {
		var resp *quotas.ListProductQuotasResponse
		err := c.call(ctx, o, func(sc *sdk.Client) error {
			req := quotas.CreateListProductQuotasRequest()
			req.Domain = quotasDomain
			req.ProductCode = "privatelink"
			req.NextToken = token
			req.MaxResults = requests.NewInteger(100)
			resp = quotas.CreateListProductQuotasResponse()
			return sc.DoAction(req, resp)
		})
		if err != nil {
			return nil, "", err
		}
		out := make([]Quota, 0, len(resp.Quotas))
		for _, q := range resp.Quotas {
			out = append(out, Quota{Code: q.QuotaActionCode, Name: q.QuotaName, Limit: int(q.TotalQuota), Usage: int(q.TotalUsage)})
		}
		return out, resp.NextToken, nil
	})
}

// EndpointQuota is what a change's endpoints are measured against: the
// PrivateLink quotas Quota Center answered and what the account uses now.
// A limit is 0 when Quota Center did not answer that quota.
type EndpointQuota struct {
	// Unread says why the quotas or the usage could not be read (no
	// permission, not served); "" when they were.
	Unread string
	// PerVPC is the most endpoints one VPC may hold (QuotaEndpointsPerVPC).
	PerVPC int
	// PerRegion is the most endpoints the region may hold
	// (QuotaEndpointsPerRegion).
	PerRegion int
	// Services is the most endpoint services the account may own
	// (QuotaEndpointServices).
	Services int
	// ByVPC counts the region's endpoints by VPC ID (ListVpcEndpoints).
	ByVPC map[string]int
	// Endpoints counts the region's endpoints.
	Endpoints int
	// ServicesUsed counts the account's endpoint services in the region
	// (ListVpcEndpointServices).
	ServicesUsed int
}

// LoadEndpointQuota reads the PrivateLink quotas and counts the endpoints
// and endpoint services in use. It never fails for want of an answer: a
// refused or failed call is recorded in Unread, since the quota only
// informs a check; only a cancelled ctx is returned as an error.
func LoadEndpointQuota(ctx context.Context, api API) (EndpointQuota, error) {
	var (
		q    EndpointQuota
		list []Quota
		eps  []Endpoint
		svcs []EndpointService
	)
	// The three listings need nothing of each other: they run at once, and
	// the first failure is the one recorded.
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { list, err = api.PrivateLinkQuotas(gctx); return err })
	g.Go(func() (err error) { eps, err = api.Endpoints(gctx, ""); return err })
	g.Go(func() (err error) { svcs, err = api.EndpointServices(gctx); return err })
	if err := g.Wait(); err != nil {
		if ctx.Err() != nil {
			return EndpointQuota{}, context.Cause(ctx)
		}
		return EndpointQuota{Unread: err.Error()}, nil
	}
	for _, x := range list {
		switch x.Code {
		case QuotaEndpointsPerVPC:
			q.PerVPC = x.Limit
		case QuotaEndpointsPerRegion:
			q.PerRegion = x.Limit
		case QuotaEndpointServices:
			q.Services = x.Limit
		}
	}
	q.ByVPC = map[string]int{}
	for _, e := range eps {
		q.ByVPC[e.VpcID]++
	}
	q.Endpoints = len(eps)
	q.ServicesUsed = len(svcs)
	return q, nil
}
