package cloud

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/asmlink/asmlink/cloud/sim"
)

// simWith serves the demo world changed by edit and returns a client for it.
func simWith(t *testing.T, edit func(*sim.World)) *Client {
	t.Helper()
	w, err := sim.LoadWorld("demo")
	if err != nil {
		t.Fatal(err)
	}
	edit(w)
	srv, err := sim.New(w, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return newSimClient(t, srv, nil)
}

// TestPrivateLinkQuotasOverHTTP reads Quota Center's PrivateLink quotas from
// the simulator in each of its answers, and LoadEndpointQuota's record of a
// refusal.
func TestPrivateLinkQuotasOverHTTP(t *testing.T) {
	ctx := context.Background()
	doc, err := simWith(t, func(*sim.World) {}).PrivateLinkQuotas(ctx)
	if err != nil || len(doc) != 2 || doc[0] != (Quota{Code: QuotaEndpointsPerVPC, Name: "Maximum number of endpoints per VPC", Limit: 1000}) ||
		doc[1].Code != QuotaEndpointServices || doc[1].Limit != 200 {
		t.Errorf("documented quotas = %+v, %v", doc, err)
	}
	region, err := simWith(t, func(w *sim.World) { w.PrivateLink.QuotaCenter, w.PrivateLink.EndpointQuota = "region", 7 }).PrivateLinkQuotas(ctx)
	if err != nil || len(region) != 1 || region[0].Code != QuotaEndpointsPerRegion || region[0].Limit != 7 {
		t.Errorf("region quota = %+v, %v", region, err)
	}
	q, err := LoadEndpointQuota(ctx, simWith(t, func(w *sim.World) { w.PrivateLink.QuotaCenter = "none" }))
	if err != nil || q.Unread != "" || q.PerVPC != 0 || q.PerRegion != 0 || q.Services != 0 || q.ByVPC == nil {
		t.Errorf("no quota served: %+v, %v", q, err)
	}
	denied := simWith(t, func(w *sim.World) {
		w.AccessKeys[0].DeniedAPIs = append(w.AccessKeys[0].DeniedAPIs, "quotas:ListProductQuotas")
	})
	var e *Error
	if _, err := denied.PrivateLinkQuotas(ctx); !errors.As(err, &e) || e.Kind != KindPermission {
		t.Errorf("denied: %v, want a permission error", err)
	}
	q, err = LoadEndpointQuota(ctx, denied)
	if err != nil || !strings.Contains(q.Unread, "ListProductQuotas") {
		t.Errorf("denied: %+v, %v, want the refusal in Unread", q, err)
	}
}
