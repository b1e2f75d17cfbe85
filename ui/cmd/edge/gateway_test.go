package edge

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"

	"github.com/asmlink/asmlink/cloud/kube"
	"github.com/asmlink/asmlink/cloud/sim"
	"github.com/asmlink/asmlink/spec/gateway"
	"github.com/asmlink/asmlink/ui/cmdutil"
)

const (
	edgeMesh  = "569969e58b081006f7e3dfc967a64cb1"
	cloudApps = "c575dcad6ba2b0aee0ca923732881584d"
)

var gatewayGVR = schema.GroupVersionResource{Group: gateway.Group, Version: gateway.Version, Resource: gateway.Resource}

// gatewayHarness is the edge world, the real API server with the
// IstioGateway CRD, and the simulated ASM gateway controller between them.
type gatewayHarness struct {
	*harness
	dyn dynamic.NamespaceableResourceInterface
}

func newGatewayHarness(t *testing.T, clock func() time.Time) *gatewayHarness {
	t.Helper()
	apiServer.InstallCRD(t, gateway.CRD)
	apiServer.EnsureNamespace(t, gateway.Namespace)
	dyn, err := dynamic.NewForConfig(apiServer.Config)
	if err != nil {
		t.Fatal(err)
	}
	res := dyn.Resource(gatewayGVR)
	ctx := context.Background()
	if err := res.Namespace(gateway.Namespace).DeleteCollection(ctx, metav1.DeleteOptions{}, metav1.ListOptions{}); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, false, clock, "", "")
	h.f.KubeFunc = func(ctx context.Context, meshID string) (*kube.Client, error) {
		return kube.NewForConfig(ctx, apiServer.Config)
	}
	ctrl, err := sim.NewGatewayController(h.srv.State(), edgeMesh, apiServer.Config, sim.ControllerOptions{Interval: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	cctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); ctrl.Run(cctx) }()
	t.Cleanup(func() { cancel(); <-done })
	return &gatewayHarness{harness: h, dyn: res}
}

// run runs `asmlink edge gateway args...` and returns its exit code.
func (h *gatewayHarness) run(t *testing.T, args ...string) (int, error) {
	t.Helper()
	h.out.Reset()
	h.errOut.Reset()
	cmd := NewCmdGateway(h.f, func(o *GatewayOptions) error {
		o.Interval = 5 * time.Millisecond
		return runGateway(context.Background(), o)
	})
	return h.execute(cmd, args)
}

// live reads the IstioGateway from the API server, nil when absent.
func (h *gatewayHarness) live(t *testing.T, name string) *unstructured.Unstructured {
	t.Helper()
	u, err := h.dyn.Namespace(gateway.Namespace).Get(context.Background(), name, metav1.GetOptions{})
	if err != nil {
		return nil
	}
	return u
}

func ports(t *testing.T, u *unstructured.Unstructured) []map[string]any {
	t.Helper()
	raw, _, _ := unstructured.NestedSlice(u.Object, "spec", "ports")
	var out []map[string]any
	for _, p := range raw {
		out = append(out, p.(map[string]any))
	}
	return out
}

func TestGatewayCreatesWaitsAndShowsTheAddress(t *testing.T) {
	h := newGatewayHarness(t, fastClock())
	code, err := h.run(t, "--mesh", edgeMesh, "--cluster", edgeDC, "--yes")
	if code != 0 {
		t.Fatalf("exit %d: %v\n%s", code, err, h.errOut)
	}
	u := h.live(t, gateway.DefaultName)
	if u == nil {
		t.Fatal("no IstioGateway on the API server")
	}
	clusters, _, _ := unstructured.NestedStringSlice(u.Object, "spec", "clusterIds")
	ann, _, _ := unstructured.NestedStringMap(u.Object, "spec", "serviceAnnotations")
	ps := ports(t, u)
	if len(clusters) != 1 || clusters[0] != edgeDC || ann[gateway.AnnotationAddressType] != "internet" ||
		len(ps) != 2 || ps[0]["port"] != int64(80) || ps[0]["targetPort"] != int64(80) || ps[1]["port"] != int64(443) {
		t.Fatalf("gateway spec %v", u.Object["spec"])
	}
	if out := h.out.String(); !strings.Contains(out, "Address: 47.") || !strings.Contains(out, "created") {
		t.Fatalf("report lacks the public address:\n%s", out)
	}
	if !strings.Contains(h.errOut.String(), "waiting") {
		t.Fatalf("no wait progress on stderr:\n%s", h.errOut)
	}
}

func TestGatewayUpdateKeepsOtherFieldsAndNeedsConsentForAnotherToolsFields(t *testing.T) {
	h := newGatewayHarness(t, fastClock())
	console := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": gateway.APIVersion, "kind": gateway.Kind,
		"metadata": map[string]any{"name": "edge-gw", "namespace": gateway.Namespace},
		"spec": map[string]any{
			"clusterIds": []any{cloudApps}, "gatewayType": "ingress", "serviceType": "LoadBalancer",
			"ports":     []any{map[string]any{"name": "http2", "port": int64(80), "targetPort": int64(80), "protocol": "TCP"}},
			"resources": map[string]any{"limits": map[string]any{"cpu": "2"}},
		},
	}}
	if _, err := h.dyn.Namespace(gateway.Namespace).Create(context.Background(), console, metav1.CreateOptions{FieldManager: "asm-console"}); err != nil {
		t.Fatal(err)
	}
	code, err := h.run(t, "--mesh", edgeMesh, "--cluster", edgeDC, "--name", "edge-gw", "--port", "8080", "--yes")
	if code != cmdutil.ExitChecks || !strings.Contains(err.Error(), "asm-console") || !strings.Contains(err.Error(), "--force-conflicts") {
		t.Fatalf("update of another tool's fields: exit %d, %v; want 3 naming the manager and --force-conflicts", code, err)
	}
	if ps := ports(t, h.live(t, "edge-gw")); len(ps) != 1 || ps[0]["port"] != int64(80) {
		t.Fatalf("a refused update changed the ports: %v", ps)
	}
	h.f.Options.Output = cmdutil.OutputJSON
	code, err = h.run(t, "--mesh", edgeMesh, "--cluster", edgeDC, "--name", "edge-gw", "--port", "8080", "--yes", "--force-conflicts")
	if code != 0 {
		t.Fatalf("exit %d: %v\n%s", code, err, h.errOut)
	}
	u := h.live(t, "edge-gw")
	clusters, _, _ := unstructured.NestedStringSlice(u.Object, "spec", "clusterIds")
	cpu, _, _ := unstructured.NestedString(u.Object, "spec", "resources", "limits", "cpu")
	if ps := ports(t, u); len(ps) != 1 || ps[0]["port"] != int64(8080) || ps[0]["targetPort"] != int64(8080) {
		t.Fatalf("ports after the update: %v", ps)
	}
	if len(clusters) != 2 || cpu != "2" {
		t.Fatalf("the update dropped another cluster or field: clusters %v, cpu %q", clusters, cpu)
	}
	var rep GatewayReport
	if err := json.Unmarshal(h.out.Bytes(), &rep); err != nil || rep.Action != "updated" || rep.Address == "" || len(rep.Notes) == 0 {
		t.Fatalf("json report %+v (%v):\n%s", rep, err, h.out)
	}
}

func TestGatewayDryRunPrintsTheCheckedResourceAndChangesNothing(t *testing.T) {
	h := newGatewayHarness(t, fastClock())
	code, err := h.run(t, "--mesh", edgeMesh, "--cluster", edgeDC, "--clb-type", "intranet", "--port", "80", "--port", "mqtt=1883:11883", "--dry-run")
	if code != 0 {
		t.Fatalf("exit %d: %v\n%s", code, err, h.errOut)
	}
	out := h.out.String()
	for _, want := range []string{"kind: IstioGateway", "namespace: istio-system", edgeDC, "alibaba-cloud-loadbalancer-address-type: intranet", "port: 1883", "targetPort: 11883", "# "} {
		if !strings.Contains(out, want) {
			t.Fatalf("dry-run YAML lacks %q:\n%s", want, out)
		}
	}
	if h.live(t, gateway.DefaultName) != nil {
		t.Fatal("--dry-run created the gateway")
	}
}

func TestGatewayExistingCLB(t *testing.T) {
	h := newGatewayHarness(t, fastClock())
	code, err := h.run(t, "--mesh", edgeMesh, "--cluster", edgeDC, "--name", "on-lb", "--clb-type", "intranet", "--clb-id", "lb-bp1edgegwprivate0001", "--yes")
	if code != 0 || !strings.Contains(h.out.String(), "10.100.16.250") {
		t.Fatalf("exit %d: %v; want the existing CLB's address:\n%s\n%s", code, err, h.out, h.errOut)
	}
	code, err = h.run(t, "--mesh", edgeMesh, "--cluster", edgeDC, "--name", "second", "--clb-type", "intranet", "--clb-id", "lb-bp1edgegwprivate0001", "--port", "443", "--yes")
	if code != cmdutil.ExitChecks || !strings.Contains(err.Error(), "on-lb") {
		t.Fatalf("a second gateway on the same CLB port: exit %d, %v; want 3 naming the other gateway", code, err)
	}
	code, err = h.run(t, "--mesh", edgeMesh, "--cluster", edgeDC, "--name", "ghost", "--clb-id", "lb-bp1doesnotexist0001", "--yes")
	if code != cmdutil.ExitChecks || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("a CLB that does not exist: exit %d, %v; want 3 with ASM's reason", code, err)
	}
}

func TestGatewayWaitTimesOut(t *testing.T) {
	h := newGatewayHarness(t, time.Now)
	code, err := h.run(t, "--mesh", edgeMesh, "--cluster", edgeDC, "--yes", "--timeout", "200ms")
	if code != cmdutil.ExitTimeout || !strings.Contains(err.Error(), "Deploying") {
		t.Fatalf("exit %d, %v; want 124 with the last state seen", code, err)
	}
}

func TestGatewayBadInput(t *testing.T) {
	h := newGatewayHarness(t, fastClock())
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown cluster", []string{"--cluster", "c00000000000000000000000000000000"}, cmdutil.ExitUsage, "--cluster no ACK cluster in region cn-hangzhou is named or has the ID"},
		{"not in the mesh", []string{"--cluster", edgeLab}, cmdutil.ExitChecks, "is not in ASM instance"},
		{"not an edge cluster", []string{"--cluster", cloudApps}, cmdutil.ExitChecks, "not ACK Edge"},
		{"clashing ports", []string{"--cluster", edgeDC, "--port", "80", "--port", "web=80"}, cmdutil.ExitUsage, "port 80/TCP is mapped twice"},
		{"two ports to one target", []string{"--cluster", edgeDC, "--port", "80:8080", "--port", "81:8080"}, cmdutil.ExitUsage, "target port 8080"},
		{"the proxy's own port", []string{"--cluster", edgeDC, "--port", "80:15021"}, cmdutil.ExitUsage, "health checks"},
		{"malformed port", []string{"--cluster", edgeDC, "--port", "eighty"}, cmdutil.ExitUsage, "--port"},
		{"bad CLB type", []string{"--cluster", edgeDC, "--clb-type", "public"}, cmdutil.ExitUsage, "--clb-type"},
		{"no --yes without a terminal", []string{"--cluster", edgeDC}, cmdutil.ExitUsage, "--yes"},
		{"no --cluster", nil, cmdutil.ExitUsage, "--cluster"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, err := h.run(t, append([]string{"--mesh", edgeMesh}, tc.args...)...)
			if code != tc.code || err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("exit %d, %v; want %d mentioning %q", code, err, tc.code, tc.want)
			}
			if h.live(t, gateway.DefaultName) != nil {
				t.Fatal("bad input created a gateway")
			}
		})
	}
}

// TestGatewayUpdateWaitsForTheNewCLB: the gateway listing does not say which
// spec it reports on, so after a change of CLB type the wait holds out for
// an address of the new type instead of reporting the old CLB's.
func TestGatewayUpdateWaitsForTheNewCLB(t *testing.T) {
	h := newGatewayHarness(t, fastClock())
	if code, err := h.run(t, "--mesh", edgeMesh, "--cluster", edgeDC, "--yes"); code != 0 || !strings.Contains(h.out.String(), "Address: 47.") {
		t.Fatalf("create: exit %d, %v\n%s", code, err, h.out)
	}
	code, err := h.run(t, "--mesh", edgeMesh, "--cluster", edgeDC, "--clb-type", "intranet", "--yes")
	if code != 0 || !strings.Contains(h.out.String(), "Address: 10.100.") {
		t.Fatalf("update to an intranet CLB: exit %d, %v; want a private address\n%s\n%s", code, err, h.out, h.errOut)
	}
}
