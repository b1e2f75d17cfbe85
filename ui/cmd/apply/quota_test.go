package apply_test

import (
	"testing"

	"github.com/asmlink/asmlink/cloud/sim"
)

// TestApplyRefusesOverEndpointQuota: with a region-wide endpoint quota that
// the new cluster's two endpoints would exceed, apply exits 3 on PVL108
// before writing; with the quota unreadable (RAM refuses
// ListProductQuotas), PVL108 only warns and apply writes the entry.
func TestApplyRefusesOverEndpointQuota(t *testing.T) {
	w := startWorldWith(t, "demo", meshProd, worldOptions{edit: func(w *sim.World) { w.PrivateLink.QuotaCenter, w.PrivateLink.EndpointQuota = "region", 1 }})
	if w.get() != nil {
		t.Fatal("the demo world starts with an ASMPvlConfig; this test needs none")
	}
	w.run(false, "", "apply", "--mesh", meshProd, "--cluster", shopProd, "--yes").expect(t, 3, "stderr", "endpoints in region cn-hangzhou: 0 in use + 2 needed, quota 1")
	if after := w.get(); after != nil {
		t.Errorf("apply wrote although the quota would be exceeded: %v", after.ClusterIDs())
	}

	w = startWorldWith(t, "demo", meshProd, worldOptions{edit: func(w *sim.World) {
		w.AccessKeys[0].DeniedAPIs = append(w.AccessKeys[0].DeniedAPIs, "quotas:ListProductQuotas")
	}})
	w.run(false, "", "apply", "--mesh", meshProd, "--cluster", shopProd, "--yes").expect(t, 0, "stderr", "PrivateLink endpoint quota is not verified")
	if cfg := w.get(); cfg == nil {
		t.Error("apply did not write although the unread quota only warns")
	} else if _, ok := cfg.Entry(shopProd); !ok {
		t.Error("apply did not write although the unread quota only warns")
	}
}
