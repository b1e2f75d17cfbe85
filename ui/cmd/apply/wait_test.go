package apply_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/asmlink/asmlink/cloud/kube"
	"github.com/asmlink/asmlink/cloud/sim"
	"github.com/asmlink/asmlink/spec"
)

// The vSwitches of the demo world (testdata/worlds/demo.yaml) the wait
// tests connect with.
const (
	asmVswJ = "vsw-bp13uea3ge8n6qiwepxsk" // mesh-prod, cn-hangzhou-j
	shopVsw = "vsw-bp128t7a9tgiqhg9jrsnv" // shop-prod, cn-hangzhou-j
	payVswK = "vsw-bp1yc4om3wtoobmzvrerw" // payments, cn-hangzhou-k: no mesh vSwitch there
)

// graceRun runs a waiting command with a one-second grace period and a
// ten-minute timeout, and fails the test unless it ends with code, saying
// says on stderr, long before the timeout.
func (w *world) graceRun(t *testing.T, code int, says string, args ...string) result {
	t.Helper()
	start := time.Now()
	r := w.run(false, "", append(args, "--grace", "1s", "--timeout", "10m")...)
	if took := time.Since(start); took > 45*time.Second {
		t.Errorf("%v took %s: a terminal cause should end the wait within the grace period", args, took)
	}
	r.expect(t, code, "stderr", says)
	return r
}

// writeEntry writes one cluster's entry straight to the API server, as
// kubectl would, with no asmlink validation in the way.
func (w *world) writeEntry(t *testing.T, cluster, vsw, zone, asmVsw, asmZone string) {
	t.Helper()
	admin, err := kube.NewForConfig(context.Background(), kubeSrv.Config)
	if err != nil {
		t.Fatal(err)
	}
	entry := spec.AckVpcEndpoint{ClusterID: cluster, VSwitches: []spec.VSwitch{{VSwitchID: vsw, ZoneID: zone}}}
	if _, err := admin.WithFieldManager("kubectl").Apply(context.Background(), kube.MergeCluster(entry, []spec.VSwitch{{VSwitchID: asmVsw, ZoneID: asmZone}}), kube.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
}

// TestWaitEndsOnEachTroubleshootingRow drives each row of the PrivateLink
// guide's troubleshooting table on the real API server with the simulated
// controller: still provisioning is waited through; a zone rule broken,
// PrivateLink not activated, the endpoint quota reached and the SAN missing
// end `status --wait` and `apply --wait` with exit 3 within the grace
// period, naming the cause and its fix; once fixed, the wait ends 0.
func TestWaitEndsOnEachTroubleshootingRow(t *testing.T) {
	t.Run("provisioning then SAN missing", func(t *testing.T) {
		w := startWorld(t, "demo", meshProd)
		// Provisioning is waited through; the missing SAN ends the wait.
		r := w.graceRun(t, 3, "PVL204", "apply", "--mesh", meshProd, "--cluster", shopProd, "--yes", "--wait")
		for _, want := range []string{"waiting for cluster " + shopProd, "only a person can fix this", "aliyun cs PUT"} {
			if !strings.Contains(r.errOut, want) {
				t.Errorf("apply --wait does not say %q:\n%s", want, r.errOut)
			}
		}
		s := w.graceRun(t, 3, "PVL204", "status", "--mesh", meshProd, "--wait")
		if !strings.Contains(s.out, "next: asmlink doctor --mesh "+meshProd+" --fix") {
			t.Errorf("status --wait does not name the next command:\n%s", s.out)
		}
		// --wait=available is reached: the links are up.
		w.graceRun(t, 0, "done:", "status", "--mesh", meshProd, "--wait=available")
		w.run(false, "", "doctor", "--mesh", meshProd, "--fix", "--yes", "--fix-timeout", "1m").expect(t, 3, "stderr", "Fixed: append")
		ok := w.graceRun(t, 0, "done:", "status", "--mesh", meshProd, "--wait")
		if !strings.Contains(ok.out, "1 of 1 cluster(s) have both links up and are running in the mesh") {
			t.Errorf("the verdict does not say all is well:\n%s", ok.out)
		}
	})
	t.Run("zone rule broken", func(t *testing.T) {
		w := startWorld(t, "demo", meshProd)
		w.writeEntry(t, payments, payVswK, "cn-hangzhou-k", asmVswJ, "cn-hangzhou-j")
		r := w.graceRun(t, 3, "PVL201", "status", "--mesh", meshProd, "--wait", "-o", "json")
		var rep struct {
			Diagnoses []struct {
				Code     string `json:"code"`
				Terminal bool   `json:"terminal"`
			} `json:"diagnoses"`
			Verdict struct {
				OK bool `json:"ok"`
			} `json:"verdict"`
		}
		if err := json.Unmarshal([]byte(r.out), &rep); err != nil || rep.Verdict.OK || len(rep.Diagnoses) == 0 || !rep.Diagnoses[0].Terminal {
			t.Errorf("status JSON = %+v (%v):\n%s", rep, err, r.out)
		}
	})
	t.Run("privatelink off", func(t *testing.T) {
		w := startWorld(t, "privatelink-off", meshMain)
		// apply refuses before writing (preflight PVL104); an entry written
		// by another tool fails in ASM, and the wait ends on it.
		w.run(false, "", "apply", "--mesh", meshMain, "--cluster", ordersC, "--yes", "--wait").expect(t, 3, "stderr", "PVL104")
		w.writeEntry(t, ordersC, "vsw-bp1p0o9i8u7y6t5r4e3w2", "cn-hangzhou-i", "vsw-bp1a8s3d6f9g2h5j7k4l1", "cn-hangzhou-i")
		s := w.graceRun(t, 3, "PVL202", "status", "--mesh", meshMain, "--wait")
		if !strings.Contains(s.out, "run: aliyun privatelink OpenPrivateLinkService") || strings.Contains(s.out, "links not healthy yet") || !strings.Contains(s.out, "link failed") {
			t.Errorf("a failed link reads as waiting:\n%s", s.out)
		}
	})
	t.Run("endpoint quota reached", func(t *testing.T) {
		w := startWorldWith(t, "demo", meshProd, worldOptions{edit: func(w *sim.World) { w.PrivateLink.EndpointQuota = 1 }})
		w.graceRun(t, 3, "PVL203", "apply", "--mesh", meshProd, "--cluster", shopProd, "--yes", "--wait")
		w.graceRun(t, 3, "PVL203", "status", "--mesh", meshProd, "--wait=available")
	})
}

// TestLinksNeverUpWhilePrivateLinkDisagrees writes a status that says both
// links are Active and Connected while the simulated PrivateLink APIs still
// create and connect them: status shows the links settling, not up, exits
// 3, and --wait=available waits (exit 124), never reporting them up.
func TestLinksNeverUpWhilePrivateLinkDisagrees(t *testing.T) {
	w := startWorldWith(t, "demo", meshProd, worldOptions{realClock: true, noController: true})
	w.writeEntry(t, shopProd, shopVsw, "cn-hangzhou-j", asmVswJ, "cn-hangzhou-j")
	st := w.srv.State()
	lb := func(id string) string { c, _ := st.Cluster(id); return c.APIServerLB }
	svcA, err := st.CreateEndpointService(sim.EndpointServiceSpec{RegionID: "cn-hangzhou", ResourceType: "slb", ResourceID: lb(shopProd), Zones: []string{"cn-hangzhou-j"}})
	if err != nil {
		t.Fatal(err)
	}
	mesh, _ := st.Mesh(meshProd)
	svcB, err := st.CreateEndpointService(sim.EndpointServiceSpec{RegionID: "cn-hangzhou", ResourceType: "slb", ResourceID: mesh.PilotLB, Zones: []string{"cn-hangzhou-j"}})
	if err != nil {
		t.Fatal(err)
	}
	shop, _ := st.Cluster(shopProd)
	epA, err := st.CreateEndpoint(sim.EndpointSpec{RegionID: "cn-hangzhou", VpcID: mesh.VpcID, ServiceID: svcA.ID, Zones: []sim.EndpointZone{{ZoneID: "cn-hangzhou-j", VSwitchID: asmVswJ}}})
	if err != nil {
		t.Fatal(err)
	}
	epB, err := st.CreateEndpoint(sim.EndpointSpec{RegionID: "cn-hangzhou", VpcID: shop.VpcID, ServiceID: svcB.ID, Zones: []sim.EndpointZone{{ZoneID: "cn-hangzhou-j", VSwitchID: shopVsw}}})
	if err != nil {
		t.Fatal(err)
	}
	admin, err := kube.NewForConfig(context.Background(), kubeSrv.Config)
	if err != nil {
		t.Fatal(err)
	}
	healthy := func(id, domain string) *spec.PvlEndpoint {
		return &spec.PvlEndpoint{ID: id, Status: spec.StateActive, ConnectionStatus: spec.ConnectionHealthy, DomainName: domain}
	}
	if _, err := admin.WithFieldManager(sim.ControllerFieldManager).ApplyStatus(context.Background(), spec.Status{
		Status:   spec.StatusAvailable,
		Clusters: []spec.ClusterLink{{ClusterID: shopProd, PvlEndpoint: healthy(epA.ID, epA.Domain), PvlEndpointService: &spec.EndpointService{ID: svcA.ID, Name: svcA.Name, Status: spec.StateActive}}},
		Pilot: &spec.PilotLink{PvlEndpointService: &spec.EndpointService{ID: svcB.ID, Name: svcB.Name, Status: spec.StateActive},
			Clusters: []spec.ClusterLink{{ClusterID: shopProd, PvlEndpoint: healthy(epB.ID, epB.Domain)}}},
	}); err != nil {
		t.Fatal(err)
	}
	r := w.run(false, "", "status", "--mesh", meshProd)
	r.expect(t, 3, "stdout", "links settling")
	for _, bad := range []string{"links healthy", "✓"} {
		if strings.Contains(r.out, bad) {
			t.Errorf("status says %q while PrivateLink still creates the endpoints:\n%s", bad, r.out)
		}
	}
	j := w.run(false, "", "status", "--mesh", meshProd, "-o", "json")
	var rep struct {
		Available bool `json:"available"`
		Clusters  []struct {
			Health  string `json:"health"`
			Healthy bool   `json:"healthy"`
		} `json:"clusters"`
	}
	if err := json.Unmarshal([]byte(j.out), &rep); err != nil || rep.Available || len(rep.Clusters) != 1 || rep.Clusters[0].Health != "settling" || rep.Clusters[0].Healthy {
		t.Errorf("status JSON = %+v (%v)", rep, err)
	}
	wait := w.run(false, "", "status", "--mesh", meshProd, "--wait=available", "--timeout", "2s", "--grace", "1s")
	wait.expect(t, 124, "stderr", "PrivateLink to report endpoint")
}

// TestDoctorProvesLinkBFromTheCloudSide connects shop-prod, whose "shop"
// namespace has sidecars, and reads istiod's proxy status and the mesh's
// resources through doctor: SYNCED proxies of the cluster prove link B
// (PVL147 passes); STALE ones fail it; a Pilot load balancer that no longer
// exists fails PVL148.
func TestDoctorProvesLinkBFromTheCloudSide(t *testing.T) {
	w := startWorldWith(t, "demo", meshProd, worldOptions{edit: func(w *sim.World) {
		w.DataPlane.Clusters = append(w.DataPlane.Clusters, sim.DataPlaneCluster{Cluster: shopProd, Namespaces: []sim.Namespace{
			{Name: "shop", Labels: map[string]string{"istio-injection": "enabled"}, Pods: []string{"cart-7d4b9c6f58-x2k9p", "checkout-5f9d8b7c64-r7t2n"}}}})
	}})
	w.run(false, "", "apply", "--mesh", meshProd, "--cluster", shopProd, "--yes", "--wait=available", "--timeout", "30s").expect(t, 0, "stderr", "done:")
	check := func(code string) (status string, details []string) {
		t.Helper()
		r := w.run(false, "", "doctor", "--mesh", meshProd, "--cluster", shopProd, "-o", "json")
		var doc struct {
			Groups []struct {
				Checks []struct {
					Code    string   `json:"code"`
					Status  string   `json:"status"`
					Message string   `json:"message"`
					Details []string `json:"details"`
				} `json:"checks"`
			} `json:"groups"`
		}
		if err := json.Unmarshal([]byte(r.out), &doc); err != nil {
			t.Fatalf("doctor JSON: %v\n%s", err, r.out)
		}
		for _, g := range doc.Groups {
			for _, c := range g.Checks {
				if c.Code == code {
					return c.Status, append(c.Details, c.Message)
				}
			}
		}
		t.Fatalf("doctor ran no %s:\n%s", code, r.out)
		return "", nil
	}
	if s, d := check("PVL147"); s != "pass" || !strings.Contains(strings.Join(d, "\n"), "cluster "+shopProd+": link B proven: 2 proxies SYNCED") {
		t.Errorf("PVL147 = %s %q, want link B proven", s, d)
	}
	if s, _ := check("PVL148"); s != "pass" {
		t.Errorf("PVL148 = %s on a healthy mesh", s)
	}
	// status carries the same proof, as data.
	st := w.run(false, "", "status", "--mesh", meshProd, "-o", "json")
	var rep struct {
		Proof []struct {
			Code   string `json:"code"`
			Status string `json:"status"`
		} `json:"proof"`
	}
	if err := json.Unmarshal([]byte(st.out), &rep); err != nil || len(rep.Proof) != 2 || rep.Proof[0].Code != "PVL147" || rep.Proof[0].Status != "pass" {
		t.Errorf("status proof = %+v (%v)", rep.Proof, err)
	}
	w.srv.State().SetProxySync(shopProd, sim.ProxyStale)
	if s, d := check("PVL147"); s != "fail" || !strings.Contains(strings.Join(d, "\n"), "cart-7d4b9c6f58-x2k9p.shop: cluster STALE") {
		t.Errorf("PVL147 = %s %q, want the STALE proxies named", s, d)
	}
	w.srv.State().SetAdditionalStatus(meshProd, sim.AdditionalStatus{PilotLB: sim.LoadBalancerStatus{Exist: "not_exist"}, APIServerLB: sim.LoadBalancerStatus{Exist: "exist", Backends: "num_exact"}, SecurityGroup: "reused"})
	if s, d := check("PVL148"); s != "fail" || !strings.Contains(strings.Join(d, "\n"), "Pilot load balancer: not_exist") {
		t.Errorf("PVL148 = %s %q, want the missing Pilot load balancer", s, d)
	}
}

// TestStaleMeshErrorAndObsoleteSANAreNamed: a mesh error that names an
// endpoint which no longer exists (as after a delete and a re-apply) is
// named stale (PVL209) and waited through, not taken for the cause; a SAN
// left from an earlier endpoint is named obsolete, and the SAN step's notes
// give the current SANs, the API server restart and the Terraform
// custom_san line without it.
func TestStaleMeshErrorAndObsoleteSANAreNamed(t *testing.T) {
	const old = "ep-bp1gone0000000000000.epsrv-bp1gone00000000000000.cn-hangzhou.privatelink.aliyuncs.com"
	w := startWorldWith(t, "demo", meshProd, worldOptions{edit: func(w *sim.World) {
		for i := range w.Clusters {
			if w.Clusters[i].ID == shopProd {
				w.Clusters[i].ExtraSANs = append(w.Clusters[i].ExtraSANs, old)
			}
		}
	}})
	w.run(false, "", "apply", "--mesh", meshProd, "--cluster", shopProd, "--yes", "--wait=available", "--timeout", "30s").expect(t, 0, "stderr", "done:")
	d := w.run(false, "", "doctor", "--mesh", meshProd, "--cluster", shopProd)
	for _, want := range []string{"current custom SANs of cluster " + shopProd, "the API server restarts", "set custom_san = ", "obsolete SAN entry " + old} {
		if !strings.Contains(strings.Join(strings.Fields(d.out), " "), want) {
			t.Errorf("doctor's SAN check lacks %q:\n%s", want, d.out)
		}
	}
	w.run(false, "", "doctor", "--mesh", meshProd, "--fix", "--yes", "--fix-timeout", "1m").expect(t, 3, "stderr", "Fixed: append")
	d = w.run(false, "", "doctor", "--mesh", meshProd, "--cluster", shopProd, "-o", "json")
	if !strings.Contains(d.out, `"code": "PVL144"`) || !strings.Contains(d.out, "obsolete SAN entry "+old) {
		t.Errorf("the obsolete SAN is not named after the fix:\n%s", d.out)
	}

	// The mesh reports an error about an endpoint that is gone.
	stale := `Get "https://` + old + `:6443/version": x509: certificate is valid for kubernetes, not ` + old
	if err := w.srv.State().SetMeshClusterState(meshProd, shopProd, "failed", stale); err != nil {
		t.Fatal(err)
	}
	r := w.run(false, "", "status", "--mesh", meshProd)
	if !strings.Contains(r.out, "PVL209") || !strings.Contains(strings.Join(strings.Fields(r.out), " "), "which no longer exists") {
		t.Errorf("the stale mesh error is not named as such:\n%s", r.out)
	}
	// Stale is transient: the wait goes on (124), it does not end on it (3).
	w.run(false, "", "status", "--mesh", meshProd, "--wait", "--timeout", "3s", "--grace", "1s").expect(t, 124, "stderr", "the mesh to check cluster "+shopProd+" again")
}

// TestApplyRefusesAnIdentityThatMayNotWrite: a user bound only to read
// ASMPvlConfig (as ASM's istio-readonly role) is refused before anything is
// written, exit 4, naming the roles that may write; nothing changes.
func TestApplyRefusesAnIdentityThatMayNotWrite(t *testing.T) {
	w := startWorld(t, "demo", meshProd)
	cs, err := kubernetes.NewForConfig(kubeSrv.Config)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	user := "asmlink-readonly-" + strings.ToLower(t.Name()[len(t.Name())-6:])
	role := &rbacv1.ClusterRole{ObjectMeta: metav1.ObjectMeta{Name: user},
		Rules: []rbacv1.PolicyRule{{APIGroups: []string{spec.Group}, Resources: []string{spec.Resource}, Verbs: []string{"get", "list", "watch"}}}}
	if _, err := cs.RbacV1().ClusterRoles().Create(ctx, role, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	binding := &rbacv1.ClusterRoleBinding{ObjectMeta: metav1.ObjectMeta{Name: user},
		RoleRef:  rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "ClusterRole", Name: user},
		Subjects: []rbacv1.Subject{{Kind: "User", APIGroup: "rbac.authorization.k8s.io", Name: user}}}
	if _, err := cs.RbacV1().ClusterRoleBindings().Create(ctx, binding, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cs.RbacV1().ClusterRoleBindings().Delete(ctx, user, metav1.DeleteOptions{})
		_ = cs.RbacV1().ClusterRoles().Delete(ctx, user, metav1.DeleteOptions{})
	})
	if w.kubeconfig, err = kubeSrv.KubeconfigFor(user); err != nil {
		t.Fatal(err)
	}
	r := w.run(false, "", "apply", "--mesh", meshProd, "--cluster", shopProd, "--yes")
	r.expect(t, 4, "stderr", "may not patch or create asmpvlconfigs")
	if !strings.Contains(r.errOut, "istio-admin or istio-ops") {
		t.Errorf("the refusal does not name the roles:\n%s", r.errOut)
	}
	if cfg := w.get(); cfg != nil {
		t.Errorf("a refused identity still wrote %+v", cfg.Spec)
	}
}
