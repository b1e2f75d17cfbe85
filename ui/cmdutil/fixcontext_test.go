package cmdutil

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/cloud/sim"
	"github.com/asmlink/asmlink/flow"
)

// TestFixContextShowsWhatAFixWaitsFor adds a cluster to a mesh whose add
// takes a while: the fix's wait is shown on stderr, naming what it waits
// for and the state it saw.
func TestFixContextShowsWhatAFixWaitsFor(t *testing.T) {
	w, err := sim.LoadWorld("demo")
	if err != nil {
		t.Fatal(err)
	}
	w.Delays.MeshUpdate = sim.Duration(1500 * time.Millisecond)
	srv, err := sim.New(w, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	id, secret := srv.AccessKey()
	api, err := cloud.New(context.Background(), cloud.Config{Region: srv.Region(), Endpoint: srv.URL(), Credentials: credentials.NewStaticAKCredentialsProvider(id, secret)})
	if err != nil {
		t.Fatal(err)
	}
	io, _, _, errOut := TestStreams(false)
	f := &Factory{IO: io, Options: &GlobalOptions{}}
	const mesh, inventory = "d564b858f9a3e247cb2c083eb8cb37f0", "cf2fbdaa35adf9c1e2a8a3c0ed16bfe17"
	if err := flow.AddClusterAndWait(FixContext(context.Background(), f), api, mesh, inventory); err != nil {
		t.Fatal(err)
	}
	got := errOut.String()
	if !strings.Contains(got, "ASM instance "+mesh+" to finish adding cluster "+inventory) || !strings.Contains(got, "mesh updating, cluster connecting") {
		t.Errorf("stderr %q does not say what the fix waits for", got)
	}
}
