package sim_test

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/cbn"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/cs"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/privatelink"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/servicemesh"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/asmlink/asmlink/cloud/sim"
)

// Demo world IDs used across tests.
const (
	meshProd      = "d564b858f9a3e247cb2c083eb8cb37f0"
	meshStaging   = "a72e9d34119f3374cebd4d3fd81b6ee7"
	shopProd      = "cbfbdabe898736a3566f893697b590487"
	payments      = "c194f309ffea518f32cf21449273d7ce7"
	asmProdLocal  = "c9d9136682575250def91799e2786d377"
	shAnalytics   = "c8421599e3e9c8fe21da80270815fe857"
	inventory     = "cf2fbdaa35adf9c1e2a8a3c0ed16bfe17"
	edgeFactory   = "c849ef307590d273e34f98dff7e4c6427"
	shopStaging   = "cda8099f4efbacea67c7d1afcc4f14a37"
	billing       = "c3e04d42f8ac2acaf127972d33e5901a7"
	stagingApps   = "c9bbd47d5552c7f47e8e80e952eb9d8e7"
	vpcASMProd    = "vpc-bp1hbrpoig8f1cbfno6b9"
	vpcShopProd   = "vpc-bp1m80o2rak1vrjnvgfyg"
	vswASMProdH   = "vsw-bp1msnd8dudd467kd6fle"
	vswASMProdI   = "vsw-bp1epzhpcf07uqnupqzit"
	vswShopProdI  = "vsw-bp1nq65qdf1rcaviqk291"
	vswShopProdJ  = "vsw-bp128t7a9tgiqhg9jrsnv"
	vswShopProdK  = "vsw-bp19ahej8cx9j1ictxcwn"
	readOnlyKeyID = "LTAI5tSimReadOnlyKey9pQm"
)

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// redirect sends every request to the simulator, whatever host the SDK
// resolved, so tests never leave loopback.
type redirect struct{ target *url.URL }

func (r redirect) RoundTrip(req *http.Request) (*http.Response, error) {
	r2 := req.Clone(req.Context())
	r2.URL.Scheme = r.target.Scheme
	r2.URL.Host = r.target.Host
	return http.DefaultTransport.RoundTrip(r2)
}

// startWorld starts the simulator on a built-in world.
func startWorld(t testing.TB, name string, opts sim.Options) *sim.Server {
	t.Helper()
	w, err := sim.LoadWorld(name)
	if err != nil {
		t.Fatal(err)
	}
	s, err := sim.New(w, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// sdkClient is what every V1 service client embeds.
type sdkClient interface {
	SetTransport(http.RoundTripper)
}

func point(t testing.TB, s *sim.Server, c sdkClient) {
	t.Helper()
	u, err := url.Parse(s.URL())
	if err != nil {
		t.Fatal(err)
	}
	c.SetTransport(redirect{u})
}

type clients struct {
	mesh *servicemesh.Client
	vpc  *vpc.Client
	pl   *privatelink.Client
	cbn  *cbn.Client
	cs   *cs.Client
}

// newClients builds real V1 SDK clients for the key pair, pointed at s.
func newClients(t testing.TB, s *sim.Server, id, secret string) clients {
	t.Helper()
	region := s.Region()
	var c clients
	var err error
	must := func(e error) {
		if e != nil {
			t.Fatal(e)
		}
	}
	c.mesh, err = servicemesh.NewClientWithAccessKey(region, id, secret)
	must(err)
	c.vpc, err = vpc.NewClientWithAccessKey(region, id, secret)
	must(err)
	c.pl, err = privatelink.NewClientWithAccessKey(region, id, secret)
	must(err)
	c.cbn, err = cbn.NewClientWithAccessKey(region, id, secret)
	must(err)
	c.cs, err = cs.NewClientWithAccessKey(region, id, secret)
	must(err)
	for _, x := range []sdkClient{c.mesh, c.vpc, c.pl, c.cbn, c.cs} {
		point(t, s, x)
	}
	return c
}

func mainClients(t testing.TB, s *sim.Server) clients {
	id, secret := s.AccessKey()
	return newClients(t, s, id, secret)
}

// serverError asserts err is an SDK server error with the code and status.
func serverError(t *testing.T, err error, code string, status int) *sdkerrors.ServerError {
	t.Helper()
	var se *sdkerrors.ServerError
	if !errors.As(err, &se) {
		t.Fatalf("want server error %s, got %v", code, err)
	}
	if se.ErrorCode() != code || se.HttpStatus() != status {
		t.Fatalf("want %s/%d, got %s/%d: %s", code, status, se.ErrorCode(), se.HttpStatus(), se.Message())
	}
	// ACK's lower-case body carries requestId, which the V1 SDK does not read.
	if se.RequestId() == "" && !strings.Contains(se.Message(), `"requestId":"`) {
		t.Errorf("error %s has no request ID: %s", code, se.Message())
	}
	return se
}

// newSDKConfig is a V1 SDK config with auto-retry off, so fault tests see
// each answer.
func newSDKConfig() *sdk.Config {
	return sdk.NewConfig().WithAutoRetry(false)
}
