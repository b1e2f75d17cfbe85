package cloud

import (
	"context"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/asmlink/asmlink/cloud/sim"
)

func TestLoadInventory(t *testing.T) {
	srv := startSim(t, "demo", &sim.Faults{Latency: sim.Duration(20 * time.Millisecond)})
	tr := newInFlight(t)
	c := newSimClient(t, srv, func(cfg *Config) {
		cfg.Transport = tr
		cfg.MaxConcurrency = 4
	})
	ctx := context.Background()
	w := srv.World()
	meshID := w.Meshes[0].ID

	inv, err := LoadInventory(ctx, c, meshID)
	if err != nil {
		t.Fatalf("LoadInventory: %v", err)
	}
	if p := tr.peak(); p < 2 || p > 4 {
		t.Errorf("peak calls in flight = %d, want concurrent calls within the limit of 4", p)
	}

	// Every part equals what the single calls return.
	mesh, _ := c.Mesh(ctx, meshID)
	meshes, _ := c.Meshes(ctx)
	inMesh, _ := c.MeshClusters(ctx, meshID)
	addable, _ := c.AddableClusters(ctx, meshID)
	clusters, _ := c.Clusters(ctx)
	vpcs, _ := c.VPCs(ctx)
	zones, _ := c.PrivateLinkZones(ctx)
	on, _ := c.PrivateLinkActivated(ctx)
	if inv.Mesh.ID != mesh.ID || inv.Mesh.VpcID != mesh.VpcID || len(inv.Meshes) != len(meshes) || len(inv.MeshClusters) != len(inMesh) ||
		len(inv.AddableClusters) != len(addable) || len(inv.Clusters) != len(clusters) || len(inv.VPCs) != len(vpcs) ||
		len(inv.PrivateLinkZones) != len(zones) || inv.PrivateLinkActivated != on {
		t.Errorf("inventory differs from the single calls: %+v", inv)
	}

	// vSwitches: the mesh VPC and every candidate cluster's VPC, once each.
	want := map[string]bool{mesh.VpcID: true}
	for _, m := range inMesh {
		want[m.VpcID] = m.RegionID == srv.Region()
	}
	for _, a := range addable {
		want[a.VpcID] = a.RegionID == srv.Region()
	}
	maps.DeleteFunc(want, func(_ string, inRegion bool) bool { return !inRegion })
	if got := slices.Sorted(maps.Keys(inv.VSwitches)); !slices.Equal(got, slices.Sorted(maps.Keys(want))) {
		t.Fatalf("vSwitches loaded for VPCs %v, want %v", got, slices.Sorted(maps.Keys(want)))
	}
	for vpcID, vs := range inv.VSwitches {
		single, err := c.VSwitches(ctx, vpcID)
		if err != nil || len(single) != len(vs) {
			t.Errorf("vSwitches of %s: inventory has %d, single call %d (%v)", vpcID, len(vs), len(single), err)
		}
	}
}

func TestLoadInventoryStopsAtTheFirstFailure(t *testing.T) {
	srv := startSim(t, "demo", nil)
	c := newSimClient(t, srv, nil)
	_, err := LoadInventory(context.Background(), c, "00000000000000000000000000000000")
	if !IsNotFound(err) {
		t.Fatalf("LoadInventory of an unknown mesh: err = %v, want not found", err)
	}
}
