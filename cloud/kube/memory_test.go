package kube_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/asmlink/asmlink/cloud/kube"
	"github.com/asmlink/asmlink/spec"
)

// The in-memory API backs `asmlink demo`; these tests check it behaves like
// the real server in what the demo relies on. Everything else is tested on
// the real server.
func TestInMemoryAPIMergesClustersKeepsStatusApartAndWatches(t *testing.T) {
	c, err := kube.NewInMemory()
	if err != nil {
		t.Fatal(err)
	}
	if c.Server() != kube.MemoryServer {
		t.Errorf("Server() = %q, want %q", c.Server(), kube.MemoryServer)
	}
	wctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch := c.Watch(wctx, kube.WatchOptions{})
	next(t, ch, 5*time.Second, "the absent object", func(u kube.Update) bool { return u.Err == nil && u.Config == nil })

	a, b := clusterID(1), clusterID(2)
	if _, err := c.Apply(wctx, kube.MergeCluster(entry(a, vswA, zoneJ), asmVSwitch(vswASM, zoneJ)), kube.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := controller(c).ApplyStatus(wctx, linkStatus(a, spec.StatusAvailable)); err != nil {
		t.Fatal(err)
	}
	// Another person's asmlink adds B: with the CRD's list-map keys this
	// is no conflict (with atomic lists the whole list would be A's owner's).
	other := c.WithFieldManager("asmlink-other")
	if _, err := other.Apply(wctx, kube.MergeCluster(entry(b, vswB, zoneH), asmVSwitch(vswASH, zoneH)), kube.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	u := next(t, ch, 5*time.Second, "both clusters with A's status", func(u kube.Update) bool {
		return u.Config != nil && len(u.Config.ClusterIDs()) == 2 && u.Config.Status != nil
	})
	if !slices.Equal(u.Config.ClusterIDs(), []string{a, b}) || u.Config.Status.Status != spec.StatusAvailable {
		t.Fatalf("after A, A's status, then B: clusters %v, status %+v", u.Config.ClusterIDs(), u.Config.Status)
	}
	if _, err := other.Apply(wctx, kube.RemoveCluster(a, nil), kube.ApplyOptions{Force: true}); err != nil {
		t.Fatal(err)
	}
	got, err := c.Get(wctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.ClusterIDs(), []string{b}) || got.Status == nil {
		t.Fatalf("after removing A: clusters %v, status %+v; want B and the controller's status", got.ClusterIDs(), got.Status)
	}
	// B belongs to asmlink-other's server-side apply: removing it needs
	// consent, and the dry run says so as a real server's does.
	var conflict *kube.ConflictError
	if _, err := c.Plan(wctx, kube.RemoveCluster(b, nil)); !errors.As(err, &conflict) || !slices.Equal(conflict.Managers, []string{"asmlink-other"}) {
		t.Fatalf("planned removal of asmlink-other's B = %v, want a conflict naming asmlink-other", err)
	}
	plan, err := c.Apply(wctx, kube.RemoveCluster(b, nil), kube.ApplyOptions{DryRun: true, Force: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.After.ClusterIDs()) != 0 {
		t.Errorf("planned removal of B leaves %v", plan.After.ClusterIDs())
	}
	if got, _ := c.Get(wctx); !slices.Equal(got.ClusterIDs(), []string{b}) {
		t.Fatalf("a dry run changed the in-memory object: %v", got.ClusterIDs())
	}
}
