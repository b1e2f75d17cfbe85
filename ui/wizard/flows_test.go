package wizard_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	"github.com/charmbracelet/x/ansi"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/cloud/kube"
	"github.com/asmlink/asmlink/cloud/sim/demoenv"
	"github.com/asmlink/asmlink/spec"
	"github.com/asmlink/asmlink/ui/cmdutil"
	"github.com/asmlink/asmlink/ui/styles"
	"github.com/asmlink/asmlink/ui/text"
	"github.com/asmlink/asmlink/ui/wizard"
)

const (
	meshProd  = "d564b858f9a3e247cb2c083eb8cb37f0"
	shopProd  = "cbfbdabe898736a3566f893697b590487"
	shopProdJ = "vsw-bp128t7a9tgiqhg9jrsnv"
	asmProdJ  = "vsw-bp13uea3ge8n6qiwepxsk"
	inventory = "cf2fbdaa35adf9c1e2a8a3c0ed16bfe17"
)

// toReview drives the wizard from the mesh picker to the review of
// connecting shop-prod to mesh-prod with the recommended pair.
func toReview(d *driver) {
	d.waitFor("mesh-prod", meshProd)
	d.typeText("mesh-prod")
	d.key("enter")
	d.waitFor("step 2 of 9", "shop-prod")
	d.typeText("shop-prod")
	d.key("enter")
	// The pair list shows with the zones; its VERDICT column (where
	// "recommended" is) does not fit at 80 columns.
	d.waitFor("step 3 of 9", "Zones of both VPCs")
	d.key("enter")
	d.waitFor("step 4 of 9", "All checks passed")
	d.key("enter")
	d.waitFor("step 5 of 9", "+  - clusterId: "+shopProd)
}

// toFilePrompt drives the wizard to the file name of the write-only
// action.
func toFilePrompt(d *driver) {
	toReview(d)
	d.key("enter")
	d.waitFor("step 6 of 9")
	d.key("down")
	d.key("down")
	d.key("enter")
	d.waitFor("file: ")
}

// typeFile replaces the proposed file name with path.
func (d *driver) typeFile(path string) {
	d.send(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
	d.send(tea.KeyPressMsg{Code: 'k', Mod: tea.ModCtrl})
	d.typeText(path)
}

// toLinks drives the wizard from the start through the review to an
// applied ASMPvlConfig and the links screen.
func toLinks(d *driver) {
	toReview(d)
	d.key("enter")
	d.waitFor("step 6 of 9", "apply it to the ASM instance")
	d.key("enter")
	d.waitFor("Apply the ASMPvlConfig to ASM instance " + meshProd)
	d.key("y")
	d.waitFor("step 7 of 9")
}

// appendSAN goes on from the SAN step to the summary: it accepts appending
// the endpoint domain to the certificate SANs and waits until the cluster
// runs in the mesh.
func appendSAN(d *driver) {
	d.key("enter")
	d.waitFor("Append ", "(y/N)")
	d.key("y")
	d.waitFor("is running in the mesh")
	d.key("enter")
}

func TestFlowExportWritesReviewedFileWithoutApplying(t *testing.T) {
	d, env := start(t, "demo", false, 160, 60)
	toReview(d)
	d.key("enter")
	d.waitFor("step 6 of 9", "write it to a file only")
	d.key("down")
	d.key("down")
	d.key("enter")
	d.waitFor("file: ")
	d.key("enter")
	d.waitFor("step 9 of 9", "wrote ")
	path := strings.TrimSpace(strings.SplitN(strings.SplitN(d.screen(), "wrote ", 2)[1], "\n", 2)[0])
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("the file the summary names: %v", err)
	}
	cfg, err := spec.Decode(data)
	if err != nil {
		t.Fatalf("the written file does not decode: %v\n%s", err, data)
	}
	e, ok := cfg.Entry(shopProd)
	if !ok || e.VSwitches[0].VSwitchID != shopProdJ || e.VSwitches[0].ZoneID != "cn-hangzhou-j" {
		t.Errorf("entry for shop-prod = %+v, want %s in cn-hangzhou-j", e, shopProdJ)
	}
	if got := cfg.Spec.AsmVpcEndpoint.VSwitches; len(got) != 1 || got[0].VSwitchID != asmProdJ {
		t.Errorf("ASM vSwitches = %+v, want %s", got, asmProdJ)
	}
	if !strings.HasPrefix(string(data), "#") || filepath.Base(path) != "asmpvlconfig.yaml" {
		t.Errorf("file %s lacks the review header:\n%s", path, data)
	}
	kc, _ := env.Kube(t.Context(), meshProd)
	if live, err := kc.Get(t.Context()); err != nil || live != nil {
		t.Errorf("export changed the mesh's API server: %+v, %v", live, err)
	}
}

func TestFlowHappyPathToClusterRunningInTheMesh(t *testing.T) {
	d, env := start(t, "demo", false, 160, 60)
	toLinks(d)
	d.waitFor("Both links are up")
	d.key("enter")
	d.waitFor("step 8 of 9", "is not in the API server certificate SANs")
	appendSAN(d)
	d.waitFor("step 9 of 9", "appended ", "applied the ASMPvlConfig to ASM instance "+meshProd+"; status Available")

	c, ok := env.Server.State().Cluster(shopProd)
	if !ok || len(c.ExtraSANs) == 0 {
		t.Fatalf("the cluster's SANs were not appended: %+v", c)
	}
}

func TestFlowNoSharedZoneSaysWhatToCreate(t *testing.T) {
	d, _ := start(t, "demo", false, 160, 60)
	d.waitFor("mesh-prod")
	d.key("enter")
	d.waitFor("step 2 of 9", "billing")
	d.typeText("billing")
	d.key("enter")
	d.waitFor("step 3 of 9", "The two VPCs share no zone where PrivateLink works",
		"create a vSwitch in zone cn-hangzhou-k in VPC vpc-bp1hbrpoig8f1cbfno6b9 (the mesh VPC)",
		"aliyun vpc CreateVSwitch --RegionId cn-hangzhou --VpcId vpc-bp1hbrpoig8f1cbfno6b9 --ZoneId cn-hangzhou-k")
	if strings.Contains(d.screen(), "recommended") {
		t.Errorf("a pair is recommended although no zone is shared:\n%s", d.screen())
	}
	// The cross-zone pair under the cursor says why it only warns.
	d.waitFor("PVL035", "a cross-zone pair")
	// Chosen anyway, the checks warn, and the screen does not say that
	// every check passed.
	d.key("enter")
	d.waitFor("step 4 of 9", "No check failed, but some warn")
	if strings.Contains(d.screen(), "Every check passed") {
		t.Errorf("the checks of a cross-zone pair say every check passed:\n%s", d.screen())
	}
	d.key("esc")
	d.waitFor("step 3 of 9")
	// esc goes back with the cluster choice kept.
	d.key("esc")
	d.waitFor("step 2 of 9")
}

func TestFlowPrivateLinkOffActivatedWithConsent(t *testing.T) {
	d, env := start(t, "privatelink-off", false, 160, 80)
	d.waitFor("mesh-main")
	d.key("enter")
	d.waitFor("step 2 of 9", "orders")
	d.key("enter")
	d.waitFor("step 3 of 9", "recommended")
	d.key("enter")
	d.waitFor("step 4 of 9", "fail  PVL104", "Some checks failed")
	if env.Server.State().PrivateLinkActivated() {
		t.Fatal("PrivateLink is activated before anyone agreed")
	}
	// Declining changes nothing.
	d.key("f")
	d.waitFor("This changes your cloud account. Run it now? (y/N)")
	d.key("n")
	d.waitFor("Some checks failed")
	if env.Server.State().PrivateLinkActivated() {
		t.Fatal("PrivateLink was activated although the answer was no")
	}
	d.key("f")
	d.waitFor("(y/N)")
	d.key("y")
	d.waitFor("pass  PVL104")
	if !env.Server.State().PrivateLinkActivated() {
		t.Fatal("PrivateLink is not activated after consent")
	}
	d.key("enter")
	d.waitFor("step 5 of 9")
}

func TestFlowQuitAsksWhileAChangeIsInFlight(t *testing.T) {
	d, _ := start(t, "demo", false, 160, 60)
	toLinks(d)
	d.waitFor("Provisioning")
	d.key("q")
	d.waitFor("A change is in flight. Quit anyway?")
	d.key("n")
	if d.quit {
		t.Fatal("the wizard quit although the answer was no")
	}
	d.key("q")
	d.waitFor("Quit anyway?")
	d.key("y")
	d.drain()
	if !d.quit {
		t.Fatal("the wizard did not quit after yes")
	}
}

func TestFlowRegionSwitchListsThatRegionsMeshes(t *testing.T) {
	d, _ := start(t, "demo", false, 160, 60)
	d.waitFor("region: cn-hangzhou", "mesh-prod")
	d.key("ctrl+g")
	d.waitFor("region ID (for example cn-hangzhou)")
	for range len("cn-hangzhou") {
		d.key("backspace")
	}
	d.typeText("cn-shanghai")
	d.key("enter")
	d.waitFor("region: cn-shanghai", "no ASM instance in this region")
	if strings.Contains(d.screen(), "mesh-prod") {
		t.Errorf("cn-hangzhou's meshes are listed in cn-shanghai:\n%s", d.screen())
	}
}

func TestFlowFailedListingIsShownInlineAndRetried(t *testing.T) {
	env := startEnv(t, demoenv.Options{})
	calls := 0
	cloudOnce := func(ctx context.Context, region string) (cloud.API, error) {
		calls++
		if calls == 1 {
			return nil, errors.New("ServiceUnavailable: the service is down for a moment")
		}
		return env.Cloud(ctx, region)
	}
	d := drive(t, wizard.New(context.Background(), wizard.Deps{Cloud: cloudOnce, Server: cmdutil.KubeConnect(env.Kube), WriteFile: cmdutil.WriteConfigFile}, styles.New(false), &text.English), 120, 40)
	d.waitFor("listing ASM instances failed: ServiceUnavailable", "press r to retry")
	d.key("r")
	d.waitFor("mesh-prod")
	if strings.Contains(d.screen(), "failed") {
		t.Errorf("the error is still shown after a successful retry:\n%s", d.screen())
	}
}

// TestFlowFailedFixIsReportedAndAskedAgain signs with the demo world's
// restricted key, which may not add clusters to the mesh: the fix fails with
// the permission named, nothing changes, and r asks for consent again.
func TestFlowFailedFixIsReportedAndAskedAgain(t *testing.T) {
	env := startEnv(t, demoenv.Options{})
	restricted := env.Server.World().AccessKeys[1]
	readOnly := func(ctx context.Context, region string) (cloud.API, error) {
		return cloud.New(ctx, cloud.Config{
			Region: env.Server.Region(), Endpoint: env.Server.URL(),
			Credentials: credentials.NewStaticAKCredentialsProvider(restricted.ID, restricted.Secret),
		})
	}
	d := drive(t, wizard.New(context.Background(), wizard.Deps{Cloud: readOnly, Server: cmdutil.KubeConnect(env.Kube), WriteFile: cmdutil.WriteConfigFile}, styles.New(false), &text.English), 160, 80)
	d.waitFor("mesh-prod")
	d.key("enter")
	d.waitFor("step 2 of 9", "inventory")
	d.typeText("inventory")
	d.key("enter")
	d.waitFor("step 3 of 9", "recommended")
	d.key("enter")
	d.waitFor("step 4 of 9", "fail  PVL103")
	d.key("f")
	d.waitFor("(y/N)")
	d.key("y")
	d.waitFor("running the fix failed", "servicemesh:AddClusterIntoServiceMesh")
	if _, inMesh := env.Server.State().Mesh(meshProd); !inMesh {
		t.Fatal("mesh-prod vanished")
	}
	if ms, _ := env.Server.State().Mesh(meshProd); slices.Contains(ms.ClusterIDs, inventory) {
		t.Fatal("the cluster was added although the call was denied")
	}
	d.key("r")
	d.waitFor("This changes your cloud account. Run it now? (y/N)")
}

// TestFlowRetryNeverRepeatsAChange presses r on the links screen after the
// apply: nothing is applied again without consent.
func TestFlowRetryNeverRepeatsAChange(t *testing.T) {
	d, _ := start(t, "demo", false, 160, 60)
	toLinks(d)
	d.key("r")
	// Update starts a retried command at once, with its spinner line.
	if strings.Contains(d.screen(), "applying the ASMPvlConfig") {
		t.Fatalf("r applied again without consent:\n%s", d.screen())
	}
}

func TestFlowWriteFailureIsShownAndRetried(t *testing.T) {
	d, _ := start(t, "demo", false, 160, 60)
	toFilePrompt(d)
	dir := t.TempDir()
	d.typeFile(dir + "/missing/asmpvlconfig.yaml")
	d.key("enter")
	// The wizard stays on the action step with the error and the name to
	// change; enter writes again.
	d.waitFor("writing the file failed", "step 6 of 9", "change the name first; esc goes back", "file: ")
	if err := os.Mkdir(dir+"/missing", 0o755); err != nil {
		t.Fatal(err)
	}
	d.key("enter")
	d.waitFor("wrote " + dir + "/missing/asmpvlconfig.yaml")
	if _, err := os.Stat(dir + "/missing/asmpvlconfig.yaml"); err != nil {
		t.Fatalf("the retried write left no file: %v", err)
	}
}

// TestFlowWriteNeverReplacesAnotherFile types the name of a file that is not
// an ASMPvlConfig: the wizard refuses and the file keeps its content.
func TestFlowWriteNeverReplacesAnotherFile(t *testing.T) {
	d, _ := start(t, "demo", false, 160, 60)
	toFilePrompt(d)
	other := filepath.Join(t.TempDir(), "deployment.yaml")
	if err := os.WriteFile(other, []byte("kind: Deployment\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	d.typeFile(other)
	d.key("enter")
	d.waitFor("writing the file failed", "is not an ASMPvlConfig")
	if data, _ := os.ReadFile(other); string(data) != "kind: Deployment\n" {
		t.Fatalf("the other file was changed:\n%s", data)
	}
}

// TestFlowConflictScreenKeysDoWhatTheySay: a GitOps tool's server-side
// apply owns shop-prod's vSwitch zone, so applying stops on the conflict
// screen. It says "Press F": y and other keys do nothing, esc goes back
// without writing, and F shows the forced change for review again before
// anything is written.
func TestFlowConflictScreenKeysDoWhatTheySay(t *testing.T) {
	d, env := start(t, "demo", false, 160, 60)
	toReview(d)
	kc, err := env.Kube(t.Context(), meshProd)
	if err != nil {
		t.Fatal(err)
	}
	gitops := spec.AckVpcEndpoint{ClusterID: shopProd, VSwitches: []spec.VSwitch{{VSwitchID: shopProdJ, ZoneID: "cn-hangzhou-h"}}}
	if _, err := kc.WithFieldManager("gitops").Apply(t.Context(), kube.MergeCluster(gitops, nil), kube.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	d.key("enter")
	d.waitFor("step 6 of 9", "apply it to the ASM instance")
	d.key("enter")
	d.waitFor("Apply the ASMPvlConfig to ASM instance " + meshProd)
	d.key("y")
	d.waitFor("gitops", "Press F to take these fields over")
	for _, k := range []string{"y", "enter"} {
		d.key(k)
		d.drain()
		if !strings.Contains(d.screen(), "Press F") {
			t.Fatalf("%q on the conflict screen dismissed it:\n%s", k, d.screen())
		}
	}
	zone := func() string {
		live, err := kc.Get(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		e, _ := live.Entry(shopProd)
		return e.VSwitches[0].ZoneID
	}
	if z := zone(); z != "cn-hangzhou-h" {
		t.Fatalf("a key other than F wrote the change: zone %s", z)
	}
	d.key("esc")
	d.drain()
	if s := d.screen(); strings.Contains(s, "Press F") {
		t.Fatalf("esc left the conflict screen up:\n%s", s)
	}
	d.key("enter")
	d.waitFor("Apply the ASMPvlConfig to ASM instance " + meshProd)
	d.key("y")
	d.waitFor("Press F to take these fields over")
	d.key("F")
	d.waitFor("step 5 of 9", "zoneId: cn-hangzhou-j")
	if z := zone(); z != "cn-hangzhou-h" {
		t.Fatalf("F wrote before the forced change was reviewed: zone %s", z)
	}
	d.key("enter")
	d.waitFor("step 6 of 9")
	d.key("enter")
	d.waitFor("Apply the ASMPvlConfig to ASM instance " + meshProd)
	d.key("y")
	d.waitFor("step 7 of 9")
	if z := zone(); z != "cn-hangzhou-j" {
		t.Fatalf("the consented apply did not take gitops's field over: zone %s", z)
	}
}

// TestFlowTypingAlwaysFilters types the keys that are global elsewhere into
// a list: each one filters (a filter may start with q, r, R or ?), none
// quits, retries, switches region or opens the help, and ctrl+c still quits.
func TestFlowTypingAlwaysFilters(t *testing.T) {
	for _, k := range []string{"q", "r", "R", "?"} {
		t.Run(k, func(t *testing.T) {
			d, _ := start(t, "demo", false, 160, 60)
			d.waitFor("mesh-prod")
			d.key(k)
			d.drain()
			if d.quit {
				t.Fatalf("%q quit the wizard from a list", k)
			}
			screen := d.screen()
			if !strings.Contains(screen, "/ "+k) && !strings.Contains(screen, "filter: "+k) {
				t.Fatalf("%q did not go to the filter:\n%s", k, screen)
			}
			if strings.Contains(screen, "region ID (for example") {
				t.Fatalf("%q opened the region question:\n%s", k, screen)
			}
			d.key("ctrl+c")
			d.drain()
			if !d.quit {
				t.Fatal("ctrl+c did not quit from a list")
			}
		})
	}
}

// TestFlowFailedWriteNeverEndsInASummaryThatNamesTheFile: the write fails,
// esc leaves the name prompt, and printing instead ends in a summary that
// does not tell the person to apply a file that does not exist.
func TestFlowFailedWriteNeverEndsInASummaryThatNamesTheFile(t *testing.T) {
	d, _ := start(t, "demo", false, 160, 60)
	toFilePrompt(d)
	missing := filepath.Join(t.TempDir(), "missing", "asmpvlconfig.yaml")
	d.typeFile(missing)
	d.key("enter")
	d.waitFor("writing the file failed", "step 6 of 9")
	d.key("esc")
	d.key("down")
	d.key("enter")
	d.waitFor("step 9 of 9", "printed on stdout")
	if s := d.screen(); strings.Contains(s, "asmlink apply -f") || strings.Contains(s, "wrote ") {
		t.Fatalf("the summary names a file that was not written:\n%s", s)
	}
}

// TestFlowReplacingAnotherASMPvlConfigShowsTheDiffAndAsks: the file chosen
// holds another ASMPvlConfig; the wizard shows what replacing it changes
// and replaces it only after a yes.
func TestFlowReplacingAnotherASMPvlConfigShowsTheDiffAndAsks(t *testing.T) {
	d, _ := start(t, "demo", false, 160, 60)
	toFilePrompt(d)
	other := filepath.Join(t.TempDir(), "staging.yaml")
	old := spec.Encode(spec.Merge(nil, spec.AckVpcEndpoint{ClusterID: inventory, VSwitches: []spec.VSwitch{{VSwitchID: "vsw-bp1mqc1a78mx1evuht6t0", ZoneID: "cn-hangzhou-h"}}}, nil), spec.EncodeOptions{})
	if err := os.WriteFile(other, old, 0o600); err != nil {
		t.Fatal(err)
	}
	d.typeFile(other)
	d.key("enter")
	d.waitFor("already holds another ASMPvlConfig", "-  - clusterId: "+inventory, "+  - clusterId: "+shopProd, "Replace it? (y/N)")
	d.key("n")
	d.drain()
	if data, _ := os.ReadFile(other); string(data) != string(old) {
		t.Fatalf("a no replaced the file:\n%s", data)
	}
	d.key("enter")
	d.waitFor("file: ")
	d.typeFile(other)
	d.key("enter")
	d.waitFor("Replace it? (y/N)")
	d.key("y")
	d.waitFor("step 9 of 9", "wrote "+other)
	data, _ := os.ReadFile(other)
	if cfg, err := spec.Decode(data); err != nil || len(cfg.ClusterIDs()) != 1 || cfg.ClusterIDs()[0] != shopProd {
		t.Fatalf("after a yes the file holds %v, %v:\n%s", cfg, err, data)
	}
	if fi, _ := os.Stat(other); fi.Mode().Perm() != 0o600 {
		t.Errorf("the replaced file's mode is %v, want 0600", fi.Mode().Perm())
	}
}

// TestFlowConsentIsAHuhConfirmThatStartsAtNo: enter on a consent question
// takes the button shown, which is No until an arrow moves it; other keys
// leave the question up.
func TestFlowConsentIsAHuhConfirmThatStartsAtNo(t *testing.T) {
	d, env := start(t, "demo", false, 160, 60)
	toReview(d)
	d.key("enter")
	d.waitFor("step 6 of 9", "apply it to the ASM instance")
	d.key("enter")
	d.waitFor("Apply the ASMPvlConfig to ASM instance "+meshProd, "Yes", "No")
	d.key("enter")
	d.drain()
	if strings.Contains(d.screen(), "step 7 of 9") {
		t.Fatal("enter on a fresh consent question applied: it must start at No")
	}
	d.key("enter")
	d.waitFor("Apply the ASMPvlConfig to ASM instance " + meshProd)
	d.key("x")
	d.waitFor("Apply the ASMPvlConfig to ASM instance " + meshProd)
	d.key("left")
	d.key("enter")
	d.waitFor("step 7 of 9")
	kc, err := env.Kube(t.Context(), meshProd)
	if err != nil {
		t.Fatal(err)
	}
	if cfg, err := kc.Get(t.Context()); err != nil || cfg == nil {
		t.Fatalf("the consent given with the arrows applied nothing: %v", err)
	}
}

// TestFlowConnectedClusterAsksChangeOrRemoveWithAHuhSelect: choosing a
// cluster that already has an entry asks what to do with it; the arrows
// move the select and enter takes the removal straight to the review.
func TestFlowConnectedClusterAsksChangeOrRemoveWithAHuhSelect(t *testing.T) {
	d, env := start(t, "demo", false, 160, 60)
	kc, err := env.Kube(t.Context(), meshProd)
	if err != nil {
		t.Fatal(err)
	}
	entry := spec.AckVpcEndpoint{ClusterID: shopProd, VSwitches: []spec.VSwitch{{VSwitchID: shopProdJ, ZoneID: "cn-hangzhou-j"}}}
	if _, err := kc.Apply(t.Context(), kube.MergeCluster(entry, []spec.VSwitch{{VSwitchID: "vsw-bp13uea3ge8n6qiwepxsk", ZoneID: "cn-hangzhou-j"}}), kube.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	d.waitFor("mesh-prod")
	d.key("enter")
	d.waitFor("step 2 of 9", "shop-prod")
	d.typeText("shop-prod")
	d.key("enter")
	d.waitFor("change its vSwitches", "remove it from the ASMPvlConfig")
	d.key("down")
	d.key("enter")
	d.waitFor("step 5 of 9", "-  - clusterId: "+shopProd)
}

// requireCopyable fails unless value is on screen in one piece: whole
// within one line when it fits in width, else broken only at the screen's
// edge into consecutive lines from the first column (what Bubble Tea
// cannot show wider), with nothing inserted.
func requireCopyable(t *testing.T, screen, value string, width int) {
	t.Helper()
	// Bubble Tea cuts every line at the screen's width.
	lines := strings.Split(ansi.Strip(screen), "\n")
	for i := range lines {
		lines[i] = ansi.Truncate(lines[i], width, "")
	}
	for i, l := range lines {
		if strings.Contains(l, value) {
			return
		}
		if len(value) > width && strings.HasPrefix(value, l) && len(l) == width {
			joined := l
			for _, next := range lines[i+1:] {
				joined += next
				if len(joined) >= len(value) {
					break
				}
			}
			if strings.HasPrefix(joined, value) {
				return
			}
		}
	}
	t.Errorf("%q is not in one piece at %d columns:\n%s", value, width, ansi.Strip(screen))
}

// TestFlowCopyableValuesAreWholeAtEveryWidth walks the links, SAN and
// summary screens and the no-shared-zone screen at 80, 120 and 200
// columns: the link A domain, the vSwitch command and every next command
// are on screen in one piece.
func TestFlowCopyableValuesAreWholeAtEveryWidth(t *testing.T) {
	for _, width := range []int{80, 120, 200} {
		t.Run(strconv.Itoa(width), func(t *testing.T) {
			d, env := start(t, "demo", false, width, 200)
			toLinks(d)
			d.waitFor("Both links are up")
			kc, _ := env.Kube(t.Context(), meshProd)
			live, err := kc.Get(t.Context())
			if err != nil || live == nil || len(live.Status.Clusters) == 0 || live.Status.Clusters[0].PvlEndpoint == nil {
				t.Fatalf("no link A endpoint in the live status: %+v, %v", live, err)
			}
			domain := live.Status.Clusters[0].PvlEndpoint.DomainName
			requireCopyable(t, d.screen(), domain, width)
			d.key("enter")
			d.waitFor("step 8 of 9", "certificate must name")
			requireCopyable(t, d.screen(), domain, width)
			appendSAN(d)
			d.waitFor("step 9 of 9", "Next steps")
			for _, c := range []string{
				"asmlink status --mesh " + meshProd + " --cluster " + shopProd,
				"asmlink doctor --mesh " + meshProd + " --cluster " + shopProd,
				"kubectl get asmpvlconfig default -o yaml",
			} {
				requireCopyable(t, d.screen(), c, width)
			}

			z, _ := start(t, "demo", false, width, 200)
			z.waitFor("mesh-prod")
			z.key("enter")
			z.waitFor("step 2 of 9", "billing")
			z.typeText("billing")
			z.key("enter")
			z.waitFor("step 3 of 9", "The two VPCs share no zone")
			requireCopyable(t, z.screen(), "aliyun vpc CreateVSwitch --RegionId cn-hangzhou --VpcId vpc-bp1hbrpoig8f1cbfno6b9 --ZoneId cn-hangzhou-k --CidrBlock", width)
		})
	}
}

// TestFlowQuitAfterAFailedWriteExitsWithTheFailure: the write fails, esc
// leaves the name prompt, and q ends the wizard with the write's error
// (exit 1), not a plain cancel.
func TestFlowQuitAfterAFailedWriteExitsWithTheFailure(t *testing.T) {
	d, _ := start(t, "demo", false, 160, 60)
	toFilePrompt(d)
	d.typeFile(t.TempDir() + "/missing/asmpvlconfig.yaml")
	d.key("enter")
	d.waitFor("writing the file failed", "file: ")
	d.key("esc")
	d.waitFor("step 6 of 9")
	d.key("q")
	d.drain()
	if !d.quit {
		t.Fatalf("q did not quit:\n%s", d.screen())
	}
	err := d.m.(wizard.Model).Err()
	if errors.Is(err, wizard.ErrCancelled) || !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Err() = %v, want the failed write", err)
	}
	if code := cmdutil.CodeOf(err); code != cmdutil.ExitError {
		t.Errorf("exit code %d, want %d", code, cmdutil.ExitError)
	}
}

// TestFlowEscOnTheActionStepGoesBackToTheReview: nothing is applied yet,
// so esc returns to the review, and the action step is reached again.
func TestFlowEscOnTheActionStepGoesBackToTheReview(t *testing.T) {
	d, env := start(t, "demo", false, 160, 60)
	toReview(d)
	d.key("enter")
	d.waitFor("step 6 of 9", "esc back")
	d.key("esc")
	d.waitFor("step 5 of 9", "+  - clusterId: "+shopProd)
	d.key("enter")
	d.waitFor("step 6 of 9", "apply it to the ASM instance")
	kc, _ := env.Kube(t.Context(), meshProd)
	if live, err := kc.Get(t.Context()); err != nil || live != nil {
		t.Errorf("going back changed the mesh's API server: %+v, %v", live, err)
	}
}
