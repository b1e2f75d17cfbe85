package flow

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/spec"
)

// LinkADomain returns the link A endpoint domain ASM reports for a
// cluster (status.clusters[].pvlEndpoint.domainName), "" before it does.
func LinkADomain(cfg *spec.ASMPvlConfig, clusterID string) string {
	if cfg == nil || cfg.Status == nil {
		return ""
	}
	for _, l := range cfg.Status.Clusters {
		if l.ClusterID == clusterID && l.PvlEndpoint != nil {
			return l.PvlEndpoint.DomainName
		}
	}
	return ""
}

// SANNeeded returns the link A endpoint domain of the cluster and whether
// it still has to be added to the API server certificate's SANs: the
// mesh reaches the API server by that name, so TLS fails until it is
// there. cluster must come from the cluster's detail (with ExtraSANs).
// needed is false while ASM has not reported the domain yet.
func SANNeeded(cluster cloud.Cluster, cfg *spec.ASMPvlConfig) (domain string, needed bool) {
	domain = LinkADomain(cfg, cluster.ID)
	if domain == "" {
		return "", false
	}
	has := slices.ContainsFunc(cluster.ExtraSANs, func(s string) bool { return strings.EqualFold(s, domain) })
	return domain, !has
}

// SANState is where the SAN step stands.
type SANState string

// The states of the SAN step.
const (
	// SANWaitDomain: ASM has not reported the link A domain yet.
	SANWaitDomain SANState = "wait-domain"
	// SANAppend: the domain must be appended (with consent).
	SANAppend SANState = "append"
	// SANWaitCluster: the domain is in the SANs and the cluster or the mesh
	// is still settling; keep waiting.
	SANWaitCluster SANState = "wait-cluster"
	// SANDone: the cluster is running and the mesh sees it running.
	SANDone SANState = "done"
	// SANFailed: the cluster ended in a state that waiting will not change.
	SANFailed SANState = "failed"
)

// SANDecision is what to do next in the SAN step, with a one-line reason.
type SANDecision struct {
	State   SANState
	Domain  string
	Message string
	// Fix appends the domain; set only in SANAppend.
	Fix *Fix
	// Notes are what to know before the change (SANNotes): the current
	// SANs, the API server restart, the Terraform line, obsolete entries.
	Notes []string
}

// SANsChangeable tells whether the cluster's API server certificate SANs
// can be changed through the ACK API: only ACK managed clusters
// (ClusterType ManagedKubernetes) take api_server_custom_cert_sans in
// ModifyCluster (ACK API reference, ModifyCluster; the ACK console offers
// "Update certificate SAN" for managed clusters only). "" (not known) is
// assumed changeable, so the API's own answer decides.
func SANsChangeable(c cloud.Cluster) bool {
	return c.ClusterType == "" || c.ClusterType == "ManagedKubernetes"
}

// privateLinkDomain matches a PrivateLink endpoint domain, as ASM's link A
// endpoints have them: ep-<id>[-<zone>].epsrv-<id>.<region>.privatelink.aliyuncs.com.
var privateLinkDomain = regexp.MustCompile(`(?i)^ep-[0-9a-z]+(-[a-z0-9-]+)?\.epsrv-[0-9a-z]+\.[a-z0-9-]+\.privatelink\.aliyuncs\.com$`)

// ObsoleteSANs lists the cluster's SANs that name a PrivateLink endpoint
// other than its link A endpoint now: left over from an earlier
// connection (a delete and re-apply creates a new endpoint and domain).
// They do no harm, but keeping them hides which one is in use.
func ObsoleteSANs(cluster cloud.Cluster, cfg *spec.ASMPvlConfig) []string {
	domain := LinkADomain(cfg, cluster.ID)
	var out []string
	for _, s := range cluster.ExtraSANs {
		if privateLinkDomain.MatchString(s) && !strings.EqualFold(s, domain) {
			out = append(out, s)
		}
	}
	return out
}

// SANNotes says what to know before appending domain to the cluster's
// certificate SANs: the SANs it has now; that the API server restarts to
// take the new certificate (ACK "Update the SAN of the API server
// certificate": the update restarts the API server, connections drop
// briefly); that a cluster managed by Terraform with custom_san
// (alicloud_cs_managed_kubernetes, a comma-separated string the provider
// sends with action overwrite) loses an appended SAN at its next apply,
// with the full line to put there instead; and the obsolete entries it
// leaves out of that line.
func SANNotes(cluster cloud.Cluster, cfg *spec.ASMPvlConfig, domain string) []string {
	current := "none"
	if len(cluster.ExtraSANs) > 0 {
		current = strings.Join(cluster.ExtraSANs, ", ")
	}
	obsolete := ObsoleteSANs(cluster, cfg)
	keep := slices.DeleteFunc(slices.Clone(cluster.ExtraSANs), func(s string) bool { return slices.Contains(obsolete, s) })
	if !slices.ContainsFunc(keep, func(s string) bool { return strings.EqualFold(s, domain) }) {
		keep = append(keep, domain)
	}
	notes := []string{
		"current custom SANs of cluster " + cluster.ID + ": " + current,
		"the API server restarts to take the new certificate; its connections drop for a moment",
		fmt.Sprintf("if Terraform manages this cluster with custom_san, the next terraform apply overwrites the SANs and drops an appended one: set custom_san = %q there instead", strings.Join(keep, ",")),
	}
	for _, o := range obsolete {
		notes = append(notes, "obsolete SAN entry "+o+": it names a PrivateLink endpoint that is not the cluster's link A endpoint now (left out of the Terraform line)")
	}
	return notes
}

// failedClusterStates are ACK cluster states that waiting will not change.
var failedClusterStates = []string{"failed", "deleting", "deleted", "unavailable", "inactive"}

// DecideSAN decides the SAN step from the cluster's detail, how the mesh
// sees it (inMesh false when the mesh does not hold it) and the status:
// append the domain when it is missing; wait while the cluster updates or
// the mesh is not yet running it; done when both say running. api, when
// set, lets the append fix run.
func DecideSAN(cluster cloud.Cluster, meshCluster cloud.MeshCluster, inMesh bool, cfg *spec.ASMPvlConfig, api cloud.API) SANDecision {
	domain, needed := SANNeeded(cluster, cfg)
	switch {
	case domain == "":
		return SANDecision{State: SANWaitDomain, Message: fmt.Sprintf("waiting for ASM to report the link A domain of cluster %s", cluster.ID)}
	case slices.Contains(failedClusterStates, cluster.State):
		return SANDecision{State: SANFailed, Domain: domain, Message: fmt.Sprintf("cluster %s is %s", cluster.ID, cluster.State)}
	case needed && !SANsChangeable(cluster):
		return SANDecision{State: SANFailed, Domain: domain, Notes: SANNotes(cluster, cfg, domain),
			Message: fmt.Sprintf("domain %s is not in the API server certificate SANs of cluster %s, and an ACK %s cluster's SANs cannot be changed through the ACK API: reissue its API server certificate with the domain by hand", domain, cluster.ID, cluster.ClusterType)}
	case needed && cluster.State == "running":
		return SANDecision{State: SANAppend, Domain: domain, Fix: sanFix(api, cluster.ID, domain), Notes: SANNotes(cluster, cfg, domain),
			Message: fmt.Sprintf("domain %s is not in the API server certificate SANs of cluster %s", domain, cluster.ID)}
	case needed:
		return SANDecision{State: SANWaitCluster, Domain: domain,
			Message: fmt.Sprintf("cluster %s is %s; the SANs can be changed once it is running", cluster.ID, cluster.State)}
	case cluster.State != "running":
		return SANDecision{State: SANWaitCluster, Domain: domain,
			Message: fmt.Sprintf("cluster %s is %s, applying the new certificate", cluster.ID, cluster.State)}
	case !inMesh:
		return SANDecision{State: SANFailed, Domain: domain, Message: fmt.Sprintf("cluster %s is not in the mesh any more", cluster.ID)}
	case meshCluster.State != "running":
		msg := fmt.Sprintf("cluster %s is running; the mesh sees it %s", cluster.ID, orUnknown(meshCluster.State))
		if meshCluster.ErrorMessage != "" {
			msg += ": " + meshCluster.ErrorMessage
		}
		return SANDecision{State: SANWaitCluster, Domain: domain, Message: msg}
	}
	return SANDecision{State: SANDone, Domain: domain, Message: fmt.Sprintf("cluster %s is running in the mesh", cluster.ID)}
}
