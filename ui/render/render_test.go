package render

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/spec"
	"github.com/asmlink/asmlink/ui/styles"
	"github.com/asmlink/asmlink/ui/text"
)

var (
	clusterShop = "cbfbdabe898736a3566f893697b590487"
	clusterPay  = "c194f309ffea518f32cf21449273d7ce7"
	clusterOld  = "c3e04d42f8ac2acaf127972d33e5901a7"
)

// result builds a result of the catalog's check code, as the runner does.
func result(t *testing.T, code spec.Code, status flow.Status, msg string, fix *flow.Fix, details ...string) flow.Result {
	t.Helper()
	c, ok := flow.CheckByCode(code)
	if !ok {
		t.Fatalf("no check %s in the catalog", code)
	}
	return flow.Result{Check: &c, Status: status, Message: msg, Details: details, Fix: fix}
}

// sampleResults is a preflight run with every status, a mutating fix,
// details and a message long enough to wrap at 80 columns.
func sampleResults(t *testing.T) []flow.Result {
	return []flow.Result{
		result(t, flow.CodeMeshRunning, flow.StatusPass, "ASM instance d564b858f9a3e247cb2c083eb8cb37f0 (mesh-prod) is running", nil),
		result(t, flow.CodeSameRegion, flow.StatusPass, "cluster "+clusterShop+" (shop-prod) and the ASM instance are both in cn-hangzhou", nil),
		result(t, flow.CodeClusterInMesh, flow.StatusFail, "cluster "+clusterShop+" (shop-prod) has not been added to ASM instance d564b858f9a3e247cb2c083eb8cb37f0 (mesh-prod)",
			&flow.Fix{Description: "add cluster " + clusterShop + " to ASM instance d564b858f9a3e247cb2c083eb8cb37f0", Command: "aliyun servicemesh AddClusterIntoServiceMesh --ServiceMeshId d564b858f9a3e247cb2c083eb8cb37f0 --ClusterId " + clusterShop, Mutating: true}),
		result(t, flow.CodePrivateLinkZones, flow.StatusSkip, "no vSwitch is chosen", nil),
		result(t, flow.CodeResourceValid, flow.StatusWarn, "the ASMPvlConfig entry of cluster "+clusterShop+" works with warnings", nil,
			"PVL035 warning spec.ackVpcEndpoint[0].vSwitches[0].zoneId: zoneId cn-hangzhou-i differs from the zone of vsw-bp128t7a9tgiqhg9jrsnv (cn-hangzhou-j): a cross-zone pair"),
		result(t, flow.CodePodOverlap, flow.StatusFail, "1 overlap: pod CIDRs of different clusters overlap", nil,
			"172.20.0.0/16 (pod CIDR of cluster "+clusterShop+" (shop-prod)) overlaps 172.20.0.0/16 (pod CIDR of cluster cda8099f4efbacea67c7d1afcc4f14a37 (shop-staging))"),
	}
}

// sampleConfig has three clusters: shop is Available with both links
// healthy but not running in the mesh (SAN missing), pay is still being
// provisioned, and old is only in status (being removed).
func sampleConfig() *spec.ASMPvlConfig {
	cfg := spec.New()
	cfg.Spec.AckVpcEndpoint = []spec.AckVpcEndpoint{
		{ClusterID: clusterShop, VSwitches: []spec.VSwitch{{VSwitchID: "vsw-bp128t7a9tgiqhg9jrsnv", ZoneID: "cn-hangzhou-j"}}},
		{ClusterID: clusterPay, VSwitches: []spec.VSwitch{{VSwitchID: "vsw-bp1pgw90jpkl0blv0prkg", ZoneID: "cn-hangzhou-h"}}},
	}
	cfg.Spec.AsmVpcEndpoint.VSwitches = []spec.VSwitch{{VSwitchID: "vsw-bp13uea3ge8n6qiwepxsk", ZoneID: "cn-hangzhou-j"}}
	active := func(id, domain, conn string) *spec.PvlEndpoint {
		return &spec.PvlEndpoint{ID: id, Status: spec.StateActive, ConnectionStatus: conn, DomainName: domain}
	}
	cfg.Status = &spec.Status{
		Status: "Provisioning",
		Clusters: []spec.ClusterLink{
			{ClusterID: clusterShop, PvlEndpoint: active("ep-bp1shopa", "ep-bp1shopa-cn-hangzhou-j.epsrv-bp1shop.cn-hangzhou.privatelink.aliyuncs.com", "Connected"),
				PvlEndpointService: &spec.EndpointService{ID: "epsrv-bp1shop", Name: "com.aliyuncs.privatelink.cn-hangzhou.epsrv-bp1shop", Status: spec.StateActive}},
			{ClusterID: clusterPay, PvlEndpoint: &spec.PvlEndpoint{ID: "ep-bp1paya", Status: "Creating"},
				PvlEndpointService: &spec.EndpointService{ID: "epsrv-bp1pay", Status: "Creating"}},
			{ClusterID: clusterOld, PvlEndpoint: active("ep-bp1olda", "ep-bp1olda.privatelink.aliyuncs.com", "Connected"),
				PvlEndpointService: &spec.EndpointService{ID: "epsrv-bp1old", Status: spec.StateActive}},
		},
		Pilot: &spec.PilotLink{
			PvlEndpointService: &spec.EndpointService{ID: "epsrv-bp1pilot", Name: "com.aliyuncs.privatelink.cn-hangzhou.epsrv-bp1pilot", Status: spec.StateActive},
			Clusters: []spec.ClusterLink{
				{ClusterID: clusterShop, PvlEndpoint: active("ep-bp1shopb", "ep-bp1shopb.epsrv-bp1pilot.cn-hangzhou.privatelink.aliyuncs.com", "Connected")},
				{ClusterID: clusterPay, PvlEndpoint: &spec.PvlEndpoint{ID: "ep-bp1payb", Status: spec.StateActive, ConnectionStatus: "Connecting"}},
			},
		},
	}
	return cfg
}

var sampleMeshClusters = []cloud.MeshCluster{
	{ClusterID: clusterShop, State: "failed", ErrorMessage: "x509: certificate is valid for shop-api.internal.example.com, not ep-bp1shopa-cn-hangzhou-j.epsrv-bp1shop.cn-hangzhou.privatelink.aliyuncs.com"},
	{ClusterID: clusterPay, State: "running"},
}

// sampleEndpoints lists shop's link A endpoint in another connection
// state than the status, so the cross-check shows.
var sampleEndpoints = []cloud.Endpoint{
	{ID: "ep-bp1shopa", Status: spec.StateActive, ConnectionStatus: "Disconnected"},
	{ID: "ep-bp1shopb", Status: spec.StateActive, ConnectionStatus: "Connected"},
}

func sampleDiagnoses() []flow.Diagnosis {
	cfg := sampleConfig()
	cfg.Status.Status = spec.StatusAvailable
	return flow.Diagnose(flow.Observation{
		Config: cfg, PrivateLinkActivated: true, MeshClusters: sampleMeshClusters, PrivateLinkListed: true,
		EndpointServices: []cloud.EndpointService{{ID: "epsrv-bp1shop", Status: spec.StateActive}, {ID: "epsrv-bp1pilot", Status: spec.StateActive},
			{ID: "epsrv-bp1pay", Status: "Creating"}, {ID: "epsrv-bp1old", Status: spec.StateActive}},
		Endpoints: []cloud.Endpoint{{ID: "ep-bp1shopa", Status: spec.StateActive, ConnectionStatus: "Connected"}, {ID: "ep-bp1shopb", Status: spec.StateActive, ConnectionStatus: "Connected"},
			{ID: "ep-bp1paya", Status: "Creating"}, {ID: "ep-bp1payb", Status: spec.StateActive, ConnectionStatus: "Connecting"}, {ID: "ep-bp1olda", Status: spec.StateActive, ConnectionStatus: "Connected"}},
		Clusters: []cloud.Cluster{{ID: clusterShop, State: "running", ExtraSANs: []string{"shop-api.internal.example.com"}}},
	})
}

// widths are the terminal widths the views are pinned at: the classic 80
// columns, a laptop's 120 and a wide 200.
var widths = []int{80, 120, 200}

// forEachLook runs fn at each of widths, with colour on and off, as
// subtests named like "80/color".
func forEachLook(t *testing.T, fn func(t *testing.T, st *styles.Styles, width int)) {
	for _, width := range widths {
		for _, color := range []bool{true, false} {
			name := fmt.Sprintf("%d/plain", width)
			if color {
				name = fmt.Sprintf("%d/color", width)
			}
			t.Run(name, func(t *testing.T) {
				st := styles.New(color)
				fn(t, st, width)
			})
		}
	}
}

// checkLayout verifies what golden files cannot say by themselves: no
// line is wider than width (except a single unbreakable word, or a
// copyable value on a line of its own), and plain output has no escape
// codes.
func checkLayout(t *testing.T, st *styles.Styles, width int, out string, whole ...string) {
	t.Helper()
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if w := lipgloss.Width(line); w > width && len(strings.Fields(line)) > 2 && !slices.Contains(whole, ansi.Strip(line)) {
			t.Errorf("line is %d cells wide, more than %d: %q", w, width, line)
		}
	}
	if !st.Color && strings.Contains(out, "\x1b[") {
		t.Errorf("plain output has escape codes: %q", out)
	}
	if st.Color && !strings.Contains(out, "\x1b[") {
		t.Errorf("colour output has no escape codes")
	}
}

func TestChecks(t *testing.T) {
	forEachLook(t, func(t *testing.T, st *styles.Styles, width int) {
		out := Checks(st, width, sampleResults(t), CheckOptions{})
		checkLayout(t, st, width, out, resultValues(sampleResults(t))...)
		golden.RequireEqual(t, out)
	})
}

func TestChecksVerboseShowsHintsOfPassedChecks(t *testing.T) {
	st := styles.New(false)
	results := sampleResults(t)[:1]
	quiet := Checks(st, 80, results, CheckOptions{})
	verbose := Checks(st, 80, results, CheckOptions{Verbose: true})
	if strings.Contains(quiet, "hint:") {
		t.Errorf("a passed check shows its hint without Verbose:\n%s", quiet)
	}
	if !strings.Contains(verbose, "hint: "+results[0].Check.Hint[:20]) || !strings.Contains(verbose, "docs:") {
		t.Errorf("Verbose does not show the hint and documentation link:\n%s", verbose)
	}
	requireWholeLines(t, verbose, []string{results[0].Check.DocURL})
}

func TestCheckReportGroupsInRunOrderAndCounts(t *testing.T) {
	rep := NewCheckReport(sampleResults(t))
	var cats []flow.Category
	for _, g := range rep.Groups {
		cats = append(cats, g.Category)
	}
	want := []flow.Category{flow.CategoryMesh, flow.CategoryCluster, flow.CategoryVSwitches, flow.CategoryNetwork}
	if fmt.Sprint(cats) != fmt.Sprint(want) {
		t.Errorf("groups = %v, want %v", cats, want)
	}
	if rep.Counts != (CheckCounts{Pass: 2, Warn: 1, Fail: 2, Skip: 1}) || rep.Passed {
		t.Errorf("counts = %+v passed=%v, want 2/1/2/1 and not passed", rep.Counts, rep.Passed)
	}
	data, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"code":"PVL103"`, `"status":"fail"`, `"severity":"error"`, `"mutating":true`,
		`"command":"aliyun servicemesh AddClusterIntoServiceMesh`, `"docURL":"` + flow.DocURL(flow.CodeClusterInMesh) + `"`, `"title":"Mesh state"`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("JSON lacks %s:\n%s", want, data)
		}
	}
	if strings.Contains(string(data), "Apply") {
		t.Errorf("JSON carries the fix's function: %s", data)
	}
}

func TestCheckReportOfNothing(t *testing.T) {
	rep := NewCheckReport(nil)
	if !rep.Passed || rep.Groups == nil || rep.Counts.Summary() != "no checks ran" {
		t.Errorf("empty report = %+v (summary %q)", rep, rep.Counts.Summary())
	}
}

func TestDiagnoses(t *testing.T) {
	ds := sampleDiagnoses()
	codes := map[spec.Code]bool{}
	for _, d := range ds {
		codes[d.Code] = true
	}
	for _, c := range []spec.Code{flow.CodeSANMissing, flow.CodeZoneMismatch, flow.CodeStaleStatus} {
		if !codes[c] {
			t.Fatalf("the sample lacks diagnosis %s, so the golden files would not show it: %v", c, codes)
		}
	}
	forEachLook(t, func(t *testing.T, st *styles.Styles, width int) {
		out := Diagnoses(st, width, ds)
		checkLayout(t, st, width, out, diagnosisValues(ds)...)
		golden.RequireEqual(t, out)
	})
}

func TestDiagnosesNone(t *testing.T) {
	if got := Diagnoses(styles.New(false), 80, nil); got != "No problem found in the status.\n" {
		t.Errorf("Diagnoses(nil) = %q", got)
	}
	data, err := json.Marshal(NewDiagnoses(nil))
	if err != nil || string(data) != "[]" {
		t.Errorf("NewDiagnoses(nil) marshals to %s, %v; want []", data, err)
	}
}

func TestDiagnosisJSONHasDocLinkAndFix(t *testing.T) {
	data, err := json.Marshal(NewDiagnoses(sampleDiagnoses()))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"code":"PVL204"`, `"severity":"error"`, `"docURL":"` + flow.DocURL(flow.CodeSANMissing) + `"`, `"clusterId":"` + clusterShop + `"`, `"link":"A"`, `"command":"aliyun cs PUT`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("JSON lacks %s:\n%s", want, data)
		}
	}
}

func TestLinks(t *testing.T) {
	v := flow.Links(sampleConfig(), nil, sampleEndpoints, sampleMeshClusters)
	forEachLook(t, func(t *testing.T, st *styles.Styles, width int) {
		out := Links(st, width, v)
		checkLayout(t, st, width, out)
		golden.RequireEqual(t, out)
	})
}

func TestLinksAvailable(t *testing.T) {
	cfg := sampleConfig()
	cfg.Spec.AckVpcEndpoint = cfg.Spec.AckVpcEndpoint[:1]
	cfg.Status.Status = spec.StatusAvailable
	cfg.Status.Clusters = cfg.Status.Clusters[:1]
	cfg.Status.Pilot.Clusters = cfg.Status.Pilot.Clusters[:1]
	services := []cloud.EndpointService{{ID: "epsrv-bp1shop", Status: spec.StateActive}, {ID: "epsrv-bp1pilot", Status: spec.StateActive}}
	endpoints := []cloud.Endpoint{{ID: "ep-bp1shopa", Status: spec.StateActive, ConnectionStatus: "Connected"}, {ID: "ep-bp1shopb", Status: spec.StateActive, ConnectionStatus: "Connected"}}
	v := flow.Links(cfg, services, endpoints, []cloud.MeshCluster{{ClusterID: clusterShop, State: "running"}})
	out := Links(styles.New(false), 80, v)
	for _, want := range []string{"ASMPvlConfig status: Available\n", "cluster " + clusterShop + "  links healthy\n", "mesh state: running\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "waiting for") {
		t.Errorf("a healthy link view says it waits:\n%s", out)
	}
	rep := NewLinkReport(v)
	if !rep.Available || !rep.Settled || !rep.Clusters[0].Healthy || !rep.Clusters[0].Running || len(rep.Pending) != 0 {
		t.Errorf("report = %+v, want available, settled, healthy and running", rep)
	}
}

func TestLinksEmpty(t *testing.T) {
	out := Links(styles.New(false), 80, flow.Links(spec.New(), nil, nil, nil))
	if out != "ASMPvlConfig status: (not reported yet)\nNo cluster is connected over PrivateLink.\n" {
		t.Errorf("Links of an empty object = %q", out)
	}
}

func TestLinkReportJSON(t *testing.T) {
	rep := NewLinkReport(flow.Links(sampleConfig(), nil, sampleEndpoints, sampleMeshClusters))
	if rep.Available || rep.Settled {
		t.Errorf("a provisioning view is reported available or settled: %+v", rep)
	}
	if len(rep.Clusters) != 3 || rep.Clusters[1].ClusterID != clusterPay || len(rep.Clusters[1].Pending) != 3 {
		t.Fatalf("clusters = %+v, want shop, pay (3 pending), old", rep.Clusters)
	}
	data, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"status":"Provisioning"`, `"available":false`, `"linkA":{"endpointId":"ep-bp1shopa"`, `"apiConnectionStatus":"Disconnected"`,
		`"inSpec":false`, `"meshState":"failed"`, `"pending":["cluster ` + clusterPay + ` link A: endpoint service epsrv-bp1pay Creating"`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("JSON lacks %s:\n%s", want, data)
		}
	}
}

func TestWrapKeepsLongWordsWhole(t *testing.T) {
	cmd := "aliyun servicemesh AddClusterIntoServiceMesh --ServiceMeshId d564b858f9a3e247cb2c083eb8cb37f0"
	lines := wrap(cmd, 20)
	if strings.Join(lines, " ") != cmd {
		t.Errorf("wrap lost text: %q", lines)
	}
	for _, l := range lines {
		if lipgloss.Width(l) > 20 && strings.Contains(l, " ") {
			t.Errorf("line %q is wider than 20 and could have been broken", l)
		}
	}
}

func TestLinkLine(t *testing.T) {
	v := flow.Links(sampleConfig(), nil, nil, sampleMeshClusters)
	got := LinkLine(v)
	for _, want := range []string{"status Provisioning; waiting for cluster " + clusterShop + " link A: PrivateLink to confirm the status (not asked);",
		"cluster " + clusterPay + " link A: endpoint service epsrv-bp1pay Creating;",
		"cluster " + clusterShop + " failed in the mesh"} {
		if !strings.Contains(got, want) {
			t.Errorf("LinkLine = %q, lacks %q", got, want)
		}
	}
	if strings.Contains(got, "\n") || strings.Contains(got, "\x1b") {
		t.Errorf("LinkLine is not one plain line: %q", got)
	}
	if got := LinkLine(flow.LinkView{}); got != "status (not reported)" {
		t.Errorf("LinkLine of nothing = %q", got)
	}
}

// TestWordsComeFromTheCatalogue renders with another catalogue in force:
// every label, status word and heading changes with it, so a translation
// of ui/text covers the reports too.
func TestWordsComeFromTheCatalogue(t *testing.T) {
	other := text.English
	other.Report.Fail = "échec"
	other.Report.Hint = "conseil"
	other.Report.StatusHeader = "État d'ASMPvlConfig :"
	other.Report.Categories = map[string]string{"mesh": "Instance ASM"}
	text.Use(&other)
	t.Cleanup(func() { text.Use(&text.English) })
	st := styles.New(false)
	checks := Checks(st, 120, sampleResults(t), CheckOptions{})
	for _, want := range []string{"échec", "conseil:", "Instance ASM"} {
		if !strings.Contains(checks, want) {
			t.Errorf("checks lack %q from the catalogue:\n%s", want, checks)
		}
	}
	if strings.Contains(checks, "hint:") || strings.Contains(checks, "Mesh state") {
		t.Errorf("checks still hold English words:\n%s", checks)
	}
	if links := Links(st, 120, flow.Links(sampleConfig(), nil, nil, nil)); !strings.Contains(links, "État d'ASMPvlConfig :") {
		t.Errorf("links lack the catalogue's heading:\n%s", links)
	}
}

// resultValues are what people copy from check results: each fix's
// command and each documentation link.
func resultValues(rs []flow.Result) []string {
	var out []string
	for _, r := range rs {
		if r.Status == flow.StatusPass || r.Status == flow.StatusSkip {
			continue
		}
		if r.Fix != nil && r.Fix.Command != "" {
			out = append(out, r.Fix.Command)
		}
		out = append(out, r.Check.DocURL)
	}
	return out
}

// diagnosisValues are what people copy from diagnoses: each fix's command
// and each documentation link.
func diagnosisValues(ds []flow.Diagnosis) []string {
	var out []string
	for _, d := range ds {
		if d.Fix != nil && d.Fix.Command != "" {
			out = append(out, d.Fix.Command)
		}
		out = append(out, flow.DocURL(d.Code))
	}
	return out
}

// requireWholeLines fails unless every value appears whole within one line
// of out (escape codes stripped), so that a terminal's selection copies it
// in one piece.
func requireWholeLines(t *testing.T, out string, values []string) {
	t.Helper()
	if len(values) == 0 {
		t.Fatal("no copyable value to look for")
	}
	lines := strings.Split(ansi.Strip(out), "\n")
	for _, v := range values {
		if !slices.ContainsFunc(lines, func(l string) bool { return strings.Contains(l, v) }) {
			t.Errorf("%q is not whole on any line of:\n%s", v, ansi.Strip(out))
		}
	}
}

func TestCopyableValuesAreWhole(t *testing.T) {
	ds := sampleDiagnoses()
	v := flow.Links(sampleConfig(), nil, sampleEndpoints, sampleMeshClusters)
	var domains []string
	for _, c := range v.Clusters {
		for _, l := range []flow.LinkEnd{c.A, c.B} {
			if l.Domain != "" {
				domains = append(domains, l.Domain, l.ServiceName)
			}
		}
	}
	forEachLook(t, func(t *testing.T, st *styles.Styles, width int) {
		requireWholeLines(t, Checks(st, width, sampleResults(t), CheckOptions{}), resultValues(sampleResults(t)))
		requireWholeLines(t, Diagnoses(st, width, ds), diagnosisValues(ds))
		requireWholeLines(t, Links(st, width, v), domains)
	})
}
