package flow

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/spec"
)

// The codes of flow's checks, PVL100 to PVL199. A code never changes
// meaning; retired codes are not reused.
const (
	CodeMeshRunning       spec.Code = "PVL100"
	CodeSameRegion        spec.Code = "PVL101"
	CodeDifferentVPC      spec.Code = "PVL102"
	CodeClusterInMesh     spec.Code = "PVL103"
	CodePrivateLinkActive spec.Code = "PVL104"
	CodePrivateLinkZones  spec.Code = "PVL105"
	CodeFreeIPs           spec.Code = "PVL106"
	CodeResourceValid     spec.Code = "PVL107"
	CodeEndpointQuota     spec.Code = "PVL108"

	CodePodOverlap        spec.Code = "PVL120"
	CodePodVPCOverlap     spec.Code = "PVL121"
	CodeServiceOverlap    spec.Code = "PVL122"
	CodeServiceVPCOverlap spec.Code = "PVL123"
	CodeVSwitchOverlap    spec.Code = "PVL124"
	CodeVPCOverlap        spec.Code = "PVL125"
	CodeEdgeReserved      spec.Code = "PVL126"
)

// meshRetry is how long a mesh that is updating is given to settle, e.g.
// right after a cluster was added to it.
const meshRetry = 3 * time.Minute

// catalog is the one table of checks, in the order they run. The
// documentation's code table is generated from it (see Checks).
var catalog []Check

func init() {
	catalog = []Check{
		{Code: CodeMeshRunning, Category: CategoryMesh, Severity: spec.Error, Fatal: true, RetryDeadline: meshRetry,
			Description: "the ASM instance is running",
			Hint:        "wait until the ASM instance is running; if it failed, see its error in the ASM console",
			Run:         checkMeshRunning},
		{Code: CodeSameRegion, Category: CategoryCluster, Severity: spec.Error, Fatal: true,
			Description: "the ACK cluster is in the ASM instance's region",
			Hint:        "PrivateLink connects VPCs of one region: choose a cluster in the mesh's region, or connect other regions with CEN",
			Run:         checkSameRegion},
		{Code: CodeDifferentVPC, Category: CategoryCluster, Severity: spec.Error, Fatal: true,
			Description: "the ACK cluster is in another VPC than the ASM instance",
			Hint:        "a cluster in the mesh's own VPC reaches it directly: add it to the mesh and leave it out of the ASMPvlConfig",
			Run:         checkDifferentVPC},
		{Code: CodeClusterInMesh, Category: CategoryCluster, Severity: spec.Error, DependsOn: []spec.Code{CodeSameRegion, CodeDifferentVPC},
			Description: "the ACK cluster has been added to the ASM instance",
			Hint:        "add the cluster to the ASM instance first; it shows as added before any link exists",
			Run:         checkClusterInMesh},
		{Code: CodePrivateLinkActive, Category: CategoryPrivateLink, Severity: spec.Error,
			Description: "PrivateLink is activated",
			Hint:        "activate PrivateLink once for the account; ASM can then create the endpoints",
			Run:         checkPrivateLinkActive},
		{Code: CodePrivateLinkZones, Category: CategoryVSwitches, Severity: spec.Error, DependsOn: []spec.Code{CodeSameRegion, CodeDifferentVPC},
			Description: "the chosen vSwitches are in zones where PrivateLink is offered",
			Hint:        "choose vSwitches in PrivateLink zones; `aliyun privatelink DescribeZones` lists them",
			Run:         checkPrivateLinkZones},
		{Code: CodeFreeIPs, Category: CategoryVSwitches, Severity: spec.Error, DependsOn: []spec.Code{CodeSameRegion, CodeDifferentVPC},
			Description: "each chosen vSwitch has a free IP address for an endpoint",
			Hint:        "choose another vSwitch in the same zone, or free addresses in this one",
			Run:         checkFreeIPs},
		{Code: CodeResourceValid, Category: CategoryVSwitches, Severity: spec.Error, DependsOn: []spec.Code{CodeSameRegion, CodeDifferentVPC},
			Description: "the cluster's ASMPvlConfig entry follows the zone rule and names vSwitches of the right VPCs",
			Hint:        "pick a pair of vSwitches in one shared zone from the cloud's listing; asmlink fills every zoneId",
			Run:         checkResourceValid},
		{Code: CodeEndpointQuota, Category: CategoryVSwitches, Severity: spec.Error, DependsOn: []spec.Code{CodeSameRegion, CodeDifferentVPC},
			Description: "the PrivateLink quotas leave room for the cluster's two endpoints and its endpoint service",
			Hint:        "delete unused endpoints or raise the quota in Quota Center; when the quota cannot be read this only warns",
			Run:         checkEndpointQuota},
		{Code: CodePodOverlap, Category: CategoryNetwork, Severity: spec.Error,
			Description: "pod CIDRs of the mesh's clusters do not overlap each other",
			Hint:        "clusters of one mesh need distinct pod CIDRs; a cluster's pod CIDR is fixed at creation, so recreate one of them",
			Run:         networkCheck(checkPodOverlap)},
		{Code: CodePodVPCOverlap, Category: CategoryNetwork, Severity: spec.Error,
			Description: "no pod CIDR overlaps a VPC CIDR of the mesh's clusters",
			Hint:        "pod CIDRs must stay out of every cluster VPC's CIDR blocks",
			Run:         networkCheck(checkPodVPCOverlap)},
		{Code: CodeServiceOverlap, Category: CategoryNetwork, Severity: spec.Error,
			Description: "Service CIDRs of the mesh's clusters do not overlap each other",
			Hint:        "clusters of one mesh need distinct Service CIDRs; a Service CIDR is fixed at creation, so recreate one of them",
			Run:         networkCheck(checkServiceOverlap)},
		{Code: CodeServiceVPCOverlap, Category: CategoryNetwork, Severity: spec.Error,
			Description: "no Service CIDR overlaps a VPC CIDR of the mesh's clusters",
			Hint:        "Service CIDRs must stay out of every cluster VPC's CIDR blocks",
			Run:         networkCheck(checkServiceVPCOverlap)},
		{Code: CodeVSwitchOverlap, Category: CategoryNetwork, Severity: spec.Error,
			Description: "no vSwitch CIDR overlaps a pod or Service CIDR of the mesh's clusters",
			Hint:        "vSwitch CIDRs must stay out of every cluster's pod and Service CIDRs",
			Run:         networkCheck(checkVSwitchOverlap)},
		{Code: CodeVPCOverlap, Category: CategoryNetwork, Severity: spec.Error,
			Description: "the VPCs of the mesh's clusters do not overlap each other",
			Hint:        "clusters in different VPCs need VPCs with distinct CIDR blocks",
			Run:         networkCheck(checkVPCOverlap)},
		{Code: CodeEdgeReserved, Category: CategoryNetwork, Severity: spec.Warning,
			Description: "edge clusters keep out of 100.64.0.0/10, used by Alibaba Cloud services",
			Hint:        "edge nodes cannot reach cloud services whose addresses their own networks shadow; move the clashing range out of 100.64.0.0/10",
			Run:         networkCheck(checkEdgeReserved)},
	}
	for i := range catalog {
		catalog[i].DocURL = DocURL(catalog[i].Code)
	}
}

// networkCheck adapts a pure network check to a Check's Run.
func networkCheck(fn func(*Env) Result) func(context.Context, *Env) Result {
	return func(_ context.Context, e *Env) Result { return fn(e) }
}

// Checks returns the whole catalog in run order: the preflight checks of
// one cluster, then the network checks of the whole mesh. The slice is a
// copy; changing it does not change the catalog.
func Checks() []Check { return slices.Clone(catalog) }

// ChecksIn returns the checks of the given categories, in run order, e.g.
// ChecksIn(CategoryNetwork) for a doctor that looks at the whole mesh.
func ChecksIn(categories ...Category) []Check {
	var out []Check
	for _, c := range catalog {
		if slices.Contains(categories, c.Category) {
			out = append(out, c)
		}
	}
	return out
}

// CheckByCode returns the check with the given code.
func CheckByCode(code spec.Code) (Check, bool) {
	i := slices.IndexFunc(catalog, func(c Check) bool { return c.Code == code })
	if i < 0 {
		return Check{}, false
	}
	return catalog[i], true
}

// checkFinding reports a problem found by a check outside a run (for
// example about a pair), with the check's code, severity and hint.
func checkFinding(code spec.Code, message string) spec.Finding {
	c, ok := CheckByCode(code)
	if !ok {
		panic("flow: check code " + string(code) + " is not in the catalog")
	}
	return spec.Finding{Code: code, Severity: c.Severity, Message: message, Hint: c.Hint}
}

// transientStates are mesh states that settle by themselves.
var transientStates = []string{"creating", "pending", "starting", "updating", "upgrading"}

func checkMeshRunning(_ context.Context, e *Env) Result {
	m := e.Mesh
	switch {
	case m.State == "running":
		return passf("ASM instance %s is running", meshLabel(m))
	case slices.Contains(transientStates, m.State):
		r := problemf("ASM instance %s is %s, not running yet", meshLabel(m), m.State)
		r.transient = true
		return r
	case m.State == "":
		return problemf("the state of ASM instance %s is not known", meshLabel(m))
	}
	r := problemf("ASM instance %s is %s, not running", meshLabel(m), m.State)
	if m.ErrorMessage != "" {
		r.Details = []string{m.ErrorMessage}
	}
	return r
}

func meshLabel(m cloud.Mesh) string {
	if m.Name != "" && m.Name != m.ID {
		return m.ID + " (" + m.Name + ")"
	}
	return m.ID
}

// chosenCluster returns the chosen cluster, or the result to report when
// there is none or it is not listed.
func (e *Env) chosenCluster() (cloud.Cluster, *Result) {
	if e.ClusterID == "" {
		r := skip("no ACK cluster is chosen")
		return cloud.Cluster{}, &r
	}
	c, ok := e.cluster(e.ClusterID)
	if !ok {
		r := problemf("ACK cluster %s is not listed by the cloud", e.ClusterID)
		r.Details = []string{"check the cluster ID and that these credentials may list it (`aliyun cs DescribeClustersV1`)"}
		return c, &r
	}
	return c, nil
}

func checkSameRegion(_ context.Context, e *Env) Result {
	c, r := e.chosenCluster()
	if r != nil {
		return *r
	}
	if c.RegionID != e.Mesh.RegionID {
		return problemf("%s is in region %s, but the ASM instance is in %s", clusterRef(c), c.RegionID, e.Mesh.RegionID)
	}
	return passf("%s and the ASM instance are both in %s", clusterRef(c), c.RegionID)
}

func checkDifferentVPC(_ context.Context, e *Env) Result {
	c, r := e.chosenCluster()
	if r != nil {
		return *r
	}
	if c.VpcID == e.Mesh.VpcID {
		return problemf("%s is in the ASM instance's own VPC %s: no PrivateLink is needed", clusterRef(c), c.VpcID)
	}
	return passf("%s is in VPC %s, the ASM instance in VPC %s", clusterRef(c), c.VpcID, e.Mesh.VpcID)
}

func checkClusterInMesh(_ context.Context, e *Env) Result {
	c, r := e.chosenCluster()
	if r != nil {
		return *r
	}
	if mc, ok := e.meshCluster(c.ID); ok {
		return passf("%s is added to the ASM instance (state %s)", clusterRef(c), mc.State)
	}
	if e.inMesh(c.ID) {
		return passf("%s is added to the ASM instance", clusterRef(c))
	}
	res := problemf("%s has not been added to ASM instance %s", clusterRef(c), meshLabel(e.Mesh))
	res.Fix = e.addClusterFix(c.ID)
	return res
}

// addClusterFix adds a cluster to the mesh.
func (e *Env) addClusterFix(clusterID string) *Fix {
	meshID, api := e.Mesh.ID, e.API
	f := fixf("add cluster %s to ASM instance %s and wait until the mesh is running again", clusterID, meshID)
	f.Command = fmt.Sprintf("aliyun servicemesh AddClusterIntoServiceMesh --ServiceMeshId %s --ClusterId %s", meshID, clusterID)
	f.Mutating = true
	if api != nil {
		f.Apply = func(ctx context.Context) error { return AddClusterAndWait(ctx, api, meshID, clusterID) }
	}
	return f
}

func checkPrivateLinkActive(_ context.Context, e *Env) Result {
	if e.PrivateLinkActivated {
		return pass("PrivateLink is activated")
	}
	res := problem("PrivateLink is not activated for this account")
	api := e.API
	res.Fix = &Fix{
		Description: "activate PrivateLink for the account",
		Command:     "aliyun privatelink OpenPrivateLinkService",
		Mutating:    true,
	}
	if api != nil {
		res.Fix.Apply = api.ActivatePrivateLink
	}
	return res
}

// chosenVSwitches returns the vSwitches the checks look at: the chosen
// pair, or else the chosen cluster's entry in the current ASMPvlConfig and
// the ASM vSwitches, as the cloud lists them. IDs the cloud does not list
// are returned in unknown (spec.Validate reports them, PVL030).
func (e *Env) chosenVSwitches() (list []cloud.VSwitch, unknown []string) {
	if e.Pair != nil {
		return []cloud.VSwitch{e.Pair.ASM, e.Pair.ACK}, nil
	}
	if e.Config == nil || e.ClusterID == "" {
		return nil, nil
	}
	en, ok := e.Config.Entry(e.ClusterID)
	if !ok {
		return nil, nil
	}
	for _, v := range append(en.VSwitches, e.Config.Spec.AsmVpcEndpoint.VSwitches...) {
		if vs, ok := e.vswitch(v.VSwitchID); ok {
			list = append(list, vs)
		} else {
			unknown = append(unknown, v.VSwitchID)
		}
	}
	return list, unknown
}

func checkPrivateLinkZones(_ context.Context, e *Env) Result {
	list, _ := e.chosenVSwitches()
	if len(list) == 0 {
		return skip("no vSwitch is chosen")
	}
	var bad []string
	for _, v := range list {
		if !e.privateLinkZone(v.ZoneID) {
			bad = append(bad, fmt.Sprintf("%s is in zone %s, where PrivateLink is not offered", v.ID, v.ZoneID))
		}
	}
	if len(bad) > 0 {
		zones := make([]string, len(e.PrivateLinkZones))
		for i, z := range e.PrivateLinkZones {
			zones[i] = z.ID
		}
		return problemf("%d vSwitch(es) are in zones without PrivateLink", len(bad)).with(append(bad, "PrivateLink zones: "+strings.Join(zones, ", "))...)
	}
	return passf("all %d vSwitch(es) are in PrivateLink zones", len(list))
}

func checkFreeIPs(_ context.Context, e *Env) Result {
	list, _ := e.chosenVSwitches()
	if len(list) == 0 {
		return skip("no vSwitch is chosen")
	}
	var bad []string
	for _, v := range list {
		if v.FreeIPs <= 0 {
			bad = append(bad, fmt.Sprintf("%s (zone %s, %s) has no free IP address", v.ID, v.ZoneID, v.CIDR))
		}
	}
	if len(bad) > 0 {
		return problemf("%d vSwitch(es) have no free IP address", len(bad)).with(bad...)
	}
	least := slices.MinFunc(list, func(a, b cloud.VSwitch) int { return cmp.Compare(a.FreeIPs, b.FreeIPs) })
	return passf("every vSwitch has free IP addresses (fewest: %d in %s)", least.FreeIPs, least.ID)
}

func checkResourceValid(_ context.Context, e *Env) Result {
	var findings []spec.Finding
	switch {
	case e.Pair != nil:
		findings = e.CheckPair(*e.Pair)
		findings = slices.DeleteFunc(findings, func(f spec.Finding) bool { return f.Code == CodePrivateLinkZones || f.Code == CodeFreeIPs })
	case e.Config != nil && e.ClusterID != "":
		if _, ok := e.Config.Entry(e.ClusterID); !ok {
			return skipf("the ASMPvlConfig has no entry for cluster %s", e.ClusterID)
		}
		var asm []string
		for _, v := range e.Config.Spec.AsmVpcEndpoint.VSwitches {
			asm = append(asm, v.VSwitchID)
		}
		findings = relevant(spec.Validate(e.Config, e.Facts()), e.Config, e.ClusterID, asm)
	default:
		return skip("no vSwitch pair is chosen and the cluster has no ASMPvlConfig entry")
	}
	var details []string
	for _, f := range findings {
		if f.Severity != spec.Info {
			details = append(details, f.String())
		}
	}
	switch {
	case spec.HasErrors(findings):
		return problemf("the ASMPvlConfig entry of cluster %s would not work", e.ClusterID).with(details...)
	case len(details) > 0:
		return say(StatusWarn, "the ASMPvlConfig entry of cluster %s works with warnings", e.ClusterID).with(details...)
	}
	return passf("the ASMPvlConfig entry of cluster %s follows the zone rule", e.ClusterID)
}
