package sim

import (
	"cmp"
	"slices"
)

// quotaCenterModes are the answers PrivateLinkState.QuotaCenter offers, one
// per plausible way the cloud answers asmlink's quota question.
var quotaCenterModes = []string{"", "documented", "region", "none"}

// The quota codes served. The first two are on PrivateLink's "Quotas and
// limits" page: pvl_quota_total_ep_per_vpc, 1,000 endpoints per VPC, and
// pvl_quota_total_epsrv, 200 endpoint services per account. The region-wide
// code is the simulator's own endpoint_quota offered as a quota, for the
// answer that the limit counts a whole region.
const (
	quotaPerVPC    = "pvl_quota_total_ep_per_vpc"
	quotaServices  = "pvl_quota_total_epsrv"
	quotaPerRegion = "pvl_quota_total_ep"
)

func (p PrivateLinkState) validateQuotas() *fieldError {
	if !slices.Contains(quotaCenterModes, p.QuotaCenter) {
		return fieldErrf("privatelink.quota_center", "%q must be documented, region or none", p.QuotaCenter)
	}
	if p.EndpointsPerVPC < 0 || p.EndpointServices < 0 {
		return fieldErrf("privatelink.endpoints_per_vpc", "quotas must not be negative")
	}
	return nil
}

// listProductQuotas serves quotas.ListProductQuotas (API reference, quotas
// 2020-05-10; SDK model QuotasItemInListProductQuotas) for ProductCode
// privatelink, by the world's QuotaCenter mode; any other product has no
// quota here. Usage is given only where it does not depend on a dimension
// (endpoint services per account, endpoints per region), as Quota Center
// counts what it can attribute to the quota's scope.
func listProductQuotas(st *State, c *call) (J, error) {
	if c.param("ProductCode") == "" {
		return nil, missingParam("ProductCode")
	}
	p := st.world.PrivateLink
	var list []J
	if c.param("ProductCode") == "privatelink" {
		switch p.QuotaCenter {
		case "", "documented":
			list = append(list,
				quotaJSON(quotaPerVPC, "Maximum number of endpoints per VPC", cmp.Or(p.EndpointsPerVPC, 1000), 0),
				quotaJSON(quotaServices, "Maximum number of endpoint services per account", cmp.Or(p.EndpointServices, 200), st.countServices(c.region)))
		case "region":
			list = append(list, quotaJSON(quotaPerRegion, "Maximum number of endpoints per region", p.EndpointQuota, st.countEndpoints(c.region)))
		}
	}
	maxResults, lo, hi, next, err := pageByToken(c, len(list))
	if err != nil {
		return nil, err
	}
	return J{"Quotas": nonNil(list[lo:hi]), "TotalCount": len(list), "MaxResults": maxResults, "NextToken": next}, nil
}

func quotaJSON(code, name string, limit, usage int) J {
	return J{"QuotaActionCode": code, "QuotaName": name, "ProductCode": "privatelink", "TotalQuota": limit, "TotalUsage": usage,
		"QuotaUnit": "", "Adjustable": true, "Consumable": false, "QuotaType": "normal", "QuotaCategory": "CommonQuota"}
}

func (s *State) countServices(region string) int {
	n := 0
	for _, v := range s.services {
		if v.region == region && !v.published {
			n++
		}
	}
	return n
}
