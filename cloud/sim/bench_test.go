package sim_test

import (
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/asmlink/asmlink/cloud/sim"
)

// BenchmarkListAllVSwitchesLarge lists the large world's 2,000 vSwitches
// through the real V1 SDK, 50 per page, as the wizard's inventory does.
func BenchmarkListAllVSwitchesLarge(b *testing.B) {
	s := startWorld(b, "large", sim.Options{})
	c := mainClients(b, s)
	for b.Loop() {
		for page := 1; ; page++ {
			r := vpc.CreateDescribeVSwitchesRequest()
			r.PageNumber, r.PageSize = requests.NewInteger(page), requests.NewInteger(50)
			resp, err := c.vpc.DescribeVSwitches(r)
			if err != nil {
				b.Fatal(err)
			}
			if page*50 >= resp.TotalCount {
				break
			}
		}
	}
	b.ReportMetric(float64(s.Calls())/float64(b.N), "calls/op")
}

// BenchmarkDescribeClusterDetail measures one signed ROA round trip.
func BenchmarkDescribeClusterDetail(b *testing.B) {
	s := startWorld(b, "demo", sim.Options{})
	c := mainClients(b, s)
	for b.Loop() {
		if _, err := c.cs.DescribeClusterDetail(detailRequest(shopProd)); err != nil {
			b.Fatal(err)
		}
	}
}
