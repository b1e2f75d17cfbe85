package flow

import (
	"context"
	"fmt"

	"github.com/asmlink/asmlink/cloud"
)

// Endpoints one new cluster's links need (design: the ASMPvlConfig status).
// Link A (ASM control plane to the ACK API server) is an endpoint in the
// ASM instance's VPC to an endpoint service on the cluster's API server load
// balancer; link B (the cluster's data plane to Pilot) is an endpoint in
// the cluster's VPC to the mesh's one Pilot endpoint service. One endpoint
// spans every listed zone (an ENI per zone, which checkFreeIPs covers), so
// a new cluster needs one endpoint in each VPC, two in the region, and one
// endpoint service of its own.
const (
	endpointsPerLinkedVPC = 1
	endpointsPerCluster   = 2
	servicesPerCluster    = 1
)

// checkEndpointQuota fails before apply when the new cluster's endpoints
// would go over a PrivateLink quota Quota Center answered (per VPC, per
// region, endpoint services per account), and warns that it could not
// verify when the quotas cannot be read or none is answered; it never
// blocks on what it could not read. A cluster that has its ASMPvlConfig
// entry already needs nothing new: its endpoints are in the usage counts.
func checkEndpointQuota(_ context.Context, e *Env) Result {
	c, r := e.chosenCluster()
	if r != nil {
		return *r
	}
	if e.Config != nil {
		if _, ok := e.Config.Entry(c.ID); ok {
			return passf("%s has its ASMPvlConfig entry already; no new endpoint is needed", clusterRef(c))
		}
	}
	q := e.EndpointQuota
	unverified := func(why string) Result {
		return Result{Status: StatusWarn, Message: "the PrivateLink endpoint quota is not verified: " + why,
			Details: []string{"compare the quotas on " + cloud.QuotaConsoleURL + " with the endpoints in use (`aliyun privatelink ListVpcEndpoints`)"}}
	}
	if q.Unread != "" {
		return unverified("it could not be read (" + q.Unread + ")")
	}
	if q.PerVPC == 0 && q.PerRegion == 0 && q.Services == 0 {
		return unverified("Quota Center answered no PrivateLink quota")
	}
	var over []string
	tightest, room := "", 0
	measure := func(what string, used, need, limit int) {
		if limit == 0 {
			return
		}
		s := fmt.Sprintf("%s: %d in use + %d needed, quota %d", what, used, need, limit)
		left := limit - used - need
		switch {
		case left < 0:
			over = append(over, s)
		case tightest == "" || left < room:
			tightest, room = s, left
		}
	}
	measure("endpoints in the ASM VPC "+e.Mesh.VpcID, q.ByVPC[e.Mesh.VpcID], endpointsPerLinkedVPC, q.PerVPC)
	measure("endpoints in the cluster's VPC "+c.VpcID, q.ByVPC[c.VpcID], endpointsPerLinkedVPC, q.PerVPC)
	measure("endpoints in region "+c.RegionID, q.Endpoints, endpointsPerCluster, q.PerRegion)
	measure("endpoint services of the account", q.ServicesUsed, servicesPerCluster, q.Services)
	if len(over) > 0 {
		res := problemf("linking %s would go over %d PrivateLink quota(s)", clusterRef(c), len(over)).with(over...)
		res.Fix = &Fix{Description: "list the VPC's endpoints to delete unused ones, or raise the quota on " + cloud.QuotaConsoleURL,
			Command: "aliyun privatelink ListVpcEndpoints --VpcId " + e.Mesh.VpcID}
		return res
	}
	return passf("the PrivateLink quotas leave room for %s's endpoints (least room: %s)", clusterRef(c), tightest)
}
