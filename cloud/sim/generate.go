package sim

import (
	"fmt"
	"math/rand/v2"
)

// generate appends the resources the Generate block asks for, in the
// world's default region, deterministically from its seed: VPCs with
// 10.N.0.0/16 CIDRs, vSwitches spread over the VPCs and the region's zones,
// meshes in the first VPCs, and clusters spread over the VPCs with
// non-overlapping pod (172.16.0.0/12) and Service (192.168.0.0/16) CIDRs,
// every other one added to a mesh and every 17th an Edge cluster.
func (w *World) generate() {
	g := w.Generate
	rnd := rand.New(rand.NewPCG(g.Seed, 0x6e6e))
	const alnum = "abcdefghijklmnopqrstuvwxyz0123456789"
	const hex = "0123456789abcdef"
	id := func(prefix, alphabet string, n int) string {
		b := []byte(prefix)
		for range n {
			b = append(b, alphabet[rnd.IntN(len(alphabet))])
		}
		return string(b)
	}
	var zones []string
	for _, r := range w.Regions {
		if r.ID == w.Region {
			for _, z := range r.Zones {
				zones = append(zones, z.ID)
			}
		}
	}
	if len(zones) == 0 || g.VPCs < 1 || g.VPCs > 250 {
		return // validate reports the missing region or zones; VPC counts beyond 10.0.0.0/8 are not generated
	}
	prefix := regionPrefix(w.Region)
	first := len(w.VPCs)
	for i := range g.VPCs {
		w.VPCs = append(w.VPCs, VPC{ID: id("vpc-"+prefix, alnum, 18), Name: fmt.Sprintf("gen-vpc-%02d", i), Region: w.Region, CIDR: fmt.Sprintf("10.%d.0.0/16", i)})
	}
	for i := range min(g.VSwitches, g.VPCs*256) {
		v := &w.VPCs[first+i%g.VPCs]
		k := len(v.VSwitches)
		free := int64(rnd.IntN(252))
		if rnd.IntN(20) == 0 {
			free = 0
		}
		v.VSwitches = append(v.VSwitches, VSwitch{ID: id("vsw-"+prefix, alnum, 18), Name: fmt.Sprintf("%s-vsw-%02d", v.Name, k),
			Zone: zones[(i/g.VPCs)%len(zones)], CIDR: fmt.Sprintf("10.%d.%d.0/24", i%g.VPCs, k), FreeIPs: free})
	}
	firstMesh := len(w.Meshes)
	for i := range min(g.Meshes, g.VPCs) {
		v := &w.VPCs[first+i]
		m := Mesh{ID: id("", hex, 32), Name: fmt.Sprintf("gen-mesh-%d", i), Region: w.Region, VPC: v.ID,
			SecurityGroup: id("sg-"+prefix, alnum, 17), APIServer: fmt.Sprintf("https://10.%d.0.10:6443", i),
			Pilot: fmt.Sprintf("10.%d.0.11:15011", i), APIServerLB: id("lb-"+prefix, alnum, 17), PilotLB: id("lb-"+prefix, alnum, 17)}
		if len(v.VSwitches) > 0 {
			m.VSwitches = []string{v.VSwitches[0].ID}
		}
		w.Meshes = append(w.Meshes, m)
	}
	meshes := len(w.Meshes) - firstMesh
	for i := range min(g.Clusters, 512) {
		v := &w.VPCs[first+i%g.VPCs]
		if len(v.VSwitches) == 0 {
			continue
		}
		c := Cluster{ID: id("c", hex, 32), Name: fmt.Sprintf("gen-cluster-%03d", i), Region: w.Region, VPC: v.ID,
			VSwitches: []string{v.VSwitches[0].ID}, SecurityGroup: id("sg-"+prefix, alnum, 17),
			PodCIDR: fmt.Sprintf("172.%d.%d.0/21", 16+i/32, (i%32)*8), ServiceCIDR: fmt.Sprintf("192.168.%d.%d/25", i/2, (i%2)*128),
			APIServer: fmt.Sprintf("https://10.%d.%d.%d:6443", i%g.VPCs, 0, 20+i/g.VPCs), APIServerLB: id("lb-"+prefix, alnum, 17)}
		if len(v.VSwitches) > 1 {
			c.VSwitches = append(c.VSwitches, v.VSwitches[1].ID)
		}
		if i%17 == 16 {
			c.Profile = "Edge"
		}
		w.Clusters = append(w.Clusters, c)
		if meshes > 0 && i%2 == 0 {
			m := &w.Meshes[firstMesh+(i/2)%meshes]
			m.Clusters = append(m.Clusters, c.ID)
		}
	}
}
