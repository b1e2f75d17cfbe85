package flow

import (
	"testing"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/spec"
)

const domainB = "ep-a.epsrv-a.cn-hangzhou.privatelink.aliyuncs.com"

func configWithStatus() *spec.ASMPvlConfig {
	cfg := fixture().Config
	cfg.Status = healthyStatus()
	return cfg
}

func TestSANNeeded(t *testing.T) {
	cfg := configWithStatus()
	for _, tc := range []struct {
		name       string
		cluster    cloud.Cluster
		cfg        *spec.ASMPvlConfig
		wantDomain string
		wantNeeded bool
	}{
		{"missing", cloud.Cluster{ID: idB, ExtraSANs: []string{"10.0.0.1"}}, cfg, domainB, true},
		{"present, other case", cloud.Cluster{ID: idB, ExtraSANs: []string{"EP-A.EPSRV-A.cn-hangzhou.privatelink.aliyuncs.com"}}, cfg, domainB, false},
		{"no status yet", cloud.Cluster{ID: idB}, fixture().Config, "", false},
		{"no object", cloud.Cluster{ID: idB}, nil, "", false},
		{"other cluster", cloud.Cluster{ID: idA}, cfg, "", false},
	} {
		d, n := SANNeeded(tc.cluster, tc.cfg)
		if d != tc.wantDomain || n != tc.wantNeeded {
			t.Errorf("%s: SANNeeded = %q, %v", tc.name, d, n)
		}
	}
}

func TestDecideSAN(t *testing.T) {
	cfg := configWithStatus()
	running := cloud.MeshCluster{ClusterID: idB, State: "running"}
	for _, tc := range []struct {
		name    string
		cluster cloud.Cluster
		mesh    cloud.MeshCluster
		inMesh  bool
		cfg     *spec.ASMPvlConfig
		want    SANState
	}{
		{"domain not reported", cloud.Cluster{ID: idB, State: "running"}, running, true, fixture().Config, SANWaitDomain},
		{"append", cloud.Cluster{ID: idB, State: "running"}, cloud.MeshCluster{ClusterID: idB, State: "failed"}, true, cfg, SANAppend},
		{"cluster busy before append", cloud.Cluster{ID: idB, State: "scaling"}, running, true, cfg, SANWaitCluster},
		{"cluster updating", cloud.Cluster{ID: idB, State: "updating", ExtraSANs: []string{domainB}}, running, true, cfg, SANWaitCluster},
		{"mesh not yet running", cloud.Cluster{ID: idB, State: "running", ExtraSANs: []string{domainB}}, cloud.MeshCluster{ClusterID: idB, State: "failed", ErrorMessage: "x509"}, true, cfg, SANWaitCluster},
		{"done", cloud.Cluster{ID: idB, State: "running", ExtraSANs: []string{domainB}}, running, true, cfg, SANDone},
		{"cluster failed", cloud.Cluster{ID: idB, State: "failed"}, running, true, cfg, SANFailed},
		{"cluster left the mesh", cloud.Cluster{ID: idB, State: "running", ExtraSANs: []string{domainB}}, cloud.MeshCluster{}, false, cfg, SANFailed},
	} {
		d := DecideSAN(tc.cluster, tc.mesh, tc.inMesh, tc.cfg, nil)
		if d.State != tc.want || d.Message == "" {
			t.Errorf("%s: decision = %+v, want %s", tc.name, d, tc.want)
		}
		if (d.Fix != nil) != (tc.want == SANAppend) {
			t.Errorf("%s: fix = %+v", tc.name, d.Fix)
		}
	}
}
