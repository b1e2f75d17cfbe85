package flow

import (
	"context"
	"slices"

	"github.com/asmlink/asmlink/spec"
)

// CheckFile runs on each cluster entry of an ASMPvlConfig file the
// preflight checks plan runs on its own choice of cluster and vSwitch pair:
// the mesh is running, the cluster is listed, in the mesh's region and
// another VPC and added to the mesh, PrivateLink is activated, and every
// vSwitch the entry uses (its own and the file's ASM vSwitches) is in a
// PrivateLink zone and has a free IP. The mesh, PrivateLink and network
// checks run once, for the first entry; the cluster and vSwitch checks for
// every entry. The zone rule (PVL107) is left out: the caller validates the
// whole file with env.Facts() once, which covers every entry at the cost of
// one pass, where PVL107 would validate the whole file per entry.
func CheckFile(ctx context.Context, r Runner, env *Env, file *spec.ASMPvlConfig) []Result {
	notZoneRule := func(c Check) bool { return c.Code == CodeResourceValid }
	first := slices.DeleteFunc(Checks(), notZoneRule)
	each := slices.DeleteFunc(ChecksIn(CategoryCluster, CategoryVSwitches), notZoneRule)
	var results []Result
	for i, entry := range file.Spec.AckVpcEndpoint {
		one := *env
		one.ClusterID, one.Pair = entry.ClusterID, nil
		// The entry alone with the file's ASM vSwitches: what the vSwitch
		// checks read (chosenVSwitches), found in constant time.
		one.Config = spec.New()
		one.Config.Spec.AckVpcEndpoint = []spec.AckVpcEndpoint{entry}
		one.Config.Spec.AsmVpcEndpoint = file.Spec.AsmVpcEndpoint
		checks := each
		if i == 0 {
			checks = first
		}
		results = append(results, r.forEntry(&one).Run(ctx, &one, checks)...)
	}
	return results
}

// forEntry is r with a Reload that keeps one's cluster and its entry, so a
// check retried after the mesh settles still looks at that entry.
func (r Runner) forEntry(one *Env) Runner {
	reload := r.Reload
	if reload == nil {
		return r
	}
	r.Reload = func(ctx context.Context) (*Env, error) {
		fresh, err := reload(ctx)
		if err != nil {
			return nil, err
		}
		cp := *fresh
		cp.ClusterID, cp.Pair, cp.Config = one.ClusterID, one.Pair, one.Config
		return &cp, nil
	}
	return r
}
