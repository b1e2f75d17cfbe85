package flow

import (
	"context"
	"fmt"
	"testing"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/spec"
)

// largeEnv is a mesh with n clusters, each in its own VPC with vsw
// vSwitches over three PrivateLink zones, all connected but the last;
// the mesh's VPC has vsw vSwitches too.
func largeEnv(n, vsw int) *Env {
	zones := []cloud.Zone{{ID: zoneI}, {ID: zoneJ}, {ID: zoneK}}
	env := &Env{Inventory: cloud.Inventory{
		Mesh:                 cloud.Mesh{ID: "m1", RegionID: "cn-hangzhou", State: "running", VpcID: "vpc-mesh"},
		VSwitches:            map[string][]cloud.VSwitch{},
		PrivateLinkActivated: true,
		PrivateLinkZones:     zones,
	}}
	env.VPCs = append(env.VPCs, cloud.VPC{ID: "vpc-mesh", CIDR: "192.168.0.0/16"})
	for j := 0; j < vsw; j++ {
		env.VSwitches["vpc-mesh"] = append(env.VSwitches["vpc-mesh"],
			cloud.VSwitch{ID: fmt.Sprintf("vsw-mesh%d", j), VpcID: "vpc-mesh", ZoneID: zones[j%3].ID, CIDR: fmt.Sprintf("192.168.%d.0/24", j), FreeIPs: int64(100 + j)})
	}
	cfg := spec.New()
	cfg.Spec.AsmVpcEndpoint.VSwitches = []spec.VSwitch{{VSwitchID: "vsw-mesh0", ZoneID: zoneI}}
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("c%032x", i)
		vpc := fmt.Sprintf("vpc-%d", i)
		env.Mesh.ClusterIDs = append(env.Mesh.ClusterIDs, id)
		env.MeshClusters = append(env.MeshClusters, cloud.MeshCluster{ClusterID: id, VpcID: vpc, State: "running"})
		env.Clusters = append(env.Clusters, cloud.Cluster{ID: id, Name: fmt.Sprintf("cluster-%d", i), RegionID: "cn-hangzhou", VpcID: vpc,
			PodCIDR: fmt.Sprintf("172.%d.%d.0/24", 16+i/256, i%256), ServiceCIDR: fmt.Sprintf("100.%d.%d.0/24", 64+i/256, i%256)})
		env.VPCs = append(env.VPCs, cloud.VPC{ID: vpc, CIDR: fmt.Sprintf("10.%d.%d.0/24", i/256, i%256)})
		for j := 0; j < vsw; j++ {
			env.VSwitches[vpc] = append(env.VSwitches[vpc], cloud.VSwitch{ID: fmt.Sprintf("vsw-%dx%d", i, j), VpcID: vpc, ZoneID: zones[j%3].ID,
				CIDR: fmt.Sprintf("10.%d.%d.%d/28", i/256, i%256, 16*j), FreeIPs: int64(10 + j)})
		}
		if i < n-1 {
			cfg.Spec.AckVpcEndpoint = append(cfg.Spec.AckVpcEndpoint, spec.AckVpcEndpoint{ClusterID: id,
				VSwitches: []spec.VSwitch{{VSwitchID: fmt.Sprintf("vsw-%dx0", i), ZoneID: zoneI}}})
		}
	}
	env.Config = cfg
	env.ClusterID = env.Clusters[n-1].ID
	return env
}

// BenchmarkPairing ranks every pair of vsw x vsw vSwitches, each pair
// validated against an ASMPvlConfig of the mesh's other clusters: a
// typical mesh (20 clusters, 6 vSwitches per VPC) and a very large one.
func BenchmarkPairing(b *testing.B) {
	for _, size := range []struct{ clusters, vsw int }{{20, 6}, {200, 10}} {
		b.Run(fmt.Sprintf("clusters=%d/vswitches=%d", size.clusters, size.vsw), func(b *testing.B) {
			env := largeEnv(size.clusters, size.vsw)
			for b.Loop() {
				p, err := env.Pairing()
				if err != nil || len(p.Options) != size.vsw*size.vsw {
					b.Fatalf("options %d, err %v", len(p.Options), err)
				}
			}
		})
	}
}

// BenchmarkCandidates lists 1000 clusters for the picker.
func BenchmarkCandidates(b *testing.B) {
	env := largeEnv(1000, 1)
	b.ResetTimer()
	for b.Loop() {
		if got := Candidates(env); len(got) != 1000 {
			b.Fatal(len(got))
		}
	}
}

// BenchmarkPreflight runs every check for one cluster of a 200-cluster mesh
// with 10 vSwitches per VPC.
func BenchmarkPreflight(b *testing.B) {
	env := largeEnv(200, 10)
	p := Pair{ASM: env.VSwitches["vpc-mesh"][0], ACK: env.VSwitches["vpc-199"][0]}
	env.Pair = &p
	checks := Checks()
	b.ResetTimer()
	for b.Loop() {
		if r := (Runner{}).Run(context.Background(), env, checks); len(Failed(r)) != 0 {
			b.Fatalf("failed: %+v", Failed(r))
		}
	}
}

// BenchmarkLinkState measures one poll of a wait on the links of a mesh
// with 200 connected clusters, all up, PrivateLink listing all 400
// endpoints: the view, the diagnoses and the verdicts a wait computes each
// time. Target: well under a millisecond per cluster, so polling never
// waits on asmlink itself.
func BenchmarkLinkState(b *testing.B) {
	const n = 200
	cfg := spec.New()
	st := &spec.Status{Status: spec.StatusAvailable, Pilot: &spec.PilotLink{PvlEndpointService: &spec.EndpointService{ID: "epsrv-p", Status: spec.StateActive}}}
	o := Observation{PrivateLinkListed: true, PrivateLinkActivated: true, EndpointServices: []cloud.EndpointService{{ID: "epsrv-p", Status: spec.StateActive}}}
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("c%032x", i)
		cfg.Spec.AckVpcEndpoint = append(cfg.Spec.AckVpcEndpoint, spec.AckVpcEndpoint{ClusterID: id, VSwitches: []spec.VSwitch{{VSwitchID: fmt.Sprintf("vsw-%d", i), ZoneID: zoneJ}}})
		a, bID, svc := fmt.Sprintf("ep-a%d", i), fmt.Sprintf("ep-b%d", i), fmt.Sprintf("epsrv-a%d", i)
		domain := a + "." + svc + ".cn-hangzhou.privatelink.aliyuncs.com"
		st.Clusters = append(st.Clusters, spec.ClusterLink{ClusterID: id, PvlEndpoint: &spec.PvlEndpoint{ID: a, Status: spec.StateActive, ConnectionStatus: spec.ConnectionHealthy, DomainName: domain},
			PvlEndpointService: &spec.EndpointService{ID: svc, Status: spec.StateActive}})
		st.Pilot.Clusters = append(st.Pilot.Clusters, spec.ClusterLink{ClusterID: id, PvlEndpoint: &spec.PvlEndpoint{ID: bID, Status: spec.StateActive, ConnectionStatus: spec.ConnectionHealthy}})
		o.EndpointServices = append(o.EndpointServices, cloud.EndpointService{ID: svc, Status: spec.StateActive})
		o.Endpoints = append(o.Endpoints, cloud.Endpoint{ID: a, Status: spec.StateActive, ConnectionStatus: spec.ConnectionHealthy}, cloud.Endpoint{ID: bID, Status: spec.StateActive, ConnectionStatus: spec.ConnectionHealthy})
		o.MeshClusters = append(o.MeshClusters, cloud.MeshCluster{ClusterID: id, State: "running"})
		o.Clusters = append(o.Clusters, cloud.Cluster{ID: id, State: "running", ExtraSANs: []string{domain}})
	}
	cfg.Status = st
	o.Config = cfg
	target := WaitTarget{Mode: WaitRunning}
	b.ReportAllocs()
	for b.Loop() {
		s := NewLinkState(o, "")
		if !s.Reached(target) || len(s.Diagnoses) != 0 {
			b.Fatalf("the healthy mesh is not reached: %v", s.Diagnoses)
		}
	}
}
