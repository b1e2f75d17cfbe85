package sim

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/cloud/kube"
	"github.com/asmlink/asmlink/cloud/kube/kubetest"
	cloudsim "github.com/asmlink/asmlink/cloud/sim"
	"github.com/asmlink/asmlink/spec"
	"github.com/asmlink/asmlink/ui/cmdutil"
)

// kubeSrv is the real kube-apiserver --asm-kubeconfig points to in tests.
var kubeSrv *kubetest.Server

func TestMain(m *testing.M) { kubetest.Main(m, &kubeSrv) }

func TestASMKubeconfigHostsTheMeshAPIWithTheController(t *testing.T) {
	kubeSrv.Reset(t)
	kc, err := kubeSrv.Kubeconfig("asm-admin")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "asm.kubeconfig")
	if err := os.WriteFile(path, kc, 0o600); err != nil {
		t.Fatal(err)
	}
	const staging = "a72e9d34119f3374cebd4d3fd81b6ee7"
	io, _, _, stderr := cmdutil.TestStreams(false)
	started := make(chan *cloudsim.Server, 1)
	opts := &Options{IO: io, World: "demo", Addr: "127.0.0.1:0", ASMKubeconfigs: []string{staging + "=" + path}, started: started}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- runSim(ctx, opts) }()
	var srv *cloudsim.Server
	select {
	case srv = <-started:
	case err := <-done:
		t.Fatalf("runSim ended early: %v", err)
	}
	id, secret := srv.AccessKey()
	api, err := cloud.New(ctx, cloud.Config{Region: srv.Region(), Endpoint: srv.URL(), Credentials: credentials.NewStaticAKCredentialsProvider(id, secret)})
	if err != nil {
		t.Fatal(err)
	}
	got, err := api.MeshKubeconfig(ctx, staging, false)
	if err != nil {
		t.Fatal(err)
	}
	c, err := kube.Connect(ctx, kube.Source{Kubeconfig: got})
	if err != nil {
		t.Fatalf("connecting with the kubeconfig DescribeServiceMeshKubeconfig returned: %v", err)
	}
	entry := spec.AckVpcEndpoint{ClusterID: "c9bbd47d5552c7f47e8e80e952eb9d8e7", VSwitches: []spec.VSwitch{{VSwitchID: "vsw-bp1322n64kfs6vfptomjb", ZoneID: "cn-hangzhou-j"}}}
	if _, err := c.Apply(ctx, kube.MergeCluster(entry, []spec.VSwitch{{VSwitchID: "vsw-bp13d9ph3i379u26192k4", ZoneID: "cn-hangzhou-k"}}), kube.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	wctx, stop := context.WithTimeout(ctx, 20*time.Second)
	defer stop()
	var status *spec.Status
	for u := range c.Watch(wctx, kube.WatchOptions{}) {
		if u.Config != nil && u.Config.Status != nil && len(u.Config.Status.Clusters) == 1 {
			status = u.Config.Status
			break
		}
	}
	if status == nil || status.Clusters[0].PvlEndpoint == nil || status.Clusters[0].PvlEndpoint.ID == "" {
		t.Fatalf("the simulated ASM controller wrote no status for the connected cluster; stderr: %s", stderr)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("runSim: %v", err)
	}
}

func TestASMKubeconfigValues(t *testing.T) {
	w, err := cloudsim.LoadWorld("demo")
	if err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]asmKubeconfig{
		"a72e9d34119f3374cebd4d3fd81b6ee7=/tmp/asm.yaml": {MeshID: "a72e9d34119f3374cebd4d3fd81b6ee7", Path: "/tmp/asm.yaml"},
		"/tmp/asm.yaml":        {MeshID: w.Meshes[0].ID, Path: "/tmp/asm.yaml"},
		"/tmp/with=equals.yml": {MeshID: w.Meshes[0].ID, Path: "/tmp/with=equals.yml"},
	} {
		got, err := parseASMKubeconfig(in, w)
		if err != nil || got != want {
			t.Errorf("parseASMKubeconfig(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	kc, err := kubeSrv.Kubeconfig("asm-admin")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	good, empty := filepath.Join(dir, "asm.kubeconfig"), filepath.Join(dir, "empty")
	if err := errors.Join(os.WriteFile(good, kc, 0o600), os.WriteFile(empty, nil, 0o600)); err != nil {
		t.Fatal(err)
	}
	io, _, _, _ := cmdutil.TestStreams(false)
	for bad, says := range map[string]string{
		"a72e9d34119f3374cebd4d3fd81b6ee7=":        "give the kubeconfig file",
		filepath.Join(dir, "missing"):              "no such file",
		empty:                                      "empty",
		"ffffffffffffffffffffffffffffffff=" + good: "no ASM instance ffffffffffffffffffffffffffffffff",
	} {
		err := runSim(context.Background(), &Options{IO: io, World: "demo", Addr: "127.0.0.1:0", ASMKubeconfigs: []string{bad}})
		if cmdutil.CodeOf(err) != cmdutil.ExitUsage || !strings.Contains(err.Error(), says) {
			t.Errorf("--asm-kubeconfig %s = %v, want a usage error saying %q", bad, err, says)
		}
	}
}
