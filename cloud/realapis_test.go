package cloud

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"

	"github.com/asmlink/asmlink/cloud/sim"
)

// startMeshWorld serves the demo world answering unknown mesh IDs as
// answer, with the main key denied the APIs in denied.
func startMeshWorld(t *testing.T, answer string, denied ...string) *sim.Server {
	t.Helper()
	w, err := sim.LoadWorld("demo")
	if err != nil {
		t.Fatal(err)
	}
	w.MeshNotFound = answer
	w.AccessKeys[0].DeniedAPIs = denied
	srv, err := sim.New(w, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// TestWrongMeshIDIsToldApartFromPermissionAndOutage runs every answer
// servicemesh gives a wrong mesh ID (ServiceMesh.NotFound, StatusForbidden,
// 500, 503): each becomes "not found" at the first attempt, naming the
// nearest mesh, instead of a RAM problem or retries ending in "service
// unavailable" (what asmlink said before).
func TestWrongMeshIDIsToldApartFromPermissionAndOutage(t *testing.T) {
	const prod = "d564b858f9a3e247cb2c083eb8cb37f0"
	typo := "d564b858f9a3e247cb2c083eb8cb37f1"
	for _, answer := range sim.MeshNotFoundAnswers() {
		t.Run(answer, func(t *testing.T) {
			srv := startMeshWorld(t, answer)
			c := newSimClient(t, srv, nil)
			ctx := context.Background()
			_, err := c.Mesh(ctx, typo)
			var e *Error
			if !errors.As(err, &e) || e.Kind != KindNotFound || e.Attempts != 1 {
				t.Fatalf("Mesh(typo) = %v, want not found at the first attempt", err)
			}
			if !strings.Contains(e.Message, "region cn-hangzhou has no ASM instance "+typo) || !strings.Contains(e.Message, answer) ||
				!strings.Contains(e.Hint, "did you mean "+prod+" (mesh-prod)?") {
				t.Errorf("message %q, hint %q", e.Message, e.Hint)
			}
			_, err = c.MeshKubeconfig(ctx, "mesh-staging", true)
			if !IsNotFound(err) || !strings.Contains(err.Error(), "mesh-staging is the name of ASM instance a72e9d34119f3374cebd4d3fd81b6ee7") {
				t.Errorf("MeshKubeconfig(name) = %v", err)
			}
		})
	}
}

// TestMeshDeniedByRAMStaysAPermissionProblem: when the region does list the
// mesh, a 403 is the RAM policy's doing and is reported as such.
func TestMeshDeniedByRAMStaysAPermissionProblem(t *testing.T) {
	srv := startMeshWorld(t, "", "servicemesh:DescribeServiceMeshDetail")
	c := newSimClient(t, srv, nil)
	_, err := c.Mesh(context.Background(), srv.World().Meshes[0].ID)
	if KindOf(err) != KindPermission || !strings.Contains(err.Error(), "servicemesh:DescribeServiceMeshDetail") {
		t.Fatalf("err = %v, want the RAM action named", err)
	}
}

// TestWrongRegionSaysSo: a mesh of the world asked for in another region
// is not found there, with the advice to pass --region.
func TestWrongRegionSaysSo(t *testing.T) {
	srv := startMeshWorld(t, "StatusForbidden")
	id, secret := srv.AccessKey()
	c, err := New(context.Background(), Config{Region: "cn-shanghai", Endpoint: srv.URL(), Retry: testRetry,
		Credentials: credentials.NewStaticAKCredentialsProvider(id, secret)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Mesh(context.Background(), srv.World().Meshes[0].ID)
	if !IsNotFound(err) || !strings.Contains(err.Error(), "region cn-shanghai has no ASM instance at all: pass --region") {
		t.Fatalf("err = %v", err)
	}
}

// TestActivationAnswers covers OpenPrivateLinkService's documented answers:
// OrderOpend (already active) is success, and the two refusals each say
// what to do.
func TestActivationAnswers(t *testing.T) {
	for code, want := range map[string]string{
		"":                                      "",
		"AccountTypeRestricted":                 "real-name verification",
		"InvalidAccountStatus.NotEnoughBalance": "top it up",
	} {
		t.Run(code, func(t *testing.T) {
			w, err := sim.LoadWorld("privatelink-off")
			if err != nil {
				t.Fatal(err)
			}
			w.PrivateLink.ActivationError = code
			srv, err := sim.New(w, sim.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { srv.Close() })
			c := newSimClient(t, srv, nil)
			err = c.ActivatePrivateLink(context.Background())
			if want == "" {
				if err != nil {
					t.Fatal(err)
				}
				if err := c.ActivatePrivateLink(context.Background()); err != nil {
					t.Errorf("activating again (OrderOpend): %v", err)
				}
				return
			}
			if KindOf(err) != KindInvalid || !strings.Contains(err.Error(), code) || !strings.Contains(err.Error(), want) {
				t.Errorf("err = %v, want %s with a hint saying %q", err, code, want)
			}
		})
	}
}

// TestSANsFromEitherField reads a cluster's custom certificate SANs from
// worlds that report them in extra_sans only (2025 and later), in
// meta_data's ExtraCertSAN only (older answers, where Terraform reads
// them), and in both: each gives the same SANs once. Reading extra_sans
// alone found none in the meta_data world.
func TestSANsFromEitherField(t *testing.T) {
	const shopProd = "cbfbdabe898736a3566f893697b590487"
	for _, fields := range []string{"extra_sans", "meta_data", "both"} {
		t.Run(fields, func(t *testing.T) {
			w, err := sim.LoadWorld("demo")
			if err != nil {
				t.Fatal(err)
			}
			w.SANFields = fields
			srv, err := sim.New(w, sim.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { srv.Close() })
			cl, err := newSimClient(t, srv, nil).Cluster(context.Background(), shopProd)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(cl.ExtraSANs, []string{"shop-api.internal.example.com"}) {
				t.Errorf("SANs %v, want [shop-api.internal.example.com]", cl.ExtraSANs)
			}
		})
	}
}
