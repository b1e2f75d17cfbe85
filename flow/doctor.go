package flow

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/spec"
)

// The categories of the checks only doctor runs: they look at the
// credentials, the ASM instance's API server and the links ASM built,
// which exist only after an apply.
const (
	// CategoryCredentials covers the credentials and region in use; it
	// runs first because every other check needs the cloud.
	CategoryCredentials Category = "credentials"
	// CategoryAPIServer covers the ASM instance's API server: reachable,
	// serving the ASMPvlConfig kind, and the live object's zone rule.
	CategoryAPIServer Category = "apiserver"
	// CategoryLinks covers each cluster's links as ASM reports them,
	// cross-checked with the PrivateLink APIs, the certificate SAN and the
	// cluster's state in the mesh.
	CategoryLinks Category = "links"
)

// The codes of doctor's own checks, PVL140 to PVL149 (PVL147 and PVL148,
// the cloud-side proof, are in proof.go; PVL149, the permission review, in
// access.go).
const (
	CodeCloudAccess     spec.Code = "PVL140"
	CodeAPIServer       spec.Code = "PVL141"
	CodeLiveZoneRule    spec.Code = "PVL142"
	CodeLinksHealthy    spec.Code = "PVL143"
	CodeSANPresent      spec.Code = "PVL144"
	CodeClusterRunning  spec.Code = "PVL145"
	CodeUnconnectedVPCs spec.Code = "PVL146"
)

// Live is what doctor observed beyond the inventory: whether the cloud
// answered, the ASM instance's API server, the links as ASM and PrivateLink
// report them, and CEN. The doctor checks read it from Env.Live.
type Live struct {
	// Identity is who asmlink signs as and in which region; never a secret.
	Identity cloud.Identity
	// CloudErr is why the cloud could not be read (credentials, region,
	// mesh ID); nil when the inventory loaded.
	CloudErr error
	// APIServer is the ASM API server's address, and APIServerErr why it
	// could not be reached or does not serve ASMPvlConfig.
	APIServer    string
	APIServerErr error
	// Observation is the live ASMPvlConfig with what PrivateLink lists and
	// how the mesh sees its clusters; Observation.Config is nil when the
	// object does not exist.
	Observation Observation
	// ObserveErr is why the PrivateLink listing or a cluster's detail could
	// not be read.
	ObserveErr error
	// WithoutCEN lists the clusters of the mesh in other VPCs that CEN does
	// not connect (DescribeCens), and CENErr why that could not be asked.
	WithoutCEN []string
	CENErr     error
	// Proof is what istiod and ASM report about the links from the cloud
	// side (ObserveProof); nil when it was not asked.
	Proof *Proof
	// Access is the API server's answer to the permission review apply
	// runs; nil when it was not asked.
	Access *Access
}

// doctorCatalog holds doctor's own checks. DoctorChecks places them among
// the catalog's.
var doctorCatalog []Check

func init() {
	needCloud := []spec.Code{CodeCloudAccess}
	needServer := []spec.Code{CodeCloudAccess, CodeAPIServer}
	doctorCatalog = []Check{
		{Code: CodeCloudAccess, Category: CategoryCredentials, Severity: spec.Error, Fatal: true,
			Description: "the credentials are accepted and the ASM instance is found in the region",
			Hint:        "check the credentials (--profile, ALIBABA_CLOUD_ACCESS_KEY_ID), the region (--region) and the ASM instance ID (--mesh); `aliyun servicemesh DescribeServiceMeshes` lists the instances",
			Run:         checkCloudAccess},
		{Code: CodeAPIServer, Category: CategoryAPIServer, Severity: spec.Error, Fatal: true, DependsOn: needCloud,
			Description: "the ASM instance's API server is reachable and serves ASMPvlConfig (the CRD is present)",
			Hint:        "use the ASM instance's own kubeconfig (leave --kubeconfig unset to fetch it from ASM; --private-address inside the mesh's VPC) and check that the network reaches it",
			Run:         checkAPIServer},
		{Code: CodeLiveZoneRule, Category: CategoryAPIServer, Severity: spec.Error, DependsOn: needServer,
			Description: "the live ASMPvlConfig follows the zone rule and names vSwitches of the right VPCs",
			Hint:        "re-plan the broken entries from the cloud's listing: `asmlink plan --mesh MESH --cluster CLUSTER`, then apply",
			Run:         checkLiveZoneRule},
		{Code: CodeLinksHealthy, Category: CategoryLinks, Severity: spec.Error, DependsOn: needServer,
			Description: "both links of each cluster are Active and Connected, as ASM reports and PrivateLink lists them",
			Hint:        "follow the diagnosis of each link; `asmlink status --mesh MESH` shows both links",
			Run:         checkLinksHealthy},
		{Code: CodeSANPresent, Category: CategoryLinks, Severity: spec.Error, DependsOn: needServer,
			Description: "each cluster's link A endpoint domain is in its API server certificate's SANs",
			Hint:        "append the domain to the cluster's API server certificate SANs; the mesh reaches the API server by that name",
			Run:         checkSANPresent},
		{Code: CodeClusterRunning, Category: CategoryLinks, Severity: spec.Error, DependsOn: needServer,
			Description: "each connected cluster is running in the mesh",
			Hint:        "read the cluster's error in the mesh; a TLS error names a missing SAN (PVL144)",
			Run:         checkClusterRunning},
		{Code: CodeUnconnectedVPCs, Category: CategoryNetwork, Severity: spec.Error, DependsOn: needServer,
			Description: "every cluster of the mesh in another VPC is connected by PrivateLink or CEN",
			Hint:        "connect the cluster over PrivateLink (`asmlink apply --mesh MESH --cluster CLUSTER`) or attach both VPCs to one CEN instance",
			Run:         checkUnconnectedVPCs},
	}
	doctorCatalog = append(doctorCatalog, proofCatalog...)
	doctorCatalog = append(doctorCatalog, accessCatalog...)
	for i := range doctorCatalog {
		doctorCatalog[i].DocURL = DocURL(doctorCatalog[i].Code)
	}
}

// DoctorChecks returns every check doctor runs, in order: the credentials
// and region, then the catalog's mesh, cluster, PrivateLink and vSwitch
// checks, the API server and the live object, the links, the SAN and the
// cluster in the mesh, and last the network checks and CEN. Every check
// depends on the cloud answering, so a failure there skips the rest. The
// slice and its dependency lists are copies.
func DoctorChecks() []Check {
	var out []Check
	add := func(cs ...Check) {
		for _, c := range cs {
			if c.Code != CodeCloudAccess && !slices.Contains(c.DependsOn, CodeCloudAccess) {
				c.DependsOn = append(slices.Clone(c.DependsOn), CodeCloudAccess)
			}
			out = append(out, c)
		}
	}
	mine := func(cat Category) []Check {
		var cs []Check
		for _, c := range doctorCatalog {
			if c.Category == cat {
				cs = append(cs, c)
			}
		}
		return cs
	}
	add(mine(CategoryCredentials)...)
	add(ChecksIn(CategoryMesh, CategoryCluster, CategoryPrivateLink, CategoryVSwitches)...)
	add(mine(CategoryAPIServer)...)
	add(mine(CategoryLinks)...)
	add(ChecksIn(CategoryNetwork)...)
	add(mine(CategoryNetwork)...)
	return out
}

// Observe gathers what Diagnose and the doctor checks need about the
// links of cfg (nil when the mesh has no ASMPvlConfig): the endpoint
// services of the region, the endpoints in the mesh's VPC and in each
// connected cluster's VPC, and each connected cluster's detail (with its
// certificate SANs), next to the inventory's mesh clusters, PrivateLink
// activation and facts. The listings run at once.
func Observe(ctx context.Context, api cloud.API, env *Env, cfg *spec.ASMPvlConfig) (Observation, error) {
	o := Observation{
		Config: cfg, PrivateLinkActivated: env.PrivateLinkActivated, MeshClusters: env.MeshClusters,
		Facts: env.Facts(), MeshID: env.Mesh.ID, API: api,
	}
	if cfg == nil {
		return o, nil
	}
	vpcs := []string{env.Mesh.VpcID}
	ids := cfg.ClusterIDs()
	for _, id := range ids {
		if c, ok := env.cluster(id); ok && c.VpcID != "" && !slices.Contains(vpcs, c.VpcID) {
			vpcs = append(vpcs, c.VpcID)
		}
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		o.EndpointServices, err = api.EndpointServices(gctx)
		return err
	})
	endpoints := make([][]cloud.Endpoint, len(vpcs))
	for i, vpc := range vpcs {
		g.Go(func() (err error) {
			endpoints[i], err = api.Endpoints(gctx, vpc)
			return err
		})
	}
	details := make([]*cloud.Cluster, len(ids))
	for i, id := range ids {
		g.Go(func() error {
			c, err := api.Cluster(gctx, id)
			var ce *cloud.Error
			if errors.As(err, &ce) && ce.Kind == cloud.KindNotFound {
				return nil // a deleted cluster: diagnosed without its SANs
			}
			details[i] = &c
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return o, err
	}
	// Non-nil, even when empty, so that Links knows PrivateLink was asked.
	o.Endpoints = []cloud.Endpoint{}
	for _, list := range endpoints {
		o.Endpoints = append(o.Endpoints, list...)
	}
	if o.EndpointServices == nil {
		o.EndpointServices = []cloud.EndpointService{}
	}
	for _, d := range details {
		if d != nil {
			o.Clusters = append(o.Clusters, *d)
		}
	}
	o.PrivateLinkListed = true
	return o, nil
}

// live returns the environment's live observation, or the skip result when
// there is none (doctor's checks outside doctor).
func (e *Env) live() (*Live, *Result) {
	if e.Live == nil {
		r := skip("nothing was observed beyond the inventory")
		return nil, &r
	}
	return e.Live, nil
}

func checkCloudAccess(_ context.Context, e *Env) Result {
	l, r := e.live()
	if r != nil {
		return *r
	}
	id := DescribeIdentity(l.Identity)
	if l.CloudErr != nil {
		return problemf("the cloud could not be read (%s): %v", id, l.CloudErr)
	}
	return passf("%s; ASM instance %s found", id, meshLabel(e.Mesh))
}

// DescribeIdentity names the credential provider, profile, region and
// endpoint override in use, never a secret, so every command can say
// which account and region it acts on.
func DescribeIdentity(id cloud.Identity) string {
	var parts []string
	for _, p := range IdentityParts(id) {
		parts = append(parts, p.String())
	}
	return strings.Join(parts, ", ")
}

// IdentityParts are what DescribeIdentity lists, each a whole phrase:
// the credentials (with the profile), the region (with where it came
// from), the endpoint override; one phrase saying so when none resolved.
func IdentityParts(id cloud.Identity) []Said {
	var parts []Said
	switch {
	case id.Provider != "" && id.Profile != "":
		parts = append(parts, Said{"credentials from %s (profile %s)", []any{id.Provider, id.Profile}})
	case id.Provider != "":
		parts = append(parts, Said{"credentials from %s", []any{id.Provider}})
	}
	switch {
	case id.Region != "" && id.RegionFrom != "":
		parts = append(parts, Said{"region %s (from %s)", []any{id.Region, id.RegionFrom}})
	case id.Region != "":
		parts = append(parts, Said{"region %s", []any{id.Region}})
	}
	if id.Endpoint != "" {
		parts = append(parts, Said{"endpoint %s", []any{id.Endpoint}})
	}
	if len(parts) == 0 {
		parts = append(parts, Said{Format: "no credentials or region resolved"})
	}
	return parts
}

func checkAPIServer(_ context.Context, e *Env) Result {
	l, r := e.live()
	if r != nil {
		return *r
	}
	if l.APIServerErr != nil {
		return problem(l.APIServerErr.Error())
	}
	where := "the ASM API server"
	if l.APIServer != "" {
		where += " at " + l.APIServer
	}
	if l.Observation.Config == nil {
		return pass(where + " serves ASMPvlConfig; there is no ASMPvlConfig default yet")
	}
	return passf("%s serves ASMPvlConfig; ASMPvlConfig default connects %d cluster(s)", where, len(l.Observation.Config.Spec.AckVpcEndpoint))
}

// liveConfig returns the live object, or the skip result when there is none.
func (e *Env) liveConfig() (*Live, *spec.ASMPvlConfig, *Result) {
	l, r := e.live()
	if r != nil {
		return nil, nil, r
	}
	if l.Observation.Config == nil || len(l.Observation.Config.Spec.AckVpcEndpoint) == 0 {
		s := skip("no cluster is connected over PrivateLink yet")
		return nil, nil, &s
	}
	return l, l.Observation.Config, nil
}

func checkLiveZoneRule(_ context.Context, e *Env) Result {
	_, cfg, r := e.liveConfig()
	if r != nil {
		return *r
	}
	findings := spec.Validate(cfg, e.Facts())
	var details []string
	for _, f := range findings {
		if f.Severity != spec.Info {
			details = append(details, f.String())
		}
	}
	switch {
	case spec.HasErrors(findings):
		return problemf("the live ASMPvlConfig breaks the rules ASM relies on (%d finding(s))", len(details)).with(details...)
	case len(details) > 0:
		return Result{Status: StatusWarn, Message: "the live ASMPvlConfig follows the zone rule, with warnings", Details: details}
	}
	return passf("the live ASMPvlConfig follows the zone rule for all %d cluster(s)", len(cfg.Spec.AckVpcEndpoint))
}

// linkCodes are the diagnoses about the links themselves; the SAN and the
// cluster in the mesh have checks of their own.
var linkCodes = []spec.Code{CodeProvisioning, CodeZoneMismatch, CodePrivateLinkOff, CodeQuota, CodeUnknownID, CodeStateMismatch, CodeStaleStatus}

// observed returns the live observation narrowed to the chosen cluster,
// if any, or the skip result when nothing is connected.
func (e *Env) observed() (Observation, *Result) {
	l, cfg, r := e.liveConfig()
	if r != nil {
		return Observation{}, r
	}
	if e.ClusterID != "" {
		if _, ok := cfg.Entry(e.ClusterID); !ok {
			s := skipf("cluster %s has no ASMPvlConfig entry", e.ClusterID)
			return Observation{}, &s
		}
	}
	return l.Observation, nil
}

// concerns tells whether a diagnosis is about the chosen cluster (all are
// when none is chosen).
func (e *Env) concerns(d Diagnosis) bool {
	return e.ClusterID == "" || d.ClusterID == "" || d.ClusterID == e.ClusterID
}

// diagnosisResult turns the diagnoses with the given codes into a result:
// an error fails, a warning or a wait warns, nothing passes with okMsg.
func (e *Env) diagnosisResult(o Observation, codes []spec.Code, okMsg string) Result {
	var errs, warns []string
	var fix *Fix
	for _, d := range Diagnose(o) {
		if !slices.Contains(codes, d.Code) || !e.concerns(d) {
			continue
		}
		line := string(d.Code) + " " + d.Message
		if d.Wait != "" {
			line += " (waiting for " + d.Wait + ")"
		}
		if d.Severity == spec.Error {
			errs = append(errs, line)
			if fix == nil {
				fix = d.Fix
			}
		} else {
			warns = append(warns, line)
		}
	}
	switch {
	case len(errs) > 0:
		r := problemf("%d problem(s) observed", len(errs)).with(append(errs, warns...)...)
		r.Fix = fix
		return r
	case len(warns) > 0:
		return say(StatusWarn, "%d thing(s) still settling", len(warns)).with(warns...)
	}
	return pass(okMsg)
}

func checkLinksHealthy(_ context.Context, e *Env) Result {
	o, r := e.observed()
	if r != nil {
		return *r
	}
	if l := e.Live; l.ObserveErr != nil {
		o.PrivateLinkListed = false
		res := e.diagnosisResult(o, linkCodes, "")
		res.Details = append(res.Details, "PrivateLink could not be listed, so the status was not cross-checked: "+l.ObserveErr.Error())
		if res.Status == StatusPass {
			res.Status, res.Message = StatusWarn, "the status reports both links healthy; PrivateLink could not confirm it"
		}
		return res
	}
	view := Links(o.Config, o.EndpointServices, o.Endpoints, o.MeshClusters)
	n := 0
	for _, c := range view.Clusters {
		if c.InSpec && (e.ClusterID == "" || c.ClusterID == e.ClusterID) {
			n++
		}
	}
	return e.diagnosisResult(o, linkCodes, fmt.Sprintf("both links of %d cluster(s) are Active and Connected, and PrivateLink agrees", n))
}

func checkSANPresent(_ context.Context, e *Env) Result {
	o, r := e.observed()
	if r != nil {
		return *r
	}
	var missing, ok, unknown, obsolete []string
	var fix *Fix
	lacking := 0
	for _, id := range o.Config.ClusterIDs() {
		if e.ClusterID != "" && id != e.ClusterID {
			continue
		}
		i := slices.IndexFunc(o.Clusters, func(c cloud.Cluster) bool { return c.ID == id })
		if i < 0 {
			unknown = append(unknown, "cluster "+id+": its detail could not be read, so its SANs were not checked")
			continue
		}
		c := o.Clusters[i]
		domain, needed := SANNeeded(c, o.Config)
		switch {
		case domain == "":
			unknown = append(unknown, "cluster "+id+": ASM has not reported the link A domain yet")
		case needed && !SANsChangeable(c):
			lacking++
			missing = append(missing, fmt.Sprintf("cluster %s: %s is not in the API server certificate's SANs, and an ACK %s cluster's SANs cannot be changed through the ACK API: reissue the certificate by hand", id, domain, c.ClusterType))
			missing = append(missing, SANNotes(c, o.Config, domain)[0])
		case needed:
			lacking++
			missing = append(missing, fmt.Sprintf("cluster %s: %s is not in the API server certificate's SANs", id, domain))
			missing = append(missing, SANNotes(c, o.Config, domain)...)
			if fix == nil {
				fix = sanFix(e.API, id, domain)
			}
		default:
			ok = append(ok, fmt.Sprintf("cluster %s: %s", id, domain))
			for _, s := range ObsoleteSANs(c, o.Config) {
				obsolete = append(obsolete, fmt.Sprintf("cluster %s: obsolete SAN entry %s names a PrivateLink endpoint that is not its link A endpoint now; it can be removed", id, s))
			}
		}
	}
	switch {
	case len(missing) > 0:
		r := problemf("%d cluster(s) lack the link A domain in their certificate SANs", lacking).with(append(missing, unknown...)...)
		r.Fix = fix
		return r
	case len(ok) == 0:
		return skip("no link A domain is reported yet")
	case len(obsolete) > 0:
		return say(StatusWarn, "the link A domain is in the certificate SANs of %d cluster(s), next to %d obsolete PrivateLink SAN entry(ies)", len(ok), len(obsolete)).with(append(append(obsolete, ok...), unknown...)...)
	}
	return passf("the link A domain is in the certificate SANs of %d cluster(s)", len(ok)).with(append(ok, unknown...)...)
}

func checkClusterRunning(_ context.Context, e *Env) Result {
	o, r := e.observed()
	if r != nil {
		return *r
	}
	var bad, running []string
	for _, id := range o.Config.ClusterIDs() {
		if e.ClusterID != "" && id != e.ClusterID {
			continue
		}
		mc, ok := e.meshCluster(id)
		switch {
		case !ok:
			bad = append(bad, fmt.Sprintf("cluster %s is in the ASMPvlConfig but the mesh does not hold it", id))
		case mc.State != "running":
			line := fmt.Sprintf("cluster %s is %s in the mesh", id, orUnknown(mc.State))
			if mc.ErrorMessage != "" {
				line += ": " + mc.ErrorMessage
			}
			bad = append(bad, line)
		default:
			running = append(running, id)
		}
	}
	if len(bad) > 0 {
		return problemf("%d connected cluster(s) are not running in the mesh", len(bad)).with(bad...)
	}
	return passf("%d connected cluster(s) are running in the mesh", len(running))
}

func checkUnconnectedVPCs(_ context.Context, e *Env) Result {
	l, r := e.live()
	if r != nil {
		return *r
	}
	if l.CENErr != nil {
		return Result{Status: StatusWarn, Message: "CEN could not be asked about the mesh's clusters: " + l.CENErr.Error()}
	}
	var connected []string
	if l.Observation.Config != nil {
		connected = l.Observation.Config.ClusterIDs()
	}
	if !slices.ContainsFunc(e.MeshClusters, func(c cloud.MeshCluster) bool { return c.VpcID != "" && c.VpcID != e.Mesh.VpcID }) {
		return skip("no cluster of the mesh is in another VPC")
	}
	var bad []string
	var fix *Fix
	for _, id := range l.WithoutCEN {
		if slices.Contains(connected, id) {
			continue
		}
		bad = append(bad, fmt.Sprintf("cluster %s is in another VPC than the mesh, with neither PrivateLink nor CEN", id))
		if fix == nil {
			fix = fixf("connect cluster %s to the mesh over PrivateLink", id)
			fix.Command, fix.Mutating = fmt.Sprintf("asmlink apply --mesh %s --cluster %s", e.Mesh.ID, id), true
		}
	}
	if len(bad) > 0 {
		r := problemf("%d cluster(s) of the mesh cannot reach it", len(bad)).with(bad...)
		r.Fix = fix
		return r
	}
	return passf("every cluster of the mesh in another VPC is connected (%d over PrivateLink)", len(connected))
}

// DoctorInput is what the doctor command has connected to before the
// checks run. A connection that failed is recorded, not returned, so that
// its check reports it and the checks that need it are skipped.
type DoctorInput struct {
	// API is the cloud client; nil when it could not be built (CloudErr).
	API      cloud.API
	CloudErr error
	MeshID   string
	// ClusterID narrows the cluster checks to one cluster; "" checks the
	// mesh and every connected cluster.
	ClusterID string
	// Server is the ASM API server's address, ServerErr why it could not be
	// reached, and Config the live ASMPvlConfig read from it (nil when
	// there is none).
	Server    string
	ServerErr error
	Config    *spec.ASMPvlConfig
	// Access is the server's answer to the permission review; nil when
	// the server cannot be asked.
	Access *Access
}

// DoctorEnv loads the inventory of the mesh and observes the links and
// CEN, returning the environment DoctorChecks run against. It never fails:
// each failure is kept in Env.Live for the check that reports it.
func DoctorEnv(ctx context.Context, in DoctorInput) *Env {
	live := &Live{CloudErr: in.CloudErr, APIServer: in.Server, APIServerErr: in.ServerErr, Access: in.Access}
	env := &Env{Inventory: cloud.Inventory{Mesh: cloud.Mesh{ID: in.MeshID}}, ClusterID: in.ClusterID, Live: live}
	if in.API == nil {
		if live.CloudErr == nil {
			live.CloudErr = errors.New("no cloud client")
		}
		return env
	}
	live.Identity = in.API.Identity()
	if live.CloudErr != nil {
		return env
	}
	inv, err := cloud.LoadInventory(ctx, in.API, in.MeshID)
	if err != nil {
		live.CloudErr = err
		return env
	}
	env = NewEnv(inv, in.Config, in.API)
	env.ClusterID, env.Live = in.ClusterID, live
	if in.ServerErr == nil {
		live.Observation, live.ObserveErr = Observe(ctx, in.API, env, in.Config)
		if in.Config != nil {
			p := ObserveProof(ctx, in.API, in.MeshID, in.Config.ClusterIDs())
			live.Proof = &p
		}
	}
	live.WithoutCEN, live.CENErr = in.API.ClustersWithoutCEN(ctx, in.MeshID)
	return env
}

// fixConfirmedBy lists, per check whose fix asmlink runs, the checks that
// must pass before the fix counts as taken effect: appending a SAN shows
// when the cluster runs in the mesh, activating PrivateLink when the links
// come up. A check not listed is confirmed by itself.
var fixConfirmedBy = map[spec.Code][]spec.Code{
	CodeSANPresent:        {CodeSANPresent, CodeClusterRunning},
	CodePrivateLinkActive: {CodePrivateLinkActive, CodeLinksHealthy},
}

// FixesTakenEffect tells whether the fixes of the checks fixed (by code)
// have taken effect in results: every check that confirms them passes or
// only warns. It returns what is still failing, for progress lines.
func FixesTakenEffect(results []Result, fixed []spec.Code) (bool, []string) {
	var want []spec.Code
	for _, c := range fixed {
		confirm, ok := fixConfirmedBy[c]
		if !ok {
			confirm = []spec.Code{c}
		}
		for _, x := range confirm {
			if !slices.Contains(want, x) {
				want = append(want, x)
			}
		}
	}
	var failing []string
	for _, r := range results {
		if r.Status == StatusFail && slices.Contains(want, r.Check.Code) {
			failing = append(failing, string(r.Check.Code)+" "+r.Message)
		}
	}
	return len(failing) == 0, failing
}
