package wizard_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"

	"github.com/asmlink/asmlink/cloud"
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
	// The summary names the mesh, the cluster, their VPCs and vSwitches
	// beside their IDs.
	d.waitFor("step 9 of 9", "appended ", "applied the ASMPvlConfig to ASM instance mesh-prod ("+meshProd+"); status Available",
		"mesh-prod ("+meshProd+"): VPC ", "shop-prod ("+shopProd+"): VPC ", shopProdJ+") in cn-hangzhou-j")

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
