package cloud

import (
	"context"
	"sync"

	"golang.org/x/sync/errgroup"
)

// Inventory is everything the wizard's pickers need for one mesh, loaded in
// one go so that no picker waits on the cloud.
type Inventory struct {
	Mesh            Mesh             // the mesh's detail: VPC, vSwitches, state, endpoints
	Meshes          []Mesh           // every mesh of the region, for the mesh picker
	MeshClusters    []MeshCluster    // clusters already added to the mesh
	AddableClusters []AddableCluster // clusters that can be added to the mesh
	Clusters        []Cluster        // every ACK cluster of the region, with VPC, vSwitches and CIDRs
	VPCs            []VPC            // every VPC of the region, with CIDRs
	// VSwitches holds the vSwitches of the mesh's VPC and of the VPC of
	// every candidate cluster (in the mesh or addable) of the region, by
	// VPC ID.
	VSwitches            map[string][]VSwitch
	PrivateLinkActivated bool
	PrivateLinkZones     []Zone // zones of the region where PrivateLink is offered
	// EndpointQuota is the PrivateLink quotas and their usage; its Unread
	// says why they could not be read.
	EndpointQuota EndpointQuota
}

// addablePages is an API that hands over the addable clusters page by page
// (Client.AddableClusterPages).
type addablePages interface {
	AddableClusterPages(ctx context.Context, meshID string, onPage func([]AddableCluster)) ([]AddableCluster, error)
}

// LoadInventory loads the Inventory for meshID. The calls that depend on
// nothing — mesh detail, meshes, clusters in the mesh, addable clusters, ACK
// clusters, VPCs, PrivateLink activation, zones and quota — all start at once. The
// vSwitch listings depend on a VPC ID: the mesh VPC's starts as soon as the
// mesh detail arrives, and each candidate cluster VPC's as soon as the
// cluster listing (for addable clusters, the page of it) that names it
// arrives, each VPC once. Concurrency is bounded by the API implementation
// (Client: Config.MaxConcurrency, default defaultConcurrency, whose doc
// names the cloud's throttling rule; throttled calls are retried with
// backoff). The first failure cancels the rest and is returned.
func LoadInventory(ctx context.Context, api API, meshID string) (*Inventory, error) {
	inv := &Inventory{VSwitches: map[string][]VSwitch{}}
	g, gctx := errgroup.WithContext(ctx)

	var (
		mu     sync.Mutex
		listed = map[string]bool{}
	)
	region := api.Identity().Region
	// vswitchesOf starts the listing of the vSwitches of a VPC in the
	// region unless it is already started. VPCs of other regions cannot be
	// listed here and cannot be linked anyway (same region is a
	// precondition).
	vswitchesOf := func(vpcID, vpcRegion string) {
		mu.Lock()
		defer mu.Unlock()
		if vpcID == "" || (vpcRegion != "" && vpcRegion != region) || listed[vpcID] {
			return
		}
		listed[vpcID] = true
		g.Go(func() error {
			vs, err := api.VSwitches(gctx, vpcID)
			if err != nil {
				return err
			}
			mu.Lock()
			inv.VSwitches[vpcID] = vs
			mu.Unlock()
			return nil
		})
	}

	g.Go(func() (err error) {
		if inv.Mesh, err = api.Mesh(gctx, meshID); err == nil {
			vswitchesOf(inv.Mesh.VpcID, inv.Mesh.RegionID)
		}
		return err
	})
	g.Go(func() (err error) {
		inv.Meshes, err = api.Meshes(gctx)
		return err
	})
	g.Go(func() (err error) {
		if inv.MeshClusters, err = api.MeshClusters(gctx, meshID); err == nil {
			for _, c := range inv.MeshClusters {
				vswitchesOf(c.VpcID, c.RegionID)
			}
		}
		return err
	})
	g.Go(func() (err error) {
		each := func(page []AddableCluster) {
			for _, c := range page {
				vswitchesOf(c.VpcID, c.RegionID)
			}
		}
		if p, ok := api.(addablePages); ok {
			inv.AddableClusters, err = p.AddableClusterPages(gctx, meshID, each)
		} else if inv.AddableClusters, err = api.AddableClusters(gctx, meshID); err == nil {
			each(inv.AddableClusters)
		}
		return err
	})
	g.Go(func() (err error) {
		inv.Clusters, err = api.Clusters(gctx)
		return err
	})
	g.Go(func() (err error) {
		inv.VPCs, err = api.VPCs(gctx)
		return err
	})
	g.Go(func() (err error) {
		inv.PrivateLinkActivated, err = api.PrivateLinkActivated(gctx)
		return err
	})
	g.Go(func() (err error) {
		inv.PrivateLinkZones, err = api.PrivateLinkZones(gctx)
		return err
	})
	g.Go(func() (err error) {
		inv.EndpointQuota, err = LoadEndpointQuota(gctx, api)
		return err
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return inv, nil
}
