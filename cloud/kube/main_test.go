package kube_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/dynamic"

	"github.com/asmlink/asmlink/cloud/kube"
	"github.com/asmlink/asmlink/cloud/kube/kubetest"
	"github.com/asmlink/asmlink/spec"
)

// srv is the package's real kube-apiserver and etcd.
var srv *kubetest.Server

func TestMain(m *testing.M) { kubetest.Main(m, &srv) }

// clusterID is the n-th test ACK cluster's ID.
func clusterID(n int) string { return fmt.Sprintf("c%032x", n) }

// entry is an ackVpcEndpoint entry with one vSwitch.
func entry(cluster, vsw, zone string) spec.AckVpcEndpoint {
	return spec.AckVpcEndpoint{ClusterID: cluster, VSwitches: []spec.VSwitch{{VSwitchID: vsw, ZoneID: zone}}}
}

// asmVSwitch is an ASM vSwitch list of one.
func asmVSwitch(vsw, zone string) []spec.VSwitch {
	return []spec.VSwitch{{VSwitchID: vsw, ZoneID: zone}}
}

// connect resets the server and connects as asmlink.
func connect(t *testing.T) *kube.Client {
	t.Helper()
	srv.Reset(t)
	c, err := kube.NewForConfig(ctx(t), srv.Config)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// ctx is a test context that ends with the test or after a minute.
func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return c
}

// editAs changes the stored object the way `kubectl edit` does: an update
// (not an apply) recorded under another field manager.
func editAs(t *testing.T, manager string, edit func(u *unstructured.Unstructured)) {
	t.Helper()
	dyn, err := dynamic.NewForConfig(srv.Config)
	if err != nil {
		t.Fatal(err)
	}
	res := dyn.Resource(kube.GVR)
	u, err := res.Get(ctx(t), spec.Name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	edit(u)
	if _, err := res.Update(ctx(t), u, metav1.UpdateOptions{FieldManager: manager}); err != nil {
		t.Fatalf("update as %s: %v", manager, err)
	}
}

// managers lists the field managers recorded on the stored object, as
// "name/operation".
func managers(t *testing.T) []string {
	t.Helper()
	dyn, err := dynamic.NewForConfig(srv.Config)
	if err != nil {
		t.Fatal(err)
	}
	u, err := dyn.Resource(kube.GVR).Get(ctx(t), spec.Name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, mf := range u.GetManagedFields() {
		out = append(out, mf.Manager+"/"+string(mf.Operation))
	}
	return out
}
