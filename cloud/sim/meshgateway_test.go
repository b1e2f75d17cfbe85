package sim_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/cloud/kube"
	"github.com/asmlink/asmlink/cloud/sim"
	"github.com/asmlink/asmlink/spec/gateway"
)

// edgeGateway is an ingress gateway for the demo world's edge cluster, as
// asmlink edge gateway writes it.
func edgeGateway(ports ...int) *gateway.IstioGateway {
	g := &gateway.IstioGateway{Metadata: gateway.ObjectMeta{Name: "ingressgateway", Namespace: gateway.Namespace},
		Spec: gateway.Spec{ClusterIDs: []string{edgeFactory}, GatewayType: "ingress", ServiceType: "LoadBalancer", ReplicaCount: 1,
			ServiceAnnotations: map[string]string{gateway.AnnotationAddressType: "internet"}}}
	for _, p := range ports {
		g.Spec.Ports = append(g.Spec.Ports, gateway.Port{Name: fmt.Sprint("p", p), Port: p, TargetPort: p, Protocol: "TCP"})
	}
	return g
}

// TestMeshAPIServesIstioGateway: the in-memory API of a mesh serves
// IstioGateway as asmlink edge gateway uses it (dry run, server-side apply
// with conflicts between field managers, get, list, a namespace that does
// not exist), and the simulated ASM gateway controller deploys what is
// written, as DescribeIngressGateways then reports.
func TestMeshAPIServesIstioGateway(t *testing.T) {
	s, c, _ := meshKube(t, func(w *sim.World) { w.DataPlane.GatewayDelay = sim.Duration(100 * time.Millisecond) })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := c.ApplyGateway(ctx, edgeGateway(80), kube.GatewayApplyOptions{DryRun: true}); err != nil {
		t.Fatal(err)
	}
	if live, err := c.Gateway(ctx, gateway.Namespace, "ingressgateway"); err != nil || live != nil {
		t.Fatalf("after a dry run: %v %+v, want no gateway", err, live)
	}
	if _, err := c.ApplyGateway(ctx, edgeGateway(80, 443), kube.GatewayApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	live, err := c.Gateway(ctx, gateway.Namespace, "ingressgateway")
	if err != nil || live == nil || len(live.Spec.Ports) != 2 || !slices.Equal(live.Spec.ClusterIDs, []string{edgeFactory}) {
		t.Fatalf("read back: %v %+v", err, live)
	}
	if all, err := c.Gateways(ctx, gateway.Namespace); err != nil || len(all) != 1 {
		t.Fatalf("listing istio-system: %v %+v", err, all)
	}
	if all, err := c.Gateways(ctx, "default"); err != nil || len(all) != 0 {
		t.Fatalf("listing default: %v %+v, want none", err, all)
	}
	var conflict *kube.ConflictError
	if _, err := c.WithFieldManager("console").ApplyGateway(ctx, edgeGateway(8080), kube.GatewayApplyOptions{}); !errors.As(err, &conflict) {
		t.Fatalf("another manager's change of the ports = %v, want a conflict", err)
	}
	elsewhere := edgeGateway(80)
	elsewhere.Metadata.Namespace = "gateways"
	if _, err := c.ApplyGateway(ctx, elsewhere, kube.GatewayApplyOptions{}); err == nil || !strings.Contains(err.Error(), "namespace gateways does not exist") {
		t.Fatalf("a gateway in a namespace the server lacks = %v, want the namespace named", err)
	}

	id, secret := s.AccessKey()
	api, err := cloud.New(ctx, cloud.Config{Region: s.Region(), Endpoint: s.URL(), Credentials: credentials.NewStaticAKCredentialsProvider(id, secret)})
	if err != nil {
		t.Fatal(err)
	}
	for {
		gws, err := api.IngressGateways(ctx, meshProd)
		if err != nil {
			t.Fatal(err)
		}
		if len(gws) == 1 && gws[0].Phase == cloud.GatewayRunning {
			if gws[0].ClusterID != edgeFactory || gws[0].Name != "ingressgateway" || gws[0].Address == "" {
				t.Fatalf("the deployed gateway: %+v", gws[0])
			}
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("the gateway never ran; last listing %+v", gws)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// TestMeshAPIWithoutGatewayKind: world option mesh_api.no_gateway_kind
// serves no IstioGateway, and asmlink's client says what that means.
func TestMeshAPIWithoutGatewayKind(t *testing.T) {
	_, c, _ := meshKube(t, func(w *sim.World) { w.MeshAPI.NoGatewayKind = true })
	var none *kube.NoGatewayKindError
	if _, err := c.Gateway(context.Background(), gateway.Namespace, "ingressgateway"); !errors.As(err, &none) {
		t.Fatalf("reading a gateway = %v, want NoGatewayKindError", err)
	}
	if _, err := c.ApplyGateway(context.Background(), edgeGateway(80), kube.GatewayApplyOptions{}); !errors.As(err, &none) {
		t.Fatalf("applying a gateway = %v, want NoGatewayKindError", err)
	}
}

// TestMeshAPIDiscoveryAndOpenAPI: what a client learns before it writes
// (kubectl's discovery, asmlink's schema reading when the CRD is refused)
// names both kinds with their scope, and the group's OpenAPI v3 document
// carries each kind's schema under its group, version and kind.
func TestMeshAPIDiscoveryAndOpenAPI(t *testing.T) {
	_, _, kc := meshKube(t, nil)
	cfg, err := clientcmd.RESTConfigFromKubeConfig(kc)
	if err != nil {
		t.Fatal(err)
	}
	hc, err := rest.HTTPClientFor(cfg)
	if err != nil {
		t.Fatal(err)
	}
	get := func(path string, into any) {
		t.Helper()
		resp, err := hc.Get(cfg.Host + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, resp.StatusCode, body)
		}
		if err := json.Unmarshal(body, into); err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
	}
	var list struct {
		Resources []struct {
			Name       string `json:"name"`
			Namespaced bool   `json:"namespaced"`
		} `json:"resources"`
	}
	get("/apis/istio.alibabacloud.com/v1beta1", &list)
	scope := map[string]bool{}
	for _, r := range list.Resources {
		scope[r.Name] = r.Namespaced
	}
	if ns, ok := scope["istiogateways"]; !ok || !ns || scope["asmpvlconfigs"] || len(scope) != 4 {
		t.Fatalf("discovery of istio.alibabacloud.com/v1beta1: %+v", list.Resources)
	}
	var paths struct {
		Paths map[string]struct {
			URL string `json:"serverRelativeURL"`
		} `json:"paths"`
	}
	get("/openapi/v3", &paths)
	doc := paths.Paths["apis/istio.alibabacloud.com/v1beta1"].URL
	if doc == "" {
		t.Fatalf("/openapi/v3 lists %+v", paths.Paths)
	}
	var openapi struct {
		Components struct {
			Schemas map[string]struct {
				GVK []map[string]string `json:"x-kubernetes-group-version-kind"`
			} `json:"schemas"`
		} `json:"components"`
	}
	get(doc, &openapi)
	var kinds []string
	for _, s := range openapi.Components.Schemas {
		for _, g := range s.GVK {
			if g["group"] == "istio.alibabacloud.com" && g["version"] == "v1beta1" {
				kinds = append(kinds, g["kind"])
			}
		}
	}
	slices.Sort(kinds)
	if !slices.Equal(kinds, []string{"ASMPvlConfig", "IstioGateway"}) {
		t.Fatalf("the OpenAPI document describes %v", kinds)
	}
	var ns struct {
		Items []struct {
			Metadata struct{ Name string } `json:"metadata"`
		} `json:"items"`
	}
	get("/api/v1/namespaces", &ns)
	if !slices.ContainsFunc(ns.Items, func(i struct {
		Metadata struct{ Name string } `json:"metadata"`
	}) bool {
		return i.Metadata.Name == gateway.Namespace
	}) {
		t.Fatalf("namespaces %+v lack istio-system", ns.Items)
	}
}
