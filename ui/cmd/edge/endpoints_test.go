package edge

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	"github.com/spf13/cobra"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/cloud/sim"
	"github.com/asmlink/asmlink/ui/cmdutil"
)

// IDs of the edge world (testdata/worlds/edge.yaml).
const (
	edgeDC     = "c8d41bed440e50454f31af3176813e02e"
	edgeLab    = "ca68ef786e4d3cea27d26934b484e73cf"
	vpcEdgeLab = "vpc-bp1j8gxbenyjqwx4hh5344t"
)

// fastClock runs the simulated cloud 200 times faster than real time, so
// the endpoints' 20s provisioning passes in a tenth of a second.
func fastClock() func() time.Time {
	start := time.Now()
	return func() time.Time { return start.Add(time.Since(start) * 200) }
}

// harness is the edge world and the streams of one command run.
type harness struct {
	srv             *sim.Server
	f               *cmdutil.Factory
	in, out, errOut *bytes.Buffer
}

func newHarness(t *testing.T, tty bool, clock func() time.Time, keyID, secret string) *harness {
	t.Helper()
	w, err := sim.LoadWorld("edge")
	if err != nil {
		t.Fatal(err)
	}
	return newWorldHarness(t, w, tty, clock, keyID, secret)
}

// newWorldHarness is newHarness on world w.
func newWorldHarness(t *testing.T, w *sim.World, tty bool, clock func() time.Time, keyID, secret string) *harness {
	t.Helper()
	srv, err := sim.New(w, sim.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	if keyID == "" {
		keyID, secret = srv.AccessKey()
	}
	io, in, out, errOut := cmdutil.TestStreams(tty)
	f := &cmdutil.Factory{IO: io, Options: &cmdutil.GlobalOptions{Output: cmdutil.OutputText}}
	f.CloudFunc = func(ctx context.Context) (cloud.API, error) {
		return cloud.New(ctx, cloud.Config{
			Region: srv.Region(), Endpoint: srv.URL(),
			Credentials: credentials.NewStaticAKCredentialsProvider(keyID, secret),
			Retry:       cloud.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond, CallTimeout: 5 * time.Second},
		})
	}
	return &harness{srv: srv, f: f, in: in, out: out, errOut: errOut}
}

// run runs `asmlink edge endpoints args...` with a short poll interval and
// returns its exit code.
func (h *harness) run(t *testing.T, args ...string) (int, error) {
	t.Helper()
	cmd := NewCmdEndpoints(h.f, func(o *EndpointsOptions) error {
		o.Interval = 5 * time.Millisecond
		return runEndpoints(context.Background(), o)
	})
	return h.execute(cmd, args)
}

// execute runs cmd with args on the harness's streams and returns its exit
// code.
func (h *harness) execute(cmd *cobra.Command, args []string) (int, error) {
	cmd.SetArgs(args)
	cmd.SetOut(h.out)
	cmd.SetErr(h.errOut)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.SetContext(context.Background())
	err := cmd.Execute()
	return cmdutil.CodeOf(err), err
}

func (h *harness) endpoints() int { return len(h.srv.State().Endpoints()) }

func TestEndpointsHappyPathPrintsZoneIPsAndDNS(t *testing.T) {
	h := newHarness(t, false, fastClock(), "", "")
	code, err := h.run(t, "--cluster", edgeDC, "--yes", "--onprem-cidr", "192.168.100.0/24")
	if code != cmdutil.ExitOK {
		t.Fatalf("exit %d: %v\n%s", code, err, h.errOut)
	}
	eps := h.srv.State().Endpoints()
	if len(eps) != 2 {
		t.Fatalf("%d endpoints in the cloud, want ACR and ACK", len(eps))
	}
	out := h.out.String()
	for _, want := range []string{
		"registry-cn-hangzhou-vpc.ack.aliyuncs.com. IN CNAME " + eps[0].Domain + ".\n",
		"cs-anony-vpc.cn-hangzhou.aliyuncs.com.     IN CNAME " + eps[1].Domain + ".\n",
		"\n" + eps[0].Zones[0].EniIP + "  registry-cn-hangzhou-vpc.ack.aliyuncs.com  # cn-hangzhou-g\n",
		"zone     cn-hangzhou-k  vsw-bp139zzzzg4zdmen2khvdga  " + eps[1].Zones[1].EniIP + "  Connected\n",
		eps[0].ID + " Active/Connected (created)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "PVL3") || !strings.Contains(h.errOut.String(), "pass  PVL310") {
		t.Errorf("checks belong on stderr, data on stdout:\nstdout:\n%s\nstderr:\n%s", out, h.errOut)
	}
}

func TestEndpointsJSONReportsOverlapsEndpointsAndDNS(t *testing.T) {
	h := newHarness(t, false, fastClock(), "", "")
	h.f.Options.Output = cmdutil.OutputJSON
	code, err := h.run(t, "--cluster", edgeDC, "--yes", "--onprem-cidr", "100.64.0.0/16", "--onprem-cidr", "172.21.4.0/24")
	if code != cmdutil.ExitOK {
		t.Fatalf("exit %d: %v", code, err)
	}
	var rep Report
	if err := json.Unmarshal(h.out.Bytes(), &rep); err != nil {
		t.Fatalf("stdout is not the JSON report: %v\n%s", err, h.out)
	}
	if !rep.Ready || rep.DryRun || rep.Cluster.Profile != "Edge" || len(rep.Endpoints) != 2 || rep.DNS == nil || len(rep.DNS.CNAMEs) != 2 || len(rep.DNS.Hosts) != 4 {
		t.Fatalf("report %+v", rep)
	}
	for _, e := range rep.Endpoints {
		if e.Action != actionCreated || e.Status != "Active" || e.ConnectionStatus != "Connected" || len(e.Zones) != 2 || e.Zones[0].IP == "" {
			t.Errorf("endpoint %+v", e)
		}
	}
	if rep.Checks.Counts.Warn != 2 || !strings.Contains(rep.DNS.ZoneFile, "IN CNAME "+rep.Endpoints[1].Domain+".") {
		t.Errorf("want warnings for 100.64.0.0/10 and the Service CIDR, and the zone file: %+v", rep.Checks)
	}
	var warned []string
	for _, g := range rep.Checks.Groups {
		for _, c := range g.Checks {
			if c.Status == "warn" {
				warned = append(warned, string(c.Code))
			}
		}
	}
	if strings.Join(warned, ",") != "PVL310,PVL313" {
		t.Errorf("warned %v", warned)
	}
}

func TestEndpointsDryRunCreatesNothing(t *testing.T) {
	h := newHarness(t, false, fastClock(), "", "")
	code, err := h.run(t, "--cluster", edgeDC, "--dry-run")
	if code != cmdutil.ExitOK || h.endpoints() != 0 {
		t.Fatalf("exit %d (%v); %d endpoints created by a dry run", code, err, h.endpoints())
	}
	out := h.out.String()
	if !strings.Contains(out, "Dry run: nothing was created") || !strings.Contains(out, "(would create)") ||
		!strings.Contains(out, "zone     cn-hangzhou-g  vsw-bp1sipzz5fk2z9ri19r0wyo\n") || strings.Contains(out, "CNAME records") {
		t.Errorf("dry-run report:\n%s", out)
	}
}

func TestEndpointsDryRunNeedsThePermissionToCreate(t *testing.T) {
	h := newHarness(t, false, fastClock(), "LTAI5tSimEdgeReadOnly3kLx", "SimEdgeReadOnlySecretNot9q4z0v")
	code, err := h.run(t, "--cluster", edgeDC, "--dry-run")
	if code != cmdutil.ExitCredentials || !strings.Contains(err.Error(), "privatelink:CreateVpcEndpoint") {
		t.Fatalf("exit %d: %v", code, err)
	}
}

func TestEndpointsWithoutTerminalNeedYes(t *testing.T) {
	h := newHarness(t, false, fastClock(), "", "")
	code, err := h.run(t, "--cluster", edgeDC)
	if code != cmdutil.ExitUsage || !strings.Contains(err.Error(), "`--yes` is required when not running interactively") || h.endpoints() != 0 {
		t.Fatalf("exit %d (%v), %d endpoints", code, err, h.endpoints())
	}
}

func TestEndpointsOnTerminalAskFirst(t *testing.T) {
	for _, tc := range []struct {
		answer    string
		code, eps int
	}{{"n\n", cmdutil.ExitCancelled, 0}, {"y\n", cmdutil.ExitOK, 2}} {
		h := newHarness(t, true, fastClock(), "", "")
		h.in.WriteString(tc.answer)
		code, err := h.run(t, "--cluster", edgeDC)
		if code != tc.code || h.endpoints() != tc.eps {
			t.Errorf("answer %q: exit %d (%v), %d endpoints", tc.answer, code, err, h.endpoints())
		}
		if !strings.Contains(h.errOut.String(), "Create 2 interface endpoint(s) in VPC vpc-bp15v2seh60kvj50ce9uvw5?") {
			t.Errorf("no question on stderr:\n%s", h.errOut)
		}
	}
}

func TestEndpointsNoSharedZoneSaysWhatToCreate(t *testing.T) {
	h := newHarness(t, false, fastClock(), "", "")
	code, _ := h.run(t, "--cluster", edgeLab, "--yes")
	if code != cmdutil.ExitChecks || h.endpoints() != 0 {
		t.Fatalf("exit %d, %d endpoints", code, h.endpoints())
	}
	msg := strings.Join(strings.Fields(h.errOut.String()), " ")
	for _, want := range []string{
		"fail PVL303",
		"create a vSwitch in zone cn-hangzhou-g or cn-hangzhou-k of VPC " + vpcEdgeLab + ", e.g. 10.110.32.0/24 in cn-hangzhou-g",
		"aliyun vpc CreateVSwitch --RegionId cn-hangzhou --VpcId " + vpcEdgeLab + " --ZoneId cn-hangzhou-g --CidrBlock 10.110.32.0/24",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("stderr lacks %q:\n%s", want, h.errOut)
		}
	}
	if h.out.Len() != 0 {
		t.Errorf("a failed text run wrote data on stdout:\n%s", h.out)
	}
}

func TestEndpointsUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{}, "`--cluster` is required"},
		{[]string{"--cluster", edgeDC, "--onprem-cidr", "10.0.0.0/33"}, `--onprem-cidr: "10.0.0.0/33" is not a CIDR block`},
		{[]string{"--cluster", edgeDC, "--vswitch", "vsw-bp1fjgvq4k7bn7xj8b7tfq7"}, "--vswitch: vsw-bp1fjgvq4k7bn7xj8b7tfq7 is not a vSwitch of VPC vpc-bp15v2seh60kvj50ce9uvw5"},
		{[]string{"--cluster", edgeDC, "--timeout", "0s"}, "--timeout must be positive"},
	} {
		h := newHarness(t, false, fastClock(), "", "")
		code, err := h.run(t, tc.args...)
		if code != cmdutil.ExitUsage || err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: exit %d, %v; want 2 and %q", tc.args, code, err, tc.want)
		}
	}
	h := newHarness(t, false, fastClock(), "", "")
	h.f.Options.Output = cmdutil.OutputYAML
	if code, _ := h.run(t, "--cluster", edgeDC); code != cmdutil.ExitUsage {
		t.Errorf("-o yaml: exit %d", code)
	}
}

func TestEndpointsTimeoutExits124AndSaysWhatWasCreated(t *testing.T) {
	h := newHarness(t, false, time.Now, "", "")
	code, err := h.run(t, "--cluster", edgeDC, "--yes", "--timeout", "50ms")
	if code != cmdutil.ExitTimeout {
		t.Fatalf("exit %d: %v", code, err)
	}
	eps := h.srv.State().Endpoints()
	if len(eps) != 2 || !strings.Contains(err.Error(), "Creating/Disconnected") ||
		!strings.Contains(err.Error(), "endpoints created so far: "+eps[0].ID+", "+eps[1].ID+"; run the same command again") {
		t.Fatalf("timeout error %v", err)
	}
}

func TestEndpointsWizardInAccessibleMode(t *testing.T) {
	h := newHarness(t, true, fastClock(), "", "")
	h.f.Options.NoColor = true
	// Answers typed ahead are read as lines in accessible mode.
	h.f.Options.Accessible = true
	// The first cluster (edge clusters first, by name: edge-dc), an
	// on-premises block inside the VPC, then yes.
	h.in.WriteString("1\n10.100.200.0/24\ny\n")
	code, err := h.run(t)
	if code != cmdutil.ExitOK || h.endpoints() != 2 {
		t.Fatalf("exit %d (%v), %d endpoints\n%s", code, err, h.endpoints(), h.errOut)
	}
	errOut := h.errOut.String()
	for _, want := range []string{"1. edge-dc  " + edgeDC, "[edge]", "warn  PVL311", "Container Registry (system component images): endpoint service epsrv-bp1hym4l1vfz3zfkkibj3j4"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if !strings.Contains(h.out.String(), "IN CNAME") {
		t.Errorf("no DNS records on stdout:\n%s", h.out)
	}
}
