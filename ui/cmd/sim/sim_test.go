package sim

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	cloudsim "github.com/asmlink/asmlink/cloud/sim"
	"github.com/asmlink/asmlink/ui/cmdutil"
)

type redirect struct{ target *url.URL }

func (r redirect) RoundTrip(req *http.Request) (*http.Response, error) {
	r2 := req.Clone(req.Context())
	r2.URL.Scheme, r2.URL.Host = r.target.Scheme, r.target.Host
	return http.DefaultTransport.RoundTrip(r2)
}

// parseExports reads `export K=V` lines.
func parseExports(t *testing.T, out string) map[string]string {
	t.Helper()
	env := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		kv, ok := strings.CutPrefix(line, "export ")
		k, v, ok2 := strings.Cut(kv, "=")
		if !ok || !ok2 {
			t.Fatalf("stdout line %q is not an export", line)
		}
		env[k] = strings.Trim(v, "'")
	}
	return env
}

func TestRunSimPrintsExportsServesAndStopsCleanly(t *testing.T) {
	for _, tty := range []bool{true, false} {
		t.Run(map[bool]string{true: "tty", false: "pipe"}[tty], func(t *testing.T) {
			io, _, stdout, stderr := cmdutil.TestStreams(tty)
			started := make(chan *cloudsim.Server, 1)
			opts := &Options{IO: io, World: "demo", Addr: "127.0.0.1:0", Debug: true, started: started}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- runSim(ctx, opts) }()
			var srv *cloudsim.Server
			select {
			case srv = <-started:
			case err := <-done:
				t.Fatalf("runSim ended early: %v", err)
			}
			env := parseExports(t, stdout.String())
			if env["ASMLINK_ENDPOINT"] != srv.URL() || env["ALIBABA_CLOUD_REGION_ID"] != "cn-hangzhou" || len(env) != 4 {
				t.Fatalf("exports %v", env)
			}
			c, err := vpc.NewClientWithAccessKey(env["ALIBABA_CLOUD_REGION_ID"], env["ALIBABA_CLOUD_ACCESS_KEY_ID"], env["ALIBABA_CLOUD_ACCESS_KEY_SECRET"])
			if err != nil {
				t.Fatal(err)
			}
			u, _ := url.Parse(env["ASMLINK_ENDPOINT"])
			c.SetTransport(redirect{u})
			if _, err := c.DescribeZones(vpc.CreateDescribeZonesRequest()); err != nil {
				t.Fatalf("the printed keys do not work: %v", err)
			}
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("runSim after interrupt: %v", err)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("runSim did not stop after cancel")
			}
			log := stderr.String()
			if !strings.Contains(log, "vpc DescribeZones") || !strings.Contains(log, "Simulator stopped after 1 API calls") {
				t.Errorf("stderr %q lacks the call log or the stop line", log)
			}
			if strings.Contains(log, "Signature") || strings.Contains(log, env["ALIBABA_CLOUD_ACCESS_KEY_SECRET"]) || strings.Contains(log, "export ") {
				t.Errorf("stderr leaks a signature, the secret or data: %q", log)
			}
		})
	}
}

func TestRunSimRejectsUnknownWorldAndRemoteAddr(t *testing.T) {
	io, _, stdout, _ := cmdutil.TestStreams(false)
	err := runSim(context.Background(), &Options{IO: io, World: "nowhere", Addr: "127.0.0.1:0"})
	if cmdutil.CodeOf(err) != cmdutil.ExitUsage || !strings.Contains(err.Error(), "--world") {
		t.Fatalf("unknown world: %v", err)
	}
	err = runSim(context.Background(), &Options{IO: io, World: "demo", Addr: "0.0.0.0:0"})
	if cmdutil.CodeOf(err) != cmdutil.ExitUsage || !strings.Contains(err.Error(), "loopback") {
		t.Fatalf("remote addr: %v", err)
	}
	if stdout.Len() != 0 {
		t.Errorf("stdout on failure: %q", stdout.String())
	}
}

func TestFlagsSetFaults(t *testing.T) {
	cases := []struct {
		args      []string
		wantErr   string
		faultsSet bool
		want      cloudsim.Faults
	}{
		{args: []string{"--world", "large"}},
		{args: []string{"--latency", "50ms", "--throttle-rate", "0.2", "--seed", "7"}, faultsSet: true,
			want: cloudsim.Faults{Latency: cloudsim.Duration(50 * time.Millisecond), ThrottleRate: 0.2, Seed: 7}},
		{args: []string{"--throttle-rate", "1", "--throttle-code", "Rejected.Throttling"}, faultsSet: true,
			want: cloudsim.Faults{ThrottleRate: 1, ThrottleCode: "Rejected.Throttling"}},
		{args: []string{"--throttle-code", "SlowDown"}, wantErr: `--throttle-code "SlowDown" is not a code the simulator sends`},
		{args: []string{"--hang-rate", "1.5"}, wantErr: "--hang-rate 1.5 is not a rate"},
		{args: []string{"--latency", "-1s"}, wantErr: "--latency -1s is negative"},
		{args: []string{"--delay", "-1s"}, wantErr: "--delay -1s is negative"},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			io, _, _, _ := cmdutil.TestStreams(false)
			f := &cmdutil.Factory{IO: io, Options: &cmdutil.GlobalOptions{}}
			var got *Options
			cmd := NewCmdSim(f, func(o *Options) error { got = o; return nil })
			cmd.SetArgs(tc.args)
			err := cmd.Execute()
			if tc.wantErr != "" {
				var ce *cmdutil.CodedError
				if !errors.As(err, &ce) || ce.Code != cmdutil.ExitUsage || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("want usage error %q, got %v", tc.wantErr, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.FaultsSet != tc.faultsSet || got.Faults.Latency != tc.want.Latency || got.Faults.ThrottleRate != tc.want.ThrottleRate || got.Faults.Seed != tc.want.Seed ||
				(tc.want.ThrottleCode != "" && got.Faults.ThrottleCode != tc.want.ThrottleCode) {
				t.Fatalf("options %+v", got)
			}
		})
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"http://127.0.0.1:4000": "http://127.0.0.1:4000",
		"a b":                   "'a b'",
		"it's":                  `'it'\''s'`,
		"":                      "''",
	} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %q, want %q", in, got, want)
		}
	}
}
