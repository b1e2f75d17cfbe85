package kube

import (
	"context"
	"encoding/json"
	"slices"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/asmlink/asmlink/spec"
)

// Owners reads ASMPvlConfig/default (nil when it does not exist) and who
// owns each of its entries, from its managedFields and the server's Shape:
// with lists merged by key, each entry's own managers; with atomic lists,
// the managers of the whole list, for every entry in it. Status, written
// through its own subresource or not, is no one's entry.
func (c *Client) Owners(ctx context.Context) (*spec.ASMPvlConfig, spec.Owners, error) {
	shape, err := c.Shape(ctx)
	if err != nil {
		return nil, spec.Owners{}, err
	}
	cfg, u, err := c.get(ctx)
	if err != nil {
		return nil, spec.Owners{}, err
	}
	return cfg, ownersOf(u, shape.ListMaps), nil
}

// ownersOf reads the owners of stored's entries from its managedFields.
func ownersOf(stored *unstructured.Unstructured, listMaps bool) spec.Owners {
	o := spec.Owners{ListMaps: listMaps, Clusters: map[string][]spec.Manager{}, ASMVSwitches: map[string][]spec.Manager{}}
	if stored == nil {
		return o
	}
	lists := []struct {
		path  []string
		key   string
		each  map[string][]spec.Manager
		whole *[]spec.Manager
	}{
		{[]string{"spec", "ackVpcEndpoint"}, "clusterId", o.Clusters, &o.ClusterList},
		{[]string{"spec", "asmVpcEndpoint", "vSwitches"}, "vSwitchId", o.ASMVSwitches, &o.ASMVSwitchList},
	}
	for _, mf := range stored.GetManagedFields() {
		if mf.Subresource != "" || mf.FieldsV1 == nil {
			continue
		}
		var f map[string]any
		if json.Unmarshal(mf.FieldsV1.Raw, &f) != nil {
			continue
		}
		m := spec.Manager{Name: mf.Manager, Applier: mf.Operation == metav1.ManagedFieldsOperationApply}
		for _, l := range lists {
			set := fieldSet(f, fieldPath(l.path)...)
			if set == nil {
				continue
			}
			if !listMaps {
				*l.whole = addManager(*l.whole, m)
			}
			for _, id := range entryIDs(stored, l.path, l.key) {
				if _, own := set[entryKey(l.key, id)]; own || !listMaps {
					l.each[id] = addManager(l.each[id], m)
				}
			}
		}
	}
	return o
}

// fieldPath is path as a managedFields set names it: f:spec, f:...
func fieldPath(path []string) []string {
	out := make([]string, len(path))
	for i, p := range path {
		out[i] = "f:" + p
	}
	return out
}

// entryKey is how a managedFields set names a list-map entry:
// k:{"clusterId":"c..."}.
func entryKey(key, id string) string {
	b, _ := json.Marshal(map[string]string{key: id})
	return "k:" + string(b)
}

// entryIDs lists the keys of the entries of a list of stored.
func entryIDs(stored *unstructured.Unstructured, path []string, key string) []string {
	items, _, _ := unstructured.NestedSlice(stored.Object, path...)
	var out []string
	for _, it := range items {
		if m, ok := it.(map[string]any); ok {
			if id, ok := m[key].(string); ok {
				out = append(out, id)
			}
		}
	}
	return out
}

// addManager adds m to ms once; a manager that both applied and updated is
// listed as an applier.
func addManager(ms []spec.Manager, m spec.Manager) []spec.Manager {
	if i := slices.IndexFunc(ms, func(x spec.Manager) bool { return x.Name == m.Name }); i >= 0 {
		ms[i].Applier = ms[i].Applier || m.Applier
		return ms
	}
	return append(ms, m)
}
