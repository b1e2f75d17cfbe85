package flow

import (
	"slices"
	"time"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/spec"
)

// Env is everything the decisions of one mesh need: what the cloud listed
// (a snapshot, so every decision is a pure function of it), the current
// ASMPvlConfig, the choices made so far, and the cloud.API that fixes use.
// Checks read it and never change it.
type Env struct {
	// Inventory is what the cloud listed for the mesh: the mesh, its
	// clusters, the region's ACK clusters, VPCs, vSwitches and PrivateLink.
	cloud.Inventory
	// Config is the ASMPvlConfig in the mesh's API server, nil when there
	// is none yet.
	Config *spec.ASMPvlConfig
	// ListedAt is when the cloud was listed.
	ListedAt time.Time

	// ClusterID is the chosen ACK cluster, "" before the choice.
	ClusterID string
	// Pair is the chosen vSwitch pair, nil before the choice.
	Pair *Pair

	// API is used only by fixes (Fix.Apply), never by checks; nil means
	// fixes carry a command but no Apply.
	API cloud.API

	// Live is what doctor observed beyond the inventory (the API server,
	// the links, CEN); nil elsewhere, and doctor's own checks then skip.
	Live *Live
}

// NewEnv returns the environment of one mesh from a loaded inventory and
// the current ASMPvlConfig (nil when there is none yet). api is kept for
// fixes; it may be nil.
func NewEnv(inv *cloud.Inventory, current *spec.ASMPvlConfig, api cloud.API) *Env {
	return &Env{Inventory: *inv, Config: current, ListedAt: time.Now(), API: api}
}

// cluster returns the ACK cluster with the given ID.
func (e *Env) cluster(id string) (cloud.Cluster, bool) {
	i := slices.IndexFunc(e.Clusters, func(c cloud.Cluster) bool { return c.ID == id })
	if i < 0 {
		return cloud.Cluster{}, false
	}
	return e.Clusters[i], true
}

// meshCluster returns how the mesh sees a cluster it holds.
func (e *Env) meshCluster(id string) (cloud.MeshCluster, bool) {
	i := slices.IndexFunc(e.MeshClusters, func(c cloud.MeshCluster) bool { return c.ClusterID == id })
	if i < 0 {
		return cloud.MeshCluster{}, false
	}
	return e.MeshClusters[i], true
}

// inMesh tells whether a cluster has been added to the mesh.
func (e *Env) inMesh(id string) bool {
	if _, ok := e.meshCluster(id); ok {
		return true
	}
	return slices.Contains(e.Mesh.ClusterIDs, id)
}

// vpc returns the VPC with the given ID.
func (e *Env) vpc(id string) (cloud.VPC, bool) {
	i := slices.IndexFunc(e.VPCs, func(v cloud.VPC) bool { return v.ID == id })
	if i < 0 {
		return cloud.VPC{}, false
	}
	return e.VPCs[i], true
}

// vswitch finds a vSwitch by ID in any listed VPC.
func (e *Env) vswitch(id string) (cloud.VSwitch, bool) {
	for _, list := range e.VSwitches {
		if i := slices.IndexFunc(list, func(v cloud.VSwitch) bool { return v.ID == id }); i >= 0 {
			return list[i], true
		}
	}
	return cloud.VSwitch{}, false
}

// privateLinkZone tells whether PrivateLink endpoints can be placed in zone.
func (e *Env) privateLinkZone(zone string) bool {
	return slices.ContainsFunc(e.PrivateLinkZones, func(z cloud.Zone) bool { return z.ID == zone })
}

// Chosen returns the chosen ACK cluster, and false before the choice or
// when the cluster is not listed.
func (e *Env) Chosen() (cloud.Cluster, bool) {
	if e.ClusterID == "" {
		return cloud.Cluster{}, false
	}
	return e.cluster(e.ClusterID)
}

// Facts returns what spec.Validate needs to know from the cloud, built from
// the snapshot: the mesh's region and VPC, the VPC of every listed cluster
// and where every listed vSwitch is. Every validation with facts in
// asmlink uses this one function.
func (e *Env) Facts() *spec.Facts {
	return BuildFacts(e.Mesh, e.Clusters, e.VSwitches, e.ListedAt)
}

// BuildFacts makes spec.Facts from cloud values: the mesh's region and
// VPC, each cluster's VPC, and each vSwitch's zone and VPC.
func BuildFacts(mesh cloud.Mesh, clusters []cloud.Cluster, vswitches map[string][]cloud.VSwitch, listedAt time.Time) *spec.Facts {
	n := 0
	for _, list := range vswitches {
		n += len(list)
	}
	f := &spec.Facts{
		Region:        mesh.RegionID,
		AsmVpcID:      mesh.VpcID,
		ClusterVpcIDs: make(map[string]string, len(clusters)),
		VSwitches:     make(map[string]spec.VSwitchFact, n),
		ListedAt:      listedAt,
	}
	for _, c := range clusters {
		if c.VpcID != "" {
			f.ClusterVpcIDs[c.ID] = c.VpcID
		}
	}
	for vpcID, list := range vswitches {
		for _, v := range list {
			vpc := v.VpcID
			if vpc == "" {
				vpc = vpcID
			}
			f.VSwitches[v.ID] = spec.VSwitchFact{ZoneID: v.ZoneID, VpcID: vpc}
		}
	}
	return f
}
