package sim_test

import (
	"errors"
	"net"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/asmlink/asmlink/cloud/sim"
)

// vpcClient builds a vpc client with auto-retry off and a short read
// timeout, pointed at s.
func vpcClient(t *testing.T, s *sim.Server) *vpc.Client {
	t.Helper()
	id, secret := s.AccessKey()
	c, err := vpc.NewClientWithOptions(s.Region(), newSDKConfig(), credentials.NewStaticAKCredentialsProvider(id, secret))
	if err != nil {
		t.Fatal(err)
	}
	c.SetReadTimeout(300 * time.Millisecond)
	point(t, s, c)
	return c
}

func codes(t *testing.T, c *vpc.Client, n int) []string {
	t.Helper()
	var out []string
	for range n {
		_, err := c.DescribeZones(vpc.CreateDescribeZonesRequest())
		var se *sdkerrors.ServerError
		switch {
		case err == nil:
			out = append(out, "ok")
		case errors.As(err, &se):
			out = append(out, se.ErrorCode())
		default:
			t.Fatalf("unexpected error %v", err)
		}
	}
	return out
}

func TestThrottlingFault(t *testing.T) {
	s := startWorld(t, "demo", sim.Options{Faults: &sim.Faults{ThrottleRate: 1}})
	_, err := vpcClient(t, s).DescribeZones(vpc.CreateDescribeZonesRequest())
	se := serverError(t, err, "Throttling.User", 400)
	if se.Message() != "Request was denied due to user flow control." {
		t.Errorf("message %q", se.Message())
	}
}

func TestServerErrorFaultGivesBoth5xxShapes(t *testing.T) {
	s := startWorld(t, "demo", sim.Options{Faults: &sim.Faults{ErrorRate: 1, Seed: 7}})
	seen := map[string]bool{}
	for _, code := range codes(t, vpcClient(t, s), 20) {
		seen[code] = true
	}
	if !seen["ServiceUnavailable"] || !seen["InternalError"] || len(seen) != 2 {
		t.Fatalf("codes seen %v; want ServiceUnavailable and InternalError only", seen)
	}
	_, err := vpcClient(t, s).DescribeZones(vpc.CreateDescribeZonesRequest())
	var se *sdkerrors.ServerError
	if !errors.As(err, &se) || (se.HttpStatus() != 503 && se.HttpStatus() != 500) {
		t.Fatalf("want HTTP 5xx, got %v", err)
	}
}

func TestFaultsAreDeterministicForASeed(t *testing.T) {
	faults := sim.Faults{ThrottleRate: 0.3, ErrorRate: 0.3, Seed: 42}
	a := codes(t, vpcClient(t, startWorld(t, "demo", sim.Options{Faults: &faults})), 30)
	b := codes(t, vpcClient(t, startWorld(t, "demo", sim.Options{Faults: &faults})), 30)
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("call %d: %s vs %s with the same seed", i, a[i], b[i])
		}
	}
	kinds := map[string]bool{}
	for _, c := range a {
		kinds[c] = true
	}
	if !kinds["ok"] || !kinds["Throttling.User"] {
		t.Fatalf("30 calls at 30%% rates gave only %v", kinds)
	}
}

func TestFaultsLimitedToActions(t *testing.T) {
	s := startWorld(t, "demo", sim.Options{Faults: &sim.Faults{ThrottleRate: 1, Actions: []string{"DescribeVSwitches"}}})
	c := vpcClient(t, s)
	if _, err := c.DescribeZones(vpc.CreateDescribeZonesRequest()); err != nil {
		t.Fatalf("DescribeZones was faulted: %v", err)
	}
	_, err := c.DescribeVSwitches(vpc.CreateDescribeVSwitchesRequest())
	serverError(t, err, "Throttling.User", 400)
}

func TestHungCallTimesOutAndCloseReleasesIt(t *testing.T) {
	s := startWorld(t, "demo", sim.Options{Faults: &sim.Faults{HangRate: 1}})
	_, err := vpcClient(t, s).DescribeZones(vpc.CreateDescribeZonesRequest())
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("want a client timeout, got %v", err)
	}

	done := make(chan error, 1)
	go func() {
		resp, err := http.Get(s.URL() + "/?Action=DescribeZones&Version=2016-04-28")
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	for s.Calls() < 2 {
		time.Sleep(time.Millisecond)
	}
	s.Close()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not release a hung call")
	}
}

func TestLatencyDelaysEachCall(t *testing.T) {
	s := startWorld(t, "demo", sim.Options{Faults: &sim.Faults{Latency: sim.Duration(50 * time.Millisecond)}})
	start := time.Now()
	if _, err := vpcClient(t, s).DescribeZones(vpc.CreateDescribeZonesRequest()); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 50*time.Millisecond {
		t.Fatalf("call took %s, less than the 50ms latency", d)
	}
}

func TestWorldFaultsApplyWithoutOptions(t *testing.T) {
	w, err := sim.LoadWorld("demo")
	if err != nil {
		t.Fatal(err)
	}
	w.Faults.ThrottleRate = 1
	s, err := sim.New(w, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = vpcClient(t, s).DescribeZones(vpc.CreateDescribeZonesRequest())
	serverError(t, err, "Throttling.User", 400)
}

func TestHTTPProxyInEnvironmentDoesNotLeaveLoopback(t *testing.T) {
	// A proxy nobody listens on: a call that went through it would fail.
	t.Setenv("HTTP_PROXY", "http://127.0.0.1:9")
	t.Setenv("http_proxy", "http://127.0.0.1:9")
	t.Setenv("HTTPS_PROXY", "http://127.0.0.1:9")
	s := startWorld(t, "demo", sim.Options{})
	id, secret := s.AccessKey()
	c, err := vpc.NewClientWithOptions(s.Region(), sdk.NewConfig(), credentials.NewStaticAKCredentialsProvider(id, secret))
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(s.URL())
	c.SetTransport(redirect{u})
	resp, err := c.DescribeZones(vpc.CreateDescribeZonesRequest())
	if err != nil || len(resp.Zones.Zone) != 5 {
		t.Fatalf("with HTTP_PROXY set: %v", err)
	}
	ms := mainClients(t, s)
	if _, err := ms.cs.DescribeClusterDetail(detailRequest(shopProd)); err != nil {
		t.Fatalf("ROA call with HTTP_PROXY set: %v", err)
	}
}
