package flow

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/spec"
)

// The codes of diagnoses from an observed status, PVL200 to PVL299. They
// follow the troubleshooting table of the PrivateLink guide, naming the
// cause that was observed.
const (
	CodeProvisioning    spec.Code = "PVL200"
	CodeZoneMismatch    spec.Code = "PVL201"
	CodePrivateLinkOff  spec.Code = "PVL202"
	CodeQuota           spec.Code = "PVL203"
	CodeSANMissing      spec.Code = "PVL204"
	CodeClusterNotReady spec.Code = "PVL205"
	CodeUnknownID       spec.Code = "PVL206"
	CodeStateMismatch   spec.Code = "PVL207"
	CodeStaleStatus     spec.Code = "PVL208"
	CodeStaleMeshError  spec.Code = "PVL209"
)

// DiagnosisInfo describes a diagnosis code for the documentation.
type DiagnosisInfo struct {
	Code     spec.Code     `json:"code"`
	Severity spec.Severity `json:"severity"`
	// Symptom is what was observed, Cause what it means.
	Symptom string `json:"symptom"`
	Cause   string `json:"cause"`
	Hint    string `json:"hint"`
}

// DiagnosisCodes is the one table of diagnosis codes, in code order;
// diagnoses take their severity and hint from it.
var DiagnosisCodes = []DiagnosisInfo{
	{CodeProvisioning, spec.Info, "status is not Available and the endpoints are still being created or connected",
		"ASM is still provisioning the PrivateLink resources", "wait a few minutes; asmlink waits and says what for"},
	{CodeZoneMismatch, spec.Error, "an endpoint's connectionStatus is not Connected",
		"the vSwitch zone IDs are misconfigured", "under ackVpcEndpoint zoneId must be a zone of an ASM vSwitch, under asmVpcEndpoint a zone of the cluster's vSwitch: choose a same-zone pair again"},
	{CodePrivateLinkOff, spec.Error, "an endpoint or endpoint service is not Active",
		"PrivateLink is not activated", "activate PrivateLink, then ASM retries"},
	{CodeQuota, spec.Error, "an endpoint or endpoint service is not Active although PrivateLink is activated",
		"the PrivateLink quota may be reached", "check the PrivateLink endpoint quota of the region in the VPC console (Quota Center) and raise it or delete unused endpoints"},
	{CodeSANMissing, spec.Error, "the cluster is not running in the mesh after the links are Available",
		"the link A endpoint domain is not in the ACK API server certificate's SANs", "append the domain to the API server certificate SANs, then wait for the cluster to be running"},
	{CodeClusterNotReady, spec.Warning, "the cluster is not running in the mesh although the domain is in the SANs",
		"the certificate update or the mesh is still in progress, or the cluster has another problem", "wait while the cluster is updating; otherwise read the cluster's error in the mesh"},
	{CodeUnknownID, spec.Error, "status names an endpoint or endpoint service that PrivateLink does not list",
		"the resource was deleted outside ASM, or the status is stale", "re-apply the ASMPvlConfig so ASM recreates the resource, or check it in the PrivateLink console"},
	{CodeStateMismatch, spec.Warning, "status and the PrivateLink APIs report different states",
		"the status has not caught up with PrivateLink yet, or the resource changed outside ASM", "wait for ASM to update the status; if it persists, check the resource in the PrivateLink console"},
	{CodeStaleStatus, spec.Info, "status still lists a cluster that is no longer in the spec",
		"ASM is deleting the removed cluster's endpoints", "wait; the entries disappear once the endpoints are deleted"},
	{CodeStaleMeshError, spec.Info, "the cluster's error in the mesh names an endpoint that no longer exists",
		"the error is stale, from before the links were recreated; the mesh reports the new endpoint once it checks the cluster again", "wait for the mesh to check the cluster again; the current link A endpoint is the one status names"},
}

// Diagnosis is one cause observed in a status, with what to do about it.
type Diagnosis struct {
	Code     spec.Code     `json:"code"`
	Severity spec.Severity `json:"severity"`
	// ClusterID is the cluster concerned, "" for the whole object.
	ClusterID string `json:"clusterId,omitempty"`
	// Link is "A" (ASM to the ACK API server), "B" (ACK to Pilot) or "".
	Link    string `json:"link,omitempty"`
	Message string `json:"message"`
	// Details lists the evidence: each entry that breaks the zone rule,
	// each resource still being created.
	Details []string `json:"details,omitempty"`
	Hint    string   `json:"hint"`
	// DocURL points at the code's section in the documentation.
	DocURL string `json:"docURL"`
	Fix    *Fix   `json:"fix,omitempty"`
	// Wait, when set, says what is being waited for: the cause settles by
	// itself and the caller should keep watching rather than act.
	Wait string `json:"wait,omitempty"`
	// Terminal tells whether only a person can resolve the cause: it is set
	// exactly when Wait is not, so every diagnosis is either transient
	// (waits continue through it) or terminal (a wait ends on it once it
	// has held for the grace period).
	Terminal bool `json:"terminal"`
	// Said is Message as its format and arguments, for screens that say
	// it in another language; empty for a message assembled otherwise.
	Said Said `json:"-"`
}

// Finding returns the diagnosis as a spec.Finding for combined reports.
func (d Diagnosis) Finding() spec.Finding {
	hint := d.Hint
	if d.Fix != nil && d.Fix.Command != "" {
		hint += " Run: " + d.Fix.Command
	}
	return spec.Finding{Code: d.Code, Severity: d.Severity, Message: d.Message, Hint: hint}
}

func newDiagnosis(code spec.Code, clusterID, link, message string, details ...string) Diagnosis {
	i := slices.IndexFunc(DiagnosisCodes, func(d DiagnosisInfo) bool { return d.Code == code })
	if i < 0 {
		panic("flow: diagnosis code " + string(code) + " is not in DiagnosisCodes")
	}
	info := DiagnosisCodes[i]
	return Diagnosis{Code: code, Severity: info.Severity, ClusterID: clusterID, Link: link, Message: message, Details: details,
		Hint: info.Hint, DocURL: DocURL(code)}
}

// sayDiagnosis is newDiagnosis with its message as a format and arguments.
func sayDiagnosis(code spec.Code, clusterID, link, format string, args ...any) Diagnosis {
	s := Said{Format: format, Args: args}
	d := newDiagnosis(code, clusterID, link, s.String())
	d.Said = s
	return d
}

// with is d with details, the evidence.
func (d Diagnosis) with(details ...string) Diagnosis {
	d.Details = details
	return d
}

// Observation is what was observed about a mesh's links, for Diagnose.
type Observation struct {
	// Config is the ASMPvlConfig with its status.
	Config *spec.ASMPvlConfig
	// PrivateLinkListed tells whether EndpointServices and Endpoints were
	// listed; only then are IDs and states cross-checked.
	PrivateLinkListed bool
	EndpointServices  []cloud.EndpointService
	Endpoints         []cloud.Endpoint
	// PrivateLinkActivated is the account's PrivateLink activation.
	PrivateLinkActivated bool
	// MeshClusters is how the mesh sees each of its clusters.
	MeshClusters []cloud.MeshCluster
	// Clusters holds the clusters' details (DescribeClusterDetail, with
	// ExtraSANs) for the SAN diagnosis; a cluster missing here is
	// diagnosed without knowing its SANs.
	Clusters []cloud.Cluster
	// Facts are the cloud's facts (BuildFacts), to name the entry that
	// breaks the zone rule; nil skips that.
	Facts *spec.Facts
	// MeshID and API make the fixes; API may be nil.
	MeshID string
	API    cloud.API
}

// Diagnose names the causes observed in a status, following the guide's
// troubleshooting table: still provisioning (wait, naming what for); a
// connection that is not Connected (naming the entry that breaks the zone
// rule); an endpoint or endpoint service that is not Active (PrivateLink
// not activated, or the quota); a cluster not running after Available
// (the SAN, naming the domain). It also cross-checks the status with the
// PrivateLink APIs. It returns nothing when all is well.
func Diagnose(o Observation) []Diagnosis {
	if o.Config == nil {
		return nil
	}
	view := Links(o.Config, o.EndpointServices, o.Endpoints, o.MeshClusters)
	zoneErrors := o.zoneErrors()
	var out, waits []Diagnosis
	var waitFor []string
	plOff := false
	for _, c := range view.Clusters {
		if !c.InSpec {
			waits = append(waits, sayDiagnosis(CodeStaleStatus, c.ClusterID, "",
				"status still lists cluster %s, which the spec no longer has", c.ClusterID))
			waits[len(waits)-1].Wait = "ASM to delete the endpoints of cluster " + c.ClusterID
			continue
		}
		for _, l := range c.ends() {
			ds, pending := o.diagnoseLink(view.Status, c.ClusterID, l.name, l.end, zoneErrors[c.ClusterID], &plOff)
			out = append(out, ds...)
			waitFor = append(waitFor, pending...)
		}
		stale, isStale := o.staleMeshError(c)
		if d, ok := o.diagnoseSAN(view, c); ok {
			if isStale && d.Code == CodeClusterNotReady {
				// The error is not about the endpoint in use now.
				d.Wait = stale.Wait
			}
			out = append(out, d)
		}
		if isStale {
			out = append(out, stale)
		}
	}
	if view.Status != spec.StatusAvailable && len(waitFor) > 0 {
		d := sayDiagnosis(CodeProvisioning, "", "", "status is %s: ASM is still provisioning the PrivateLink resources", orUnknown(view.Status)).with(waitFor...)
		d.Wait = strings.Join(waitFor, "; ")
		waits = append([]Diagnosis{d}, waits...)
	}
	out = append(out, waits...)
	for i := range out {
		out[i].Terminal = out[i].Wait == ""
	}
	return out
}

// zoneErrors returns, per cluster, the findings of spec.Validate with facts
// that break the zone rule or name a vSwitch of the wrong VPC, in the
// cluster's entry or in the ASM vSwitches.
func (o Observation) zoneErrors() map[string][]string {
	out := map[string][]string{}
	if o.Facts == nil {
		return out
	}
	findings := spec.Validate(o.Config, o.Facts)
	var asm []string
	for _, v := range o.Config.Spec.AsmVpcEndpoint.VSwitches {
		asm = append(asm, v.VSwitchID)
	}
	for _, e := range o.Config.Spec.AckVpcEndpoint {
		for _, f := range relevant(findings, o.Config, e.ClusterID, asm) {
			if f.Severity != spec.Info {
				out[e.ClusterID] = append(out[e.ClusterID], f.String())
			}
		}
	}
	return out
}

// diagnoseLink diagnoses one link and returns what it still waits for.
func (o Observation) diagnoseLink(status, clusterID, link string, l LinkEnd, zoneErrs []string, plOff *bool) (out []Diagnosis, pending []string) {
	where := fmt.Sprintf("cluster %s link %s", clusterID, link)
	if !l.Reported() {
		if !o.PrivateLinkActivated && !*plOff {
			*plOff = true
			out = append(out, o.privateLinkOff(clusterID, link, where+": nothing reported yet"))
		}
		return out, []string{where + ": endpoint and endpoint service not reported yet"}
	}
	var inactive []string
	for _, r := range []struct{ kind, id, state string }{{"endpoint service", l.ServiceID, l.ServiceStatus}, {"endpoint", l.EndpointID, l.EndpointStatus}} {
		switch {
		case r.state == spec.StateActive:
		case slices.Contains(transitionalResource, r.state) && o.PrivateLinkActivated:
			pending = append(pending, fmt.Sprintf("%s: %s %s %s", where, r.kind, orUnknown(r.id), orUnknown(r.state)))
		default:
			inactive = append(inactive, fmt.Sprintf("%s %s is %s", r.kind, orUnknown(r.id), orUnknown(r.state)))
		}
	}
	if len(inactive) > 0 {
		if !o.PrivateLinkActivated {
			if !*plOff {
				*plOff = true
				out = append(out, o.privateLinkOff(clusterID, link, where+": "+strings.Join(inactive, ", ")))
			}
		} else {
			d := newDiagnosis(CodeQuota, clusterID, link,
				fmt.Sprintf("%s: %s although PrivateLink is activated: the endpoint quota may be reached", where, strings.Join(inactive, ", ")))
			d.Fix = &Fix{Description: "count the region's endpoints to compare with the quota", Command: "aliyun privatelink ListVpcEndpoints --MaxResults 1000"}
			out = append(out, d)
		}
	}
	if l.EndpointStatus == spec.StateActive && l.ConnectionStatus != spec.ConnectionHealthy {
		switch {
		case len(zoneErrs) > 0:
			out = append(out, newDiagnosis(CodeZoneMismatch, clusterID, link,
				fmt.Sprintf("%s: connection is %s because the zone IDs break the zone rule", where, orUnknown(l.ConnectionStatus)), zoneErrs...))
		case status != spec.StatusAvailable && slices.Contains(transitionalConnection, l.ConnectionStatus):
			pending = append(pending, fmt.Sprintf("%s: endpoint %s connection %s", where, l.EndpointID, orUnknown(l.ConnectionStatus)))
		default:
			msg := fmt.Sprintf("%s: connection is %s", where, orUnknown(l.ConnectionStatus))
			if o.Facts != nil {
				msg += "; the zone IDs follow the zone rule by the cloud's listing, so check the endpoint's zones in the PrivateLink console"
			} else {
				msg += "; the zone IDs may be misconfigured"
			}
			out = append(out, newDiagnosis(CodeZoneMismatch, clusterID, link, msg))
		}
	}
	if o.PrivateLinkListed {
		out = append(out, crossCheck(clusterID, link, l)...)
	}
	return out, pending
}

func (o Observation) privateLinkOff(clusterID, link, observed string) Diagnosis {
	d := newDiagnosis(CodePrivateLinkOff, clusterID, link, "PrivateLink is not activated for this account ("+observed+")")
	d.Fix = &Fix{Description: "activate PrivateLink for the account", Command: "aliyun privatelink OpenPrivateLinkService", Mutating: true}
	if o.API != nil {
		d.Fix.Apply = o.API.ActivatePrivateLink
	}
	return d
}

// crossCheck compares what status says with what the PrivateLink APIs list.
func crossCheck(clusterID, link string, l LinkEnd) []Diagnosis {
	var out []Diagnosis
	where := Ref{Kind: "cluster", ID: clusterID, Link: link}
	if l.EndpointID != "" && !l.EndpointListed {
		out = append(out, sayDiagnosis(CodeUnknownID, clusterID, link, "%s: status names endpoint %s, which PrivateLink does not list", where, l.EndpointID))
	}
	if l.ServiceID != "" && !l.ServiceListed {
		out = append(out, sayDiagnosis(CodeUnknownID, clusterID, link, "%s: status names endpoint service %s, which PrivateLink does not list", where, l.ServiceID))
	}
	var diffs []string
	if l.EndpointListed && l.APIEndpointStatus != l.EndpointStatus {
		diffs = append(diffs, fmt.Sprintf("endpoint %s: status says %s, PrivateLink says %s", l.EndpointID, orUnknown(l.EndpointStatus), orUnknown(l.APIEndpointStatus)))
	}
	if l.EndpointListed && l.APIConnectionStatus != l.ConnectionStatus {
		diffs = append(diffs, fmt.Sprintf("endpoint %s connection: status says %s, PrivateLink says %s", l.EndpointID, orUnknown(l.ConnectionStatus), orUnknown(l.APIConnectionStatus)))
	}
	if l.ServiceListed && l.APIServiceStatus != l.ServiceStatus {
		diffs = append(diffs, fmt.Sprintf("endpoint service %s: status says %s, PrivateLink says %s", l.ServiceID, orUnknown(l.ServiceStatus), orUnknown(l.APIServiceStatus)))
	}
	if len(diffs) > 0 {
		d := sayDiagnosis(CodeStateMismatch, clusterID, link, "%s: status and PrivateLink disagree", where).with(diffs...)
		// PrivateLink on its way to the good state settles; a state it
		// does not leave (e.g. Deleting outside ASM) needs a person.
		if !slices.ContainsFunc(l.Failures(), func(f string) bool { return strings.HasSuffix(f, "(PrivateLink)") }) {
			d.Wait = fmt.Sprintf("status and PrivateLink to agree on cluster %s link %s", clusterID, link)
		}
		out = append(out, d)
	}
	return out
}

// diagnoseSAN diagnoses a cluster that is not running in the mesh once its
// link A works: the SAN is missing, or the cluster is still updating.
func (o Observation) diagnoseSAN(view LinkView, c ClusterLinks) (Diagnosis, bool) {
	if view.Status != spec.StatusAvailable || !c.A.Healthy() || c.MeshState == "" || c.MeshState == "running" {
		return Diagnosis{}, false
	}
	i := slices.IndexFunc(o.Clusters, func(x cloud.Cluster) bool { return x.ID == c.ClusterID })
	if i < 0 {
		d := sayDiagnosis(CodeSANMissing, c.ClusterID, "A",
			"cluster %s is %s in the mesh after the links are Available: domain %s is probably not in its API server certificate's SANs", c.ClusterID, c.MeshState, c.A.Domain)
		d.Fix = sanFix(o.API, c.ClusterID, c.A.Domain)
		return d, true
	}
	cluster := o.Clusters[i]
	if domain, needed := SANNeeded(cluster, o.Config); needed {
		d := sayDiagnosis(CodeSANMissing, c.ClusterID, "A",
			"cluster %s is %s in the mesh: domain %s is not in its API server certificate's SANs", c.ClusterID, c.MeshState, domain)
		if c.MeshError != "" {
			d.Details = []string{c.MeshError}
		}
		d.Fix = sanFix(o.API, c.ClusterID, domain)
		if slices.Contains(transientStates, cluster.State) {
			// A SAN change shows in the detail only once the update ends.
			d.Wait = fmt.Sprintf("cluster %s to finish updating (ACK %s); a SAN change takes effect when it is running", c.ClusterID, cluster.State)
		}
		return d, true
	}
	d := sayDiagnosis(CodeClusterNotReady, c.ClusterID, "",
		"cluster %s is %s in the mesh although domain %s is in its SANs (cluster state %s)", c.ClusterID, c.MeshState, c.A.Domain, cluster.State)
	if c.MeshError != "" {
		d.Details = []string{c.MeshError}
	}
	switch {
	case cluster.State != "running" || slices.Contains(transientStates, c.MeshState):
		d.Wait = fmt.Sprintf("cluster %s to be running (ACK %s, mesh %s)", c.ClusterID, cluster.State, c.MeshState)
	case strings.Contains(c.MeshError, "x509") && strings.Contains(c.MeshError, "not "+c.A.Domain):
		// The error predates the certificate that now holds the domain.
		d.Wait = fmt.Sprintf("the mesh to check cluster %s again with its new certificate", c.ClusterID)
	}
	return d, true
}

// sanFix appends a domain to a cluster's API server certificate SANs.
func sanFix(api cloud.API, clusterID, domain string) *Fix {
	f := fixf("append %s to the API server certificate SANs of cluster %s", domain, clusterID)
	f.Command = fmt.Sprintf(`aliyun cs PUT /api/v2/clusters/%s --header "Content-Type=application/json" --body '{"api_server_custom_cert_sans":{"action":"append","subject_alternative_names":["%s"]}}'`,
		clusterID, domain)
	f.Mutating = true
	if api != nil {
		f.Apply = func(ctx context.Context) error { return api.AppendSANs(ctx, clusterID, []string{domain}) }
	}
	return f
}

// endpointIDPattern matches a PrivateLink endpoint ID inside a message,
// such as the domain in an x509 error (ep-<id>.epsrv-<id>.<region>...).
var endpointIDPattern = regexp.MustCompile(`\bep-[0-9a-z]+\b`)

// staleMeshError names a cluster's error in the mesh as stale when it
// names an endpoint that is neither the link A endpoint status reports
// now nor one PrivateLink lists: after a delete and a re-apply the mesh
// keeps the old endpoint's error until it checks the cluster again.
func (o Observation) staleMeshError(c ClusterLinks) (Diagnosis, bool) {
	if c.MeshError == "" || c.MeshState == "running" {
		return Diagnosis{}, false
	}
	for _, id := range endpointIDPattern.FindAllString(c.MeshError, -1) {
		if id == c.A.EndpointID || id == c.B.EndpointID {
			continue
		}
		if o.PrivateLinkListed && slices.ContainsFunc(o.Endpoints, func(e cloud.Endpoint) bool { return e.ID == id }) {
			continue
		}
		now := "ASM reports no link A endpoint yet"
		if c.A.EndpointID != "" {
			now = "link A now uses endpoint " + c.A.EndpointID
		}
		d := sayDiagnosis(CodeStaleMeshError, c.ClusterID, "A",
			"cluster %s: its error in the mesh is stale: it names endpoint %s, which no longer exists (%s)", c.ClusterID, id, now).with(c.MeshError)
		d.Wait = fmt.Sprintf("the mesh to check cluster %s again", c.ClusterID)
		return d, true
	}
	return Diagnosis{}, false
}
