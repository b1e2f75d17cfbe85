package flow_test

import (
	"context"
	"strings"
	"testing"

	"github.com/asmlink/asmlink/cloud/sim"
	"github.com/asmlink/asmlink/flow"
)

// TestEndpointQuotaOverHTTP runs the endpoint quota check for shop-prod,
// not linked yet, against the simulator's Quota Center in each of its
// answers: the documented quotas with room and full, the per-region quota
// with room and full, no quota served, and ListProductQuotas refused by RAM.
func TestEndpointQuotaOverHTTP(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*sim.World)
		// occupied creates one endpoint service and an endpoint to it in
		// the ASM VPC before the check.
		occupied bool
		status   flow.Status
		want     string
	}{
		{"documented", func(*sim.World) {}, true, flow.StatusPass, "least room: endpoint services of the account: 1 in use + 1 needed, quota 200"},
		{"documented VPC full", func(w *sim.World) { w.PrivateLink.EndpointsPerVPC = 1 }, true, flow.StatusFail,
			"endpoints in the ASM VPC " + vpcASMProd + ": 1 in use + 1 needed, quota 1"},
		{"documented services full", func(w *sim.World) { w.PrivateLink.EndpointServices = 1 }, true, flow.StatusFail,
			"endpoint services of the account: 1 in use + 1 needed, quota 1"},
		{"region full", func(w *sim.World) { w.PrivateLink.QuotaCenter, w.PrivateLink.EndpointQuota = "region", 2 }, true, flow.StatusFail,
			"endpoints in region cn-hangzhou: 1 in use + 2 needed, quota 2"},
		{"region room", func(w *sim.World) { w.PrivateLink.QuotaCenter, w.PrivateLink.EndpointQuota = "region", 3 }, true, flow.StatusPass,
			"endpoints in region cn-hangzhou: 1 in use + 2 needed, quota 3"},
		{"none", func(w *sim.World) { w.PrivateLink.QuotaCenter = "none" }, false, flow.StatusWarn, "Quota Center answered no PrivateLink quota"},
		{"denied", func(w *sim.World) {
			w.AccessKeys[0].DeniedAPIs = append(w.AccessKeys[0].DeniedAPIs, "quotas:ListProductQuotas")
		}, false, flow.StatusWarn, "could not be read"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			api, srv, _ := demoWith(t, "demo", tc.edit)
			if tc.occupied {
				st := srv.State()
				svc, err := st.CreateEndpointService(sim.EndpointServiceSpec{RegionID: "cn-hangzhou", ResourceType: "slb", ResourceID: "lb-bp16g26oc7t3bd4z1g52", Zones: []string{"cn-hangzhou-j"}})
				if err != nil {
					t.Fatal(err)
				}
				if _, err := st.CreateEndpoint(sim.EndpointSpec{RegionID: "cn-hangzhou", VpcID: vpcASMProd, ServiceID: svc.ID,
					Zones: []sim.EndpointZone{{ZoneID: "cn-hangzhou-j", VSwitchID: vswASMProdJ}}}); err != nil {
					t.Fatal(err)
				}
			}
			env := load(t, api, nil)
			env.ClusterID = shopProd
			c, _ := flow.CheckByCode(flow.CodeEndpointQuota)
			r := flow.Runner{}.Run(context.Background(), env, []flow.Check{c})[0]
			text := r.Message + "\n" + strings.Join(r.Details, "\n")
			if r.Status != tc.status || !strings.Contains(text, tc.want) {
				t.Errorf("%s %s, want %s with %q", r.Status, text, tc.status, tc.want)
			}
		})
	}
}
