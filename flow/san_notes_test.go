package flow

import (
	"slices"
	"strings"
	"testing"

	"github.com/asmlink/asmlink/cloud"
)

const oldDomain = "ep-old1.epsrv-old1.cn-hangzhou.privatelink.aliyuncs.com"

// TestSANNotesNameCurrentSANsRestartTerraformAndObsolete: before the SAN
// change a person learns the current SANs, that the API server restarts,
// the full custom_san line for Terraform (without the obsolete entry), and
// which entry is obsolete.
func TestSANNotesNameCurrentSANsRestartTerraformAndObsolete(t *testing.T) {
	o := observation()
	domain := LinkADomain(o.Config, idB)
	c := cloud.Cluster{ID: idB, ClusterType: "ManagedKubernetes", State: "running", ExtraSANs: []string{"api.example.com", oldDomain}}
	if got := ObsoleteSANs(c, o.Config); !slices.Equal(got, []string{oldDomain}) {
		t.Errorf("obsolete = %v, want %s", got, oldDomain)
	}
	notes := strings.Join(SANNotes(c, o.Config, domain), "\n")
	for _, want := range []string{
		"current custom SANs of cluster " + idB + ": api.example.com, " + oldDomain,
		"the API server restarts",
		`set custom_san = "api.example.com,` + domain + `" there instead`,
		"obsolete SAN entry " + oldDomain,
	} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
	d := DecideSAN(c, cloud.MeshCluster{ClusterID: idB, State: "failed"}, true, o.Config, nil)
	if d.State != SANAppend || len(d.Notes) != 4 {
		t.Errorf("decision = %+v, want append with the notes", d)
	}
}

// TestDedicatedClusterSANCannotBeAppended: an ACK dedicated cluster's SANs
// cannot be changed through the ACK API, so the SAN step says so instead
// of offering a fix that would fail.
func TestDedicatedClusterSANCannotBeAppended(t *testing.T) {
	o := observation()
	c := cloud.Cluster{ID: idB, ClusterType: "Kubernetes", State: "running"}
	d := DecideSAN(c, cloud.MeshCluster{ClusterID: idB, State: "failed"}, true, o.Config, nil)
	if d.State != SANFailed || d.Fix != nil || !strings.Contains(d.Message, "cannot be changed through the ACK API") {
		t.Errorf("decision = %+v", d)
	}
}
