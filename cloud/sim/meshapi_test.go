package sim_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/cloud/kube"
	"github.com/asmlink/asmlink/cloud/sim"
	"github.com/asmlink/asmlink/spec"
)

// meshKube starts world (edited) and returns asmlink's client of meshProd's
// Kubernetes API, connected with the kubeconfig DescribeServiceMeshKubeconfig
// returns: the simulator's own API server over HTTPS, no other.
func meshKube(t *testing.T, edit func(*sim.World)) (*sim.Server, *kube.Client, []byte) {
	t.Helper()
	w, err := sim.LoadWorld("demo")
	if err != nil {
		t.Fatal(err)
	}
	w.Delays = sim.Delays{Endpoint: sim.Duration(200 * time.Millisecond), EndpointService: sim.Duration(100 * time.Millisecond)}
	if edit != nil {
		edit(w)
	}
	s, err := sim.New(w, sim.Options{ControllerInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	kc := prodKubeconfig(t, s)
	c, err := kube.Connect(context.Background(), kube.Source{Kubeconfig: kc})
	if err != nil {
		t.Fatal(err)
	}
	return s, c, kc
}

// prodKubeconfig is meshProd's kubeconfig as asmlink fetches it from s.
func prodKubeconfig(t *testing.T, s *sim.Server) []byte {
	t.Helper()
	id, secret := s.AccessKey()
	api, err := cloud.New(context.Background(), cloud.Config{Region: s.Region(), Endpoint: s.URL(), Credentials: credentials.NewStaticAKCredentialsProvider(id, secret)})
	if err != nil {
		t.Fatal(err)
	}
	kc, err := api.MeshKubeconfig(context.Background(), meshProd, false)
	if err != nil {
		t.Fatal(err)
	}
	return kc
}

func shopEntry() (spec.AckVpcEndpoint, []spec.VSwitch) {
	return spec.AckVpcEndpoint{ClusterID: shopProd, VSwitches: []spec.VSwitch{{VSwitchID: vswShopProdI, ZoneID: "cn-hangzhou-i"}}},
		[]spec.VSwitch{{VSwitchID: "vsw-bp1epzhpcf07uqnupqzit", ZoneID: "cn-hangzhou-i"}}
}

// TestMeshAPIServesAsmlinkToAvailable runs asmlink's own client (apply,
// watch) against the simulator's mesh API, with and without the status
// subresource: the simulated ASM controller, with its own client, brings
// the entry to Available either way.
func TestMeshAPIServesAsmlinkToAvailable(t *testing.T) {
	for _, noSub := range []bool{false, true} {
		name := "status-subresource"
		if noSub {
			name = "no-status-subresource"
		}
		t.Run(name, func(t *testing.T) {
			_, c, _ := meshKube(t, func(w *sim.World) { w.MeshAPI.NoStatusSubresource = noSub })
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			entry, asm := shopEntry()
			res, err := c.Apply(ctx, kube.MergeCluster(entry, asm), kube.ApplyOptions{})
			if err != nil {
				t.Fatal(err)
			}
			for u := range c.Watch(ctx, kube.WatchOptions{ResourceVersion: res.After.Metadata.ResourceVersion}) {
				if u.Err == nil && u.Config != nil && u.Config.Status != nil && u.Config.Status.Status == spec.StatusAvailable {
					if !slices.Equal(u.Config.ClusterIDs(), []string{shopProd}) {
						t.Fatalf("clusters %v", u.Config.ClusterIDs())
					}
					return
				}
			}
			got, _ := c.Get(context.Background())
			t.Fatalf("never Available; last %+v", got)
		})
	}
}

// TestMeshAPIKeepsOtherManagersAndStatusApart is what asmlink relies on
// from an API server: lists merged by key across field managers, status
// kept apart from spec, conflicts reported, dry runs that change nothing
// and report the result.
func TestMeshAPIKeepsOtherManagersAndStatusApart(t *testing.T) {
	_, c, _ := meshKube(t, nil)
	ctx := context.Background()
	entry, asm := shopEntry()
	if _, err := c.Apply(ctx, kube.MergeCluster(entry, asm), kube.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	other := c.WithFieldManager("asmlink-other")
	pay := spec.AckVpcEndpoint{ClusterID: payments, VSwitches: []spec.VSwitch{{VSwitchID: "vsw-bp1pgw90jpkl0blv0prkg", ZoneID: "cn-hangzhou-h"}}}
	if _, err := other.Apply(ctx, kube.MergeCluster(pay, []spec.VSwitch{{VSwitchID: "vsw-bp1msnd8dudd467kd6fle", ZoneID: "cn-hangzhou-h"}}), kube.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	got, err := c.Get(ctx)
	if err != nil || !slices.Equal(got.ClusterIDs(), []string{shopProd, payments}) {
		t.Fatalf("after two managers: %v %v", err, got)
	}
	var conflict *kube.ConflictError
	if _, err := c.Plan(ctx, kube.RemoveCluster(payments, nil)); !errors.As(err, &conflict) || !slices.Contains(conflict.Managers, "asmlink-other") {
		t.Fatalf("planned removal of asmlink-other's entry = %v, want a conflict naming asmlink-other", err)
	}
	plan, err := c.Apply(ctx, kube.RemoveCluster(payments, nil), kube.ApplyOptions{DryRun: true, Force: true})
	if err != nil || !slices.Equal(plan.After.ClusterIDs(), []string{shopProd}) {
		t.Fatalf("dry run: %v %+v", err, plan)
	}
	if got, _ := c.Get(ctx); !slices.Equal(got.ClusterIDs(), []string{shopProd, payments}) {
		t.Fatalf("a dry run changed the object: %v", got.ClusterIDs())
	}
}

// TestMeshAPIRefusesNullStatusAndStaleWrites: like a real API server, the
// mesh API refuses status: null (the write that once looped the controller)
// and a write naming an old resourceVersion.
func TestMeshAPIRefusesNullStatusAndStaleWrites(t *testing.T) {
	_, c, kc := meshKube(t, nil)
	ctx := context.Background()
	entry, asm := shopEntry()
	res, err := c.Apply(ctx, kube.MergeCluster(entry, asm), kube.ApplyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := clientcmd.RESTConfigFromKubeConfig(kc)
	if err != nil {
		t.Fatal(err)
	}
	hc, err := rest.HTTPClientFor(cfg)
	if err != nil {
		t.Fatal(err)
	}
	send := func(method, sub, ct, body string) int {
		req, _ := http.NewRequest(method, cfg.Host+"/apis/istio.alibabacloud.com/v1beta1/asmpvlconfigs/default"+sub+"?fieldManager=test", strings.NewReader(body))
		req.Header.Set("Content-Type", ct)
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	head := `{"apiVersion":"istio.alibabacloud.com/v1beta1","kind":"ASMPvlConfig","metadata":{"name":"default"`
	if code := send(http.MethodPatch, "/status", "application/apply-patch+yaml", head+`},"status":null}`); code != http.StatusUnprocessableEntity {
		t.Errorf("status: null answered %d, want 422", code)
	}
	if code := send(http.MethodPut, "", "application/json", head+`},"spec":null}`); code != http.StatusUnprocessableEntity {
		t.Errorf("spec: null answered %d, want 422", code)
	}
	if code := send(http.MethodPatch, "", "application/apply-patch+yaml", head+`,"resourceVersion":"12345"},"spec":{}}`); code != http.StatusConflict || res.After.Metadata.ResourceVersion == "12345" {
		t.Errorf("a write naming resourceVersion 12345 (live %s) answered %d, want 409", res.After.Metadata.ResourceVersion, code)
	}
}

// TestMeshWithoutAPIServerSaysSo: a mesh the world gives no API server
// answers in words, never "connection refused".
func TestMeshWithoutAPIServerSaysSo(t *testing.T) {
	w, err := sim.LoadWorld("demo")
	if err != nil {
		t.Fatal(err)
	}
	for i := range w.Meshes {
		w.Meshes[i].NoAPIServer = true
	}
	s, err := sim.New(w, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	_, err = kube.Connect(context.Background(), kube.Source{Kubeconfig: prodKubeconfig(t, s)})
	if err == nil || !strings.Contains(err.Error(), "ASM instance "+meshProd+" has no API server") || strings.Contains(err.Error(), "connection refused") {
		t.Fatalf("connecting = %v, want words saying the mesh has no API server", err)
	}
}

// TestControllerBacksOffOnErrors points the controller at an API server
// that fails every request: it must wait longer after each failure instead
// of retrying at every tick (it once sent 521 writes in 3 minutes).
func TestControllerBacksOffOnErrors(t *testing.T) {
	var requests atomic.Int64
	failing := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusInternalServerError)
		_ = json.NewEncoder(w).Encode(map[string]any{"kind": "Status", "apiVersion": "v1", "status": "Failure", "code": 500, "message": "etcd is down"})
	}))
	defer failing.Close()
	s := startWorld(t, "demo", sim.Options{})
	var log bytes.Buffer
	ca := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: failing.Certificate().Raw})
	cfg := &rest.Config{Host: failing.URL, TLSClientConfig: rest.TLSClientConfig{CAData: ca}}
	ctrl, err := sim.NewController(s.State(), meshProd, cfg, sim.ControllerOptions{Interval: 10 * time.Millisecond, MaxBackoff: time.Second, Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	ctrl.Run(ctx)
	// At a 10ms interval without backoff that is about 150 rounds; doubling
	// from 10ms up to 1s with jitter leaves at most about 9.
	if n := requests.Load(); n == 0 || n > 12 {
		t.Errorf("%d requests in 1.5s, want a few, spaced out", n)
	}
	if !strings.Contains(log.String(), "next try in") {
		t.Errorf("log %q does not say when the controller tries again", log.String())
	}
}
