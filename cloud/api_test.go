package cloud

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/asmlink/asmlink/cloud/sim"
)

// worldCluster returns the world's cluster with the given ID.
func worldCluster(t *testing.T, w *sim.World, id string) sim.Cluster {
	t.Helper()
	for _, c := range w.Clusters {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("world has no cluster %s", id)
	return sim.Cluster{}
}

func sortedIDs[T any](items []T, id func(T) string) []string {
	out := make([]string, 0, len(items))
	for _, it := range items {
		out = append(out, id(it))
	}
	slices.Sort(out)
	return out
}

func TestMeshesAndMeshDetail(t *testing.T) {
	srv := startSim(t, "demo", nil)
	c := newSimClient(t, srv, nil)
	w := srv.World()
	ctx := context.Background()

	meshes, err := c.Meshes(ctx)
	if err != nil {
		t.Fatalf("Meshes: %v", err)
	}
	var want []sim.Mesh
	for _, m := range w.Meshes {
		if m.Region == srv.Region() {
			want = append(want, m)
		}
	}
	if got, exp := sortedIDs(meshes, func(m Mesh) string { return m.ID }), sortedIDs(want, func(m sim.Mesh) string { return m.ID }); !slices.Equal(got, exp) {
		t.Fatalf("Meshes = %v, want %v", got, exp)
	}

	wm := w.Meshes[0]
	m, err := c.Mesh(ctx, wm.ID)
	if err != nil {
		t.Fatalf("Mesh: %v", err)
	}
	if m.ID != wm.ID || m.Name != wm.Name || m.VpcID != wm.VPC || !slices.Equal(m.VSwitchIDs, wm.VSwitches) ||
		m.State != wm.State || m.Profile != wm.Profile || m.Version != wm.Version || m.SecurityGroupID != wm.SecurityGroup {
		t.Errorf("Mesh = %+v, want the world's %+v", m, wm)
	}
	if m.Endpoints.IntranetAPIServer != wm.APIServer || m.Endpoints.PublicAPIServer != wm.PublicAPIServer || m.Endpoints.IntranetPilot != wm.Pilot {
		t.Errorf("Mesh endpoints = %+v, want API server %s / %s, Pilot %s", m.Endpoints, wm.APIServer, wm.PublicAPIServer, wm.Pilot)
	}
	if !slices.Equal(m.ClusterIDs, wm.Clusters) {
		t.Errorf("Mesh clusters = %v, want %v", m.ClusterIDs, wm.Clusters)
	}

	_, err = c.Mesh(ctx, "00000000000000000000000000000000")
	if !IsNotFound(err) {
		t.Fatalf("Mesh of an unknown ID: err = %v, want not found", err)
	}
	if e := err.(*Error); e.RequestID == "" || e.API != "servicemesh.DescribeServiceMeshDetail" {
		t.Errorf("not-found error lacks the request ID or API: %+v", e)
	}
}

func TestMeshClustersAddableAndCEN(t *testing.T) {
	srv := startSim(t, "demo", nil)
	c := newSimClient(t, srv, nil)
	w := srv.World()
	ctx := context.Background()
	wm := w.Meshes[0]

	in, err := c.MeshClusters(ctx, wm.ID)
	if err != nil {
		t.Fatalf("MeshClusters: %v", err)
	}
	if got := sortedIDs(in, func(m MeshCluster) string { return m.ClusterID }); !slices.Equal(got, slices.Sorted(slices.Values(wm.Clusters))) {
		t.Fatalf("MeshClusters = %v, want %v", got, wm.Clusters)
	}
	for _, mc := range in {
		wc := worldCluster(t, w, mc.ClusterID)
		if mc.VpcID != wc.VPC || mc.Name != wc.Name || mc.State == "" {
			t.Errorf("mesh cluster %+v does not match the world's %+v", mc, wc)
		}
	}

	addable, err := c.AddableClusters(ctx, wm.ID)
	if err != nil {
		t.Fatalf("AddableClusters: %v", err)
	}
	var notIn []string
	for _, wc := range w.Clusters {
		if !slices.Contains(wm.Clusters, wc.ID) && wc.Region == wm.Region {
			notIn = append(notIn, wc.ID)
		}
	}
	slices.Sort(notIn)
	if got := sortedIDs(addable, func(a AddableCluster) string { return a.ClusterID }); !slices.Equal(got, notIn) {
		t.Fatalf("AddableClusters = %v, want the clusters not in the mesh %v", got, notIn)
	}
	for _, a := range addable {
		if (a.ForbiddenFlag == ForbiddenCIDR) != (len(a.CIDRConflicts) > 0) {
			t.Errorf("addable cluster %s: ForbiddenFlag %d with CIDR conflicts %v", a.ClusterID, a.ForbiddenFlag, a.CIDRConflicts)
		}
		if a.VpcID != worldCluster(t, w, a.ClusterID).VPC {
			t.Errorf("addable cluster %s has VPC %s", a.ClusterID, a.VpcID)
		}
	}

	withoutCEN, err := c.ClustersWithoutCEN(ctx, wm.ID)
	if err != nil {
		t.Fatalf("ClustersWithoutCEN: %v", err)
	}
	for _, id := range withoutCEN {
		if !slices.Contains(wm.Clusters, id) {
			t.Errorf("ClustersWithoutCEN names %s, which is not in the mesh", id)
		}
		if worldCluster(t, w, id).VPC == wm.VPC {
			t.Errorf("ClustersWithoutCEN names %s, which is in the mesh's own VPC", id)
		}
	}
}

func TestMeshKubeconfig(t *testing.T) {
	srv := startSim(t, "demo", nil)
	c := newSimClient(t, srv, nil)
	wm := srv.World().Meshes[0]
	for _, private := range []bool{true, false} {
		kc, err := c.MeshKubeconfig(context.Background(), wm.ID, private)
		if err != nil {
			t.Fatalf("MeshKubeconfig(private=%v): %v", private, err)
		}
		want := wm.PublicAPIServer
		if private {
			want = wm.APIServer
		}
		if !strings.Contains(string(kc), "API server would be "+want) {
			t.Errorf("kubeconfig (private=%v) does not name %s:\n%s", private, want, kc)
		}
		// Nothing may leave this machine: the server is the simulator's own
		// API of the mesh, on loopback.
		if !strings.Contains(string(kc), "server: https://127.0.0.1:") || !strings.Contains(string(kc), "/meshes/"+wm.ID+"\n") {
			t.Errorf("kubeconfig (private=%v) does not point at the simulator's API of the mesh:\n%s", private, kc)
		}
	}
}

func TestClustersAndDetail(t *testing.T) {
	srv := startSim(t, "demo", nil)
	c := newSimClient(t, srv, nil)
	w := srv.World()
	ctx := context.Background()

	clusters, err := c.Clusters(ctx)
	if err != nil {
		t.Fatalf("Clusters: %v", err)
	}
	var want []sim.Cluster
	for _, wc := range w.Clusters {
		if wc.Region == srv.Region() {
			want = append(want, wc)
		}
	}
	if got, exp := sortedIDs(clusters, func(c Cluster) string { return c.ID }), sortedIDs(want, func(c sim.Cluster) string { return c.ID }); !slices.Equal(got, exp) {
		t.Fatalf("Clusters = %v, want the region's %v", got, exp)
	}
	profiles := map[string]bool{}
	for _, cl := range clusters {
		wc := worldCluster(t, w, cl.ID)
		profiles[cl.Profile] = true
		if cl.VpcID != wc.VPC || !slices.Equal(cl.VSwitchIDs, wc.VSwitches) || cl.PodCIDR != wc.PodCIDR ||
			cl.ServiceCIDR != wc.ServiceCIDR || cl.Profile != wc.Profile || cl.State != wc.State || cl.RegionID != srv.Region() {
			t.Errorf("cluster %+v does not match the world's %+v", cl, wc)
		}
	}
	if !profiles["Edge"] || !profiles["Default"] {
		t.Errorf("Clusters covered profiles %v; the demo world has Default and Edge clusters", profiles)
	}

	var withSANs sim.Cluster
	for _, wc := range want {
		if len(wc.ExtraSANs) > 0 {
			withSANs = wc
		}
	}
	if withSANs.ID == "" {
		t.Fatal("the demo world has no cluster with extra SANs to describe")
	}
	detail, err := c.Cluster(ctx, withSANs.ID)
	if err != nil {
		t.Fatalf("Cluster: %v", err)
	}
	if detail.ID != withSANs.ID || !slices.Equal(detail.ExtraSANs, withSANs.ExtraSANs) || detail.VpcID != withSANs.VPC {
		t.Errorf("Cluster = %+v, want extra SANs %v", detail, withSANs.ExtraSANs)
	}

	_, err = c.Cluster(ctx, "c00000000000000000000000000000000")
	if !IsNotFound(err) {
		t.Fatalf("Cluster of an unknown ID: err = %v, want not found", err)
	}
	if e := err.(*Error); e.Code == "" || e.RequestID == "" {
		t.Errorf("the lower-case cs error body was not parsed: %+v", e)
	}
}

func TestAppendSANs(t *testing.T) {
	w, err := sim.LoadWorld("demo")
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu  sync.Mutex
		now = time.Now()
	)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	srv, err := sim.New(w, sim.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	c := newSimClient(t, srv, nil)
	ctx := context.Background()
	id := srv.World().Meshes[0].Clusters[0]
	before, err := c.Cluster(ctx, id)
	if err != nil {
		t.Fatalf("Cluster: %v", err)
	}
	san := "ep-test.epsrv-test.cn-hangzhou.privatelink.aliyuncs.com"
	if err := c.AppendSANs(ctx, id, []string{san}); err != nil {
		t.Fatalf("AppendSANs: %v", err)
	}
	updating, err := c.Cluster(ctx, id)
	if err != nil {
		t.Fatalf("Cluster: %v", err)
	}
	if updating.State != "updating" {
		t.Errorf("state right after AppendSANs = %s, want updating", updating.State)
	}
	mu.Lock()
	now = now.Add(w.Delays.ClusterUpdate.Std() + time.Second)
	mu.Unlock()
	after, err := c.Cluster(ctx, id)
	if err != nil {
		t.Fatalf("Cluster: %v", err)
	}
	if after.State != "running" {
		t.Errorf("state after the update delay = %s, want running", after.State)
	}
	if !slices.Contains(after.ExtraSANs, san) {
		t.Errorf("extra SANs after append = %v, want %s added", after.ExtraSANs, san)
	}
	for _, s := range before.ExtraSANs {
		if !slices.Contains(after.ExtraSANs, s) {
			t.Errorf("append dropped the existing SAN %s", s)
		}
	}
}

func TestAddClusterToMesh(t *testing.T) {
	srv := startSim(t, "demo", nil)
	c := newSimClient(t, srv, nil)
	ctx := context.Background()
	meshID := srv.World().Meshes[0].ID
	addable, err := c.AddableClusters(ctx, meshID)
	if err != nil {
		t.Fatalf("AddableClusters: %v", err)
	}
	i := slices.IndexFunc(addable, func(a AddableCluster) bool {
		return a.ForbiddenFlag == ForbiddenNone || a.ForbiddenFlag == ForbiddenNoCEN
	})
	if i < 0 {
		t.Fatal("the demo world has no cluster that can be added")
	}
	if err := c.AddClusterToMesh(ctx, meshID, addable[i].ClusterID); err != nil {
		t.Fatalf("AddClusterToMesh: %v", err)
	}
	in, err := c.MeshClusters(ctx, meshID)
	if err != nil {
		t.Fatalf("MeshClusters: %v", err)
	}
	if !slices.ContainsFunc(in, func(m MeshCluster) bool { return m.ClusterID == addable[i].ClusterID }) {
		t.Errorf("cluster %s is not in the mesh after AddClusterToMesh", addable[i].ClusterID)
	}
	err = c.AddClusterToMesh(ctx, meshID, addable[i].ClusterID)
	if KindOf(err) != KindInvalid {
		t.Errorf("adding the same cluster again: err = %v, want the cloud's refusal", err)
	}
}

func TestVPCsAndVSwitches(t *testing.T) {
	srv := startSim(t, "demo", nil)
	c := newSimClient(t, srv, nil)
	w := srv.World()
	ctx := context.Background()

	vpcs, err := c.VPCs(ctx)
	if err != nil {
		t.Fatalf("VPCs: %v", err)
	}
	var want []sim.VPC
	for _, v := range w.VPCs {
		if v.Region == srv.Region() {
			want = append(want, v)
		}
	}
	if got, exp := sortedIDs(vpcs, func(v VPC) string { return v.ID }), sortedIDs(want, func(v sim.VPC) string { return v.ID }); !slices.Equal(got, exp) {
		t.Fatalf("VPCs = %v, want %v", got, exp)
	}
	for _, v := range vpcs {
		i := slices.IndexFunc(want, func(wv sim.VPC) bool { return wv.ID == v.ID })
		if v.CIDR != want[i].CIDR || v.Name != want[i].Name {
			t.Errorf("VPC %+v does not match the world's %+v", v, want[i])
		}
	}

	wv := want[0]
	vsws, err := c.VSwitches(ctx, wv.ID)
	if err != nil {
		t.Fatalf("VSwitches: %v", err)
	}
	if len(vsws) != len(wv.VSwitches) {
		t.Fatalf("VSwitches(%s) = %d vSwitches, want %d", wv.ID, len(vsws), len(wv.VSwitches))
	}
	for _, ws := range wv.VSwitches {
		i := slices.IndexFunc(vsws, func(v VSwitch) bool { return v.ID == ws.ID })
		if i < 0 {
			t.Errorf("vSwitch %s missing", ws.ID)
			continue
		}
		if v := vsws[i]; v.ZoneID != ws.Zone || v.CIDR != ws.CIDR || v.FreeIPs != ws.FreeIPs || v.VpcID != wv.ID {
			t.Errorf("vSwitch %+v does not match the world's %+v", v, ws)
		}
	}
}

func TestPrivateLinkZonesAndActivation(t *testing.T) {
	srv := startSim(t, "demo", nil)
	c := newSimClient(t, srv, nil)
	ctx := context.Background()

	zones, err := c.PrivateLinkZones(ctx)
	if err != nil {
		t.Fatalf("PrivateLinkZones: %v", err)
	}
	var want []string
	for _, r := range srv.World().Regions {
		if r.ID != srv.Region() {
			continue
		}
		for _, z := range r.Zones {
			if z.PrivateLink {
				want = append(want, z.ID)
			}
		}
	}
	slices.Sort(want)
	if got := sortedIDs(zones, func(z Zone) string { return z.ID }); !slices.Equal(got, want) {
		t.Errorf("PrivateLinkZones = %v, want %v", got, want)
	}

	on, err := c.PrivateLinkActivated(ctx)
	if err != nil || on != srv.World().PrivateLink.Activated {
		t.Errorf("PrivateLinkActivated = %v, %v; want %v", on, err, srv.World().PrivateLink.Activated)
	}
}

func TestActivatePrivateLink(t *testing.T) {
	srv := startSim(t, "privatelink-off", nil)
	c := newSimClient(t, srv, nil)
	ctx := context.Background()
	on, err := c.PrivateLinkActivated(ctx)
	if err != nil || on {
		t.Fatalf("PrivateLinkActivated before = %v, %v; want false", on, err)
	}
	if err := c.ActivatePrivateLink(ctx); err != nil {
		t.Fatalf("ActivatePrivateLink: %v", err)
	}
	if on, err := c.PrivateLinkActivated(ctx); err != nil || !on {
		t.Fatalf("PrivateLinkActivated after = %v, %v; want true", on, err)
	}
	// Activating again answers OrderOpend, which is success.
	if err := c.ActivatePrivateLink(ctx); err != nil {
		t.Errorf("ActivatePrivateLink when already active: %v", err)
	}
}

// TestAddableClustersDecodeEachForbiddenFlag reads the forbidden world, one
// cluster per documented ForbiddenFlag, and checks the flag and the decoded
// CIDR clash of flag 3 arrive as sent.
func TestAddableClustersDecodeEachForbiddenFlag(t *testing.T) {
	srv := startSim(t, "forbidden", nil)
	c := newSimClient(t, srv, func(cfg *Config) { cfg.PageSize = 2 })
	w := srv.World()
	addable, err := c.AddableClusters(context.Background(), w.Meshes[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]AddableCluster{}
	for _, a := range addable {
		byName[a.Name] = a
	}
	for name, flag := range map[string]int{"flag0-with-cen": ForbiddenNone, "flag1-no-admin": ForbiddenNoAdmin, "flag2-no-cen": ForbiddenNoCEN,
		"flag3-cidr": ForbiddenCIDR, "flag4-istio-system": ForbiddenIstioNamespace} {
		if a, ok := byName[name]; !ok || a.ForbiddenFlag != flag {
			t.Errorf("%s: %+v, want ForbiddenFlag %d", name, a, flag)
		}
	}
	if len(addable) != 5 {
		t.Errorf("%d clusters listed, want the 5 of cn-hangzhou outside the mesh", len(addable))
	}
	want := []CIDRConflict{{Cluster: w.Meshes[0].Clusters[0], Object: "Pod", CIDR: "172.20.0.0/16"}}
	if got := byName["flag3-cidr"].CIDRConflicts; !slices.Equal(got, want) {
		t.Errorf("CIDR conflicts %+v, want %+v", got, want)
	}
}
