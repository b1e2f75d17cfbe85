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
