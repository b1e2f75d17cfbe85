package apply_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/cloud/kube"
	"github.com/asmlink/asmlink/cloud/kube/kubetest"
	"github.com/asmlink/asmlink/cloud/sim"
	"github.com/asmlink/asmlink/spec"
	"github.com/asmlink/asmlink/ui/cmd/root"
	"github.com/asmlink/asmlink/ui/cmdutil"
)

// kubeSrv is the real kube-apiserver every test of this package shares.
var kubeSrv *kubetest.Server

func TestMain(m *testing.M) { kubetest.Main(m, &kubeSrv) }

// IDs of the demo world (testdata/worlds/demo.yaml).
const (
	meshProd = "d564b858f9a3e247cb2c083eb8cb37f0"
	shopProd = "cbfbdabe898736a3566f893697b590487"
	payments = "c194f309ffea518f32cf21449273d7ce7"
	meshMain = "e41b7c9a20d5f8e63a1c4b7d9e2f0a58" // privatelink-off
	ordersC  = "c5a7e9b1d3f5a7c9e1b3d5f7a9c1e3b57"
)

// world is a simulated cloud, its ASM controller on the real API server,
// and the kubeconfig the commands connect with.
type world struct {
	t          *testing.T
	srv        *sim.Server
	kubeconfig []byte
	secret     string
}

// fastClock runs the simulated cloud 200 times faster than real time, so
// the world's provisioning delays (15-30s) pass in a fraction of a second.
func fastClock() func() time.Time {
	start := time.Now()
	return func() time.Time { return start.Add(time.Since(start) * 200) }
}

var userN struct {
	sync.Mutex
	n int
}

// startWorld serves a built-in world with its controller for meshID on
// the shared API server, which it resets first.
func startWorld(t *testing.T, name, meshID string) *world {
	t.Helper()
	return startWorldWith(t, name, meshID, worldOptions{})
}

// worldOptions vary startWorldWith: edit changes the world before it is
// served, realClock keeps the world's delays in real time, and
// noController leaves status to the test.
type worldOptions struct {
	edit         func(*sim.World)
	realClock    bool
	noController bool
	// server is the API server to use instead of the package's kubeSrv.
	server *kubetest.Server
}

// startWorldWith is startWorld with options.
func startWorldWith(t *testing.T, name, meshID string, o worldOptions) *world {
	t.Helper()
	ks := kubeSrv
	if o.server != nil {
		ks = o.server
	}
	ks.Reset(t)
	w, err := sim.LoadWorld(name)
	if err != nil {
		t.Fatal(err)
	}
	if o.edit != nil {
		o.edit(w)
	}
	simOpts := sim.Options{Clock: fastClock()}
	if o.realClock {
		simOpts.Clock = nil
	}
	srv, err := sim.New(w, simOpts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	userN.Lock()
	userN.n++
	user := "asmlink-test-" + string(rune('a'+userN.n))
	userN.Unlock()
	raw, err := ks.Kubeconfig(user)
	if err != nil {
		t.Fatal(err)
	}
	_, secret := srv.AccessKey()
	if o.noController {
		return &world{t: t, srv: srv, kubeconfig: raw, secret: secret}
	}
	ctrl, err := sim.NewController(srv.State(), meshID, ks.Config, sim.ControllerOptions{Interval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { ctrl.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return &world{t: t, srv: srv, kubeconfig: raw, secret: secret}
}

// result is one run of asmlink.
type result struct {
	code        int
	out, errOut string
}

// run runs asmlink with args through the real command tree, with the
// cloud and the API server pointing at the world; tty says whether the
// streams are a terminal and stdin what is typed.
func (w *world) run(tty bool, stdin string, args ...string) result {
	w.t.Helper()
	return w.runContext(context.Background(), tty, stdin, args...)
}

// runContext is run with a context, for commands that go on until it ends.
func (w *world) runContext(ctx context.Context, tty bool, stdin string, args ...string) result {
	w.t.Helper()
	io, in, out, errOut := cmdutil.TestStreams(tty)
	in.WriteString(stdin)
	f := &cmdutil.Factory{IO: io, Options: &cmdutil.GlobalOptions{}}
	id, secret := w.srv.AccessKey()
	f.CloudFunc = func(ctx context.Context) (cloud.API, error) {
		cfg := f.CloudConfig()
		cfg.Region, cfg.Endpoint = w.srv.Region(), w.srv.URL()
		cfg.Credentials = credentials.NewStaticAKCredentialsProvider(id, secret)
		cfg.Retry = cloud.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, CallTimeout: 5 * time.Second}
		return cloud.New(ctx, cfg)
	}
	f.KubeFunc = func(ctx context.Context, _ string) (*kube.Client, error) {
		return kube.Connect(ctx, kube.Source{Kubeconfig: w.kubeconfig})
	}
	cmd := root.NewCmdRoot(f)
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(ctx)
	r := result{code: cmdutil.CodeOf(err), out: out.String(), errOut: errOut.String()}
	if err != nil && r.code != 0 {
		r.errOut += "Error: " + err.Error() + "\n"
	}
	w.scan(r)
	return r
}

// scan fails the test if any output holds the world's access key secret
// or a credential of the kubeconfig.
func (w *world) scan(r result) {
	w.t.Helper()
	secrets := []string{w.secret}
	for _, line := range strings.Split(string(w.kubeconfig), "\n") {
		for _, key := range []string{"client-key-data:", "client-certificate-data:", "token:", "password:"} {
			if v := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), key)); strings.HasPrefix(strings.TrimSpace(line), key) && len(v) > 16 {
				secrets = append(secrets, v[:16], v[len(v)-16:])
			}
		}
	}
	for _, s := range secrets {
		if strings.Contains(r.out, s) || strings.Contains(r.errOut, s) {
			w.t.Errorf("a secret (%s...) appears in the output", s[:4])
		}
	}
}

// get reads the live object.
func (w *world) get() *spec.ASMPvlConfig {
	w.t.Helper()
	c, err := kube.Connect(context.Background(), kube.Source{Kubeconfig: w.kubeconfig})
	if err != nil {
		w.t.Fatal(err)
	}
	cfg, err := c.Get(context.Background())
	if err != nil {
		w.t.Fatal(err)
	}
	return cfg
}

func (r result) expect(t *testing.T, code int, stream, says string) {
	t.Helper()
	text := r.out
	if stream == "stderr" {
		text = r.errOut
	}
	if r.code != code || !strings.Contains(text, says) {
		t.Fatalf("exit %d, want %d with %s saying %q\nstdout:\n%s\nstderr:\n%s", r.code, code, stream, says, r.out, r.errOut)
	}
}

func TestPlanWritesReviewedYAML(t *testing.T) {
	w := startWorld(t, "demo", meshProd)
	r := w.run(false, "", "plan", "--mesh", meshProd, "--cluster", shopProd)
	r.expect(t, 0, "stdout", "# Merged with the ASMPvlConfig read from")
	cfg, err := spec.Decode([]byte(r.out))
	if err != nil {
		t.Fatalf("plan output does not decode: %v\n%s", err, r.out)
	}
	e, ok := cfg.Entry(shopProd)
	if !ok || e.VSwitches[0].ZoneID != cfg.Spec.AsmVpcEndpoint.VSwitches[0].ZoneID || !strings.Contains(r.out, "zone "+e.VSwitches[0].ZoneID) {
		t.Errorf("plan is not a same-zone pair with the zones from the cloud:\n%s", r.out)
	}
	if !strings.Contains(r.errOut, "Using credentials from") || !strings.Contains(r.errOut, "region cn-hangzhou") {
		t.Errorf("plan does not say which credentials and region it uses:\n%s", r.errOut)
	}

	// --offline says so in the header; --out writes atomically and
	// refuses to overwrite a file that is not an ASMPvlConfig.
	dir := t.TempDir()
	out := filepath.Join(dir, "pvl.yaml")
	w.run(false, "", "plan", "--mesh", meshProd, "--cluster", shopProd, "--offline", "--out", out).expect(t, 0, "stderr", "Wrote "+out)
	data, _ := os.ReadFile(out)
	if !strings.Contains(string(data), "# Offline: NOT merged") {
		t.Errorf("offline plan lacks the note:\n%s", data)
	}
	other := filepath.Join(dir, "deployment.yaml")
	os.WriteFile(other, []byte("apiVersion: apps/v1\nkind: Deployment\n"), 0o644)
	w.run(false, "", "plan", "--mesh", meshProd, "--cluster", shopProd, "--out", other).expect(t, 2, "stderr", "is not an ASMPvlConfig")
	if data, _ := os.ReadFile(other); !strings.Contains(string(data), "Deployment") {
		t.Errorf("the other file was overwritten: %s", data)
	}

	// A precondition that fails exits 3 with the finding: billing shares
	// no zone with the mesh; a cluster in the mesh's own VPC needs no link.
	w.run(false, "", "plan", "--mesh", meshProd, "--cluster", "c3e04d42f8ac2acaf127972d33e5901a7").expect(t, 3, "stderr", "no usable pair")
	w.run(false, "", "plan", "--mesh", meshProd, "--cluster", "c9d9136682575250def91799e2786d377").expect(t, 3, "stderr", "PVL102")
	w.run(false, "", "plan", "--mesh", meshProd).expect(t, 2, "stderr", "--cluster is required")
}

func TestApplyFileKeepsOtherClustersAndRemoveDropsOne(t *testing.T) {
	w := startWorld(t, "demo", meshProd)
	// Two clusters connected through the command itself.
	w.run(false, "", "apply", "--mesh", meshProd, "--cluster", payments, "--yes").expect(t, 0, "stderr", "Applied")
	w.run(false, "", "apply", "--mesh", meshProd, "--cluster", shopProd, "--yes").expect(t, 0, "stderr", "Applied")
	if ids := w.get().ClusterIDs(); len(ids) != 2 {
		t.Fatalf("clusters after two applies: %v", ids)
	}

	// A file naming only shop-prod, with another vSwitch in the same zone
	// rule, is merged: payments stays.
	plan := w.run(false, "", "plan", "--mesh", meshProd, "--cluster", shopProd, "--offline",
		"--asm-vswitch", "vsw-bp1epzhpcf07uqnupqzit", "--ack-vswitch", "vsw-bp1nq65qdf1rcaviqk291")
	plan.expect(t, 0, "stdout", "vsw-bp1nq65qdf1rcaviqk291")
	file := filepath.Join(t.TempDir(), "shop.yaml")
	os.WriteFile(file, []byte(plan.out), 0o644)

	// Without a terminal, --yes is required; a dry run is not.
	w.run(false, "", "apply", "-f", file, "--mesh", meshProd).expect(t, 2, "stderr", "`--yes` is required when not running interactively")
	w.run(false, "", "apply", "-f", file, "--mesh", meshProd, "--dry-run", "-o", "json").expect(t, 0, "stdout", `"dryRun": true`)
	// On a terminal, a "no" cancels, and so does Ctrl-C at the question,
	// at once; in accessible mode the end of input cancels too.
	before := w.get()
	w.run(true, "n\n", "apply", "-f", file, "--mesh", meshProd).expect(t, 130, "stderr", "cancelled")
	w.run(true, "\x03", "apply", "-f", file, "--mesh", meshProd).expect(t, 130, "stderr", "cancelled")
	w.run(true, "", "apply", "-f", file, "--mesh", meshProd, "--accessible").expect(t, 130, "stderr", "[y/N]")
	// The controller's status writes change the resourceVersion: compare
	// what the person would have changed.
	if d := spec.Diff(&spec.ASMPvlConfig{Spec: before.Spec}, &spec.ASMPvlConfig{Spec: w.get().Spec}); d != "" {
		t.Fatalf("a declined or cancelled apply changed the object:\n%s", d)
	}

	r := w.run(false, "", "apply", "-f", file, "--mesh", meshProd, "--yes", "-o", "json")
	r.expect(t, 0, "stdout", `"config"`)
	var rep struct {
		Config *spec.ASMPvlConfig `json:"config"`
	}
	if err := json.Unmarshal([]byte(r.out), &rep); err != nil {
		t.Fatal(err)
	}
	if ids := w.get().ClusterIDs(); len(ids) != 2 || ids[0] != payments || ids[1] != shopProd {
		t.Fatalf("apply -f of a one-cluster file left %v, want both", ids)
	}

	// remove drops exactly one entry.
	w.run(true, "y\n", "remove", "--mesh", meshProd, "--cluster", payments).expect(t, 0, "stderr", "Applied")
	live := w.get()
	if ids := live.ClusterIDs(); len(ids) != 1 || ids[0] != shopProd {
		t.Fatalf("remove left %v, want only %s", ids, shopProd)
	}
	if len(live.Spec.AsmVpcEndpoint.VSwitches) == 0 {
		t.Errorf("remove dropped the ASM vSwitch shop-prod relies on")
	}
	// Removing it again changes nothing and succeeds, as terraform destroy
	// of an absent resource does.
	again := w.run(false, "", "remove", "--mesh", meshProd, "--cluster", payments, "--yes")
	again.expect(t, 0, "stderr", "Nothing to remove: ASMPvlConfig/default")
	if strings.Contains(again.errOut, "Applied") || !reflect.DeepEqual(w.get().Spec, live.Spec) {
		t.Errorf("a remove with nothing to remove wrote:\n%s", again.errOut)
	}

	// An invalid file exits 3 with the finding.
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, bytes.Replace([]byte(plan.out), []byte("kind: ASMPvlConfig"), []byte("kind: ASMPvlConfigs"), 1), 0o644)
	w.run(false, "", "apply", "-f", bad, "--mesh", meshProd, "--yes").expect(t, 3, "stderr", "PVL007")
}

func TestStatusWaitAvailableAfterDoctorFixesTheSAN(t *testing.T) {
	w := startWorld(t, "demo", meshProd)
	w.run(false, "", "apply", "--mesh", meshProd, "--cluster", shopProd, "--yes", "--wait=available", "--timeout", "30s").expect(t, 0, "stderr", "done: mesh "+meshProd+": ASMPvlConfig Available")

	// Available, but the cluster is not running in the mesh: the SAN.
	r := w.run(false, "", "status", "--mesh", meshProd, "-o", "json")
	r.expect(t, 3, "stdout", `"code": "PVL204"`)
	var rep struct {
		Ready     bool   `json:"ready"`
		Status    string `json:"status"`
		Available bool   `json:"available"`
	}
	if err := json.Unmarshal([]byte(r.out), &rep); err != nil || rep.Ready || !rep.Available || rep.Status != spec.StatusAvailable {
		t.Fatalf("status JSON = %+v (%v)", rep, err)
	}
	w.run(false, "", "doctor", "--mesh", meshProd, "--cluster", shopProd).expect(t, 3, "stdout", "PVL144")
	w.run(false, "", "doctor", "--mesh", meshProd, "--fix").expect(t, 2, "stderr", "`--yes` is required")
	// The SAN is fixed; doctor still fails on the mesh's other clusters,
	// which are in other VPCs with neither PrivateLink nor CEN.
	// doctor waits for its fix to take effect before it checks again.
	fixed := w.run(false, "", "doctor", "--mesh", meshProd, "--fix", "--yes", "--fix-timeout", "30s")
	fixed.expect(t, 3, "stderr", "Fixed: append")
	for _, want := range []string{`pass\s+PVL144`, `pass\s+PVL145`, `fail\s+PVL146`} {
		if !regexp.MustCompile(want).MatchString(fixed.out) || strings.Contains(fixed.errOut, "have not all taken effect") {
			t.Errorf("doctor --fix did not wait for the SAN to take effect (want %s):\nstdout:\n%s\nstderr:\n%s", want, fixed.out, fixed.errOut)
		}
	}

	r = w.run(false, "", "status", "--mesh", meshProd, "--cluster", shopProd, "--wait", "--timeout", "30s")
	r.expect(t, 0, "stdout", "links healthy")
	w.run(false, "", "status", "--mesh", meshProd, "-o", "yaml").expect(t, 0, "stdout", "ready: true")
	d := w.run(false, "", "doctor", "--mesh", meshProd, "--cluster", shopProd, "-o", "json", "--debug")
	d.expect(t, 3, "stdout", `"passed": false`)
	var doc struct {
		Groups []struct {
			Checks []struct {
				Code   string `json:"code"`
				Status string `json:"status"`
			} `json:"checks"`
		} `json:"groups"`
	}
	if err := json.Unmarshal([]byte(d.out), &doc); err != nil {
		t.Fatal(err)
	}
	for _, g := range doc.Groups {
		for _, c := range g.Checks {
			if want := c.Code == "PVL146"; (c.Status == "fail") != want {
				t.Errorf("%s is %s after the fix", c.Code, c.Status)
			}
		}
	}
	if !strings.Contains(d.errOut, "debug:") && !strings.Contains(d.errOut, "servicemesh") {
		t.Errorf("--debug logged nothing:\n%s", d.errOut)
	}
}

func TestStatusWaitTimesOutWhenPrivateLinkIsOff(t *testing.T) {
	w := startWorld(t, "privatelink-off", meshMain)
	// Preflight refuses: PrivateLink is not activated.
	w.run(false, "", "apply", "--mesh", meshMain, "--cluster", ordersC, "--yes").expect(t, 3, "stderr", "PVL104")
	// A file is checked like plan's own choice, so it is refused too; the
	// object is then written as another tool would, past asmlink.
	plan := w.run(false, "", "plan", "--mesh", meshMain, "--cluster", ordersC, "--offline")
	plan.expect(t, 3, "stderr", "PVL104")
	cfg := spec.New()
	cfg.Spec.AckVpcEndpoint = []spec.AckVpcEndpoint{{ClusterID: ordersC, VSwitches: []spec.VSwitch{{VSwitchID: "vsw-bp1p0o9i8u7y6t5r4e3w2", ZoneID: "cn-hangzhou-i"}}}}
	cfg.Spec.AsmVpcEndpoint.VSwitches = []spec.VSwitch{{VSwitchID: "vsw-bp1a8s3d6f9g2h5j7k4l1", ZoneID: "cn-hangzhou-i"}}
	file := filepath.Join(t.TempDir(), "orders.yaml")
	os.WriteFile(file, spec.Encode(cfg, spec.EncodeOptions{}), 0o644)
	w.run(false, "", "apply", "-f", file, "--mesh", meshMain, "--yes").expect(t, 3, "stderr", "PVL104")
	kc, err := kube.Connect(context.Background(), kube.Source{Kubeconfig: w.kubeconfig})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := kc.Apply(context.Background(), kube.MergeCluster(cfg.Spec.AckVpcEndpoint[0], cfg.Spec.AsmVpcEndpoint.VSwitches), kube.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}

	r := w.run(false, "", "status", "--mesh", meshMain, "--wait", "--timeout", "1s", "--debug")
	r.expect(t, 124, "stderr", "timed out")
	if !strings.Contains(r.errOut, "PrivateLink is not activated") || !strings.Contains(r.out, "PVL202") {
		t.Errorf("the timeout does not name the last cause:\nstdout:\n%s\nstderr:\n%s", r.out, r.errOut)
	}
	w.run(false, "", "status", "--mesh", meshMain).expect(t, 3, "stdout", "PVL202")
	d := w.run(false, "", "doctor", "--mesh", meshMain, "-o", "json")
	d.expect(t, 3, "stdout", `"code": "PVL104"`)
}

// TestStatusWatchPrintsOneLinePerChange follows a cluster's links from the
// apply to Available without a terminal: one plain line per change, no
// repeated lines, no escape codes.
func TestStatusWatchPrintsOneLinePerChange(t *testing.T) {
	w := startWorld(t, "demo", meshProd)
	w.run(false, "", "apply", "--mesh", meshProd, "--cluster", shopProd, "--yes").expect(t, 0, "stderr", "Applied")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	r := w.runContext(ctx, false, "", "status", "--mesh", meshProd, "--watch")
	lines := strings.Split(strings.TrimSpace(r.out), "\n")
	if len(lines) < 2 {
		t.Fatalf("--watch printed %d line(s), want one per change from provisioning to Available:\n%s\nstderr:\n%s", len(lines), r.out, r.errOut)
	}
	for i, l := range lines {
		if i > 0 && l == lines[i-1] {
			t.Errorf("line %d repeats the previous one: %q", i, l)
		}
		if strings.Contains(l, "\x1b[") {
			t.Errorf("line %d has escape codes without a terminal: %q", i, l)
		}
	}
	if last := lines[len(lines)-1]; !strings.Contains(last, "Available") {
		t.Errorf("the last line %q does not say Available", last)
	}
	// The cluster is not running in the mesh yet (its SAN is missing), so the
	// last state is not all well.
	if r.code != cmdutil.ExitChecks {
		t.Errorf("exit %d after the watch ended, want %d for the last state", r.code, cmdutil.ExitChecks)
	}
}

// TestReportsOnATerminalAndWithout runs the reporting commands with and
// without a terminal: the same exit code and the same words either way,
// colour only on a terminal, and doctor --fix asks on a terminal instead of
// needing --yes.
func TestReportsOnATerminalAndWithout(t *testing.T) {
	w := startWorld(t, "demo", meshProd)
	w.run(false, "", "apply", "--mesh", meshProd, "--cluster", shopProd, "--yes", "--wait=available", "--timeout", "30s").expect(t, 0, "stderr", "done: mesh "+meshProd+": ASMPvlConfig Available")
	for code, args := range map[string][]string{
		"PVL204": {"status", "--mesh", meshProd},
		"PVL144": {"doctor", "--mesh", meshProd, "--cluster", shopProd},
		"":       {"plan", "--mesh", meshProd, "--cluster", payments},
	} {
		plain := w.run(false, "", args...)
		tty := w.run(true, "", args...)
		if plain.code != tty.code {
			t.Errorf("%v: exit %d without a terminal, %d on one", args, plain.code, tty.code)
		}
		if strings.Contains(plain.out+plain.errOut, "\x1b[") {
			t.Errorf("%v wrote escape codes without a terminal:\n%s%s", args, plain.out, plain.errOut)
		}
		if args[0] != "plan" && !strings.Contains(tty.out, "\x1b[") {
			t.Errorf("%v has no colour on a terminal:\n%s", args, tty.out)
		}
		if code != "" && (!strings.Contains(plain.out, code) || !strings.Contains(tty.out, code)) {
			t.Errorf("%v: %s missing from one of the outputs:\n%s\n%s", args, code, plain.out, tty.out)
		}
	}
	// On a terminal doctor --fix asks; "n" changes nothing and cancels.
	w.run(true, "n\n", "doctor", "--mesh", meshProd, "--fix").expect(t, 130, "stderr", "cancelled")
	if c, _ := w.srv.State().Cluster(shopProd); len(c.ExtraSANs) != 1 {
		t.Errorf("declining the fix still changed the SANs: %v", c.ExtraSANs)
	}
}
