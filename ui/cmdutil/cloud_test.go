package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/cloud/sim"
)

// isolateCloudEnv clears the variables the cloud client reads from the
// process and gives it an empty HOME.
func isolateCloudEnv(t *testing.T) {
	t.Helper()
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "ALIBABA_CLOUD_") {
			t.Setenv(k, "")
		}
	}
	t.Setenv("HOME", t.TempDir())
	t.Setenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
}

func TestFactoryCloudFromFlagsAndEnvironment(t *testing.T) {
	isolateCloudEnv(t)
	w, err := sim.LoadWorld("demo")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := sim.New(w, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	id, secret := srv.AccessKey()
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", id)
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", secret)

	ios, _, _, errOut := TestStreams(false)
	ios.Env = []string{"ASMLINK_ENDPOINT=" + srv.URL()}
	f := &Factory{IO: ios, Options: &GlobalOptions{Region: srv.Region(), Debug: true}}
	api, err := f.Cloud(context.Background())
	if err != nil {
		t.Fatalf("Cloud: %v", err)
	}
	if got := api.Identity(); got.Endpoint != srv.URL() || got.Region != srv.Region() || got.RegionFrom != "--region" || got.Provider != cloud.ProviderEnvironment {
		t.Errorf("Identity = %+v", got)
	}
	if _, err := api.Meshes(context.Background()); err != nil {
		t.Fatalf("Meshes: %v", err)
	}
	if !strings.Contains(errOut.String(), "debug: cloud servicemesh DescribeServiceMeshes status=200") {
		t.Errorf("--debug wrote no call line to stderr: %q", errOut.String())
	}
	again, err := f.Cloud(context.Background())
	if err != nil || again != api {
		t.Errorf("second Cloud call built a new client (%v)", err)
	}

	// --endpoint wins over ASMLINK_ENDPOINT.
	g := &Factory{IO: ios, Options: &GlobalOptions{Region: srv.Region(), Endpoint: "http://127.0.0.1:9"}}
	if got := g.CloudConfig().Endpoint; got != "http://127.0.0.1:9" {
		t.Errorf("endpoint = %q, want the --endpoint flag", got)
	}
}

func TestFactoryCloudFuncReplacesTheClient(t *testing.T) {
	ios, _, _, _ := TestStreams(false)
	want := errors.New("from the test")
	f := &Factory{IO: ios, Options: &GlobalOptions{}, CloudFunc: func(context.Context) (cloud.API, error) { return nil, want }}
	if _, err := f.Cloud(context.Background()); !errors.Is(err, want) {
		t.Errorf("Cloud did not use CloudFunc: %v", err)
	}
}

func TestFactoryCloudMissingRegionIsUsage(t *testing.T) {
	isolateCloudEnv(t)
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIx")
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "y")
	ios, _, _, _ := TestStreams(false)
	f := &Factory{IO: ios, Options: &GlobalOptions{}}
	_, err := f.Cloud(context.Background())
	if CodeOf(err) != ExitUsage || !strings.Contains(err.Error(), "--region") {
		t.Errorf("err = %v (exit %d), want a usage error naming --region", err, CodeOf(err))
	}
}

func TestCloudErrorExitCodes(t *testing.T) {
	for kind, want := range map[cloud.Kind]int{
		cloud.KindCredentials: ExitCredentials,
		cloud.KindPermission:  ExitCredentials,
		cloud.KindTimeout:     ExitError,
		cloud.KindNotFound:    ExitError,
		cloud.KindThrottled:   ExitError,
		cloud.KindUnavailable: ExitError,
		cloud.KindInvalid:     ExitError,
	} {
		// A call's own deadline is under each error, as a timed-out
		// attempt carries it: it must not make the exit 124.
		err := fmt.Errorf("loading the inventory: %w", &cloud.Error{Kind: kind, API: "vpc.DescribeVpcs", Err: context.DeadlineExceeded})
		if got := CodeOf(err); got != want {
			t.Errorf("%v: exit %d, want %d", kind, got, want)
		}
	}
}
