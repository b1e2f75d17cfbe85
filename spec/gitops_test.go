package spec

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// teamWorld is a live object of three clusters: ours (c1, owned by the
// tool's manager), theirs (c2, owned by asmlink, in zone h with its own
// ASM vSwitch) and the one being connected (c3).
func teamWorld() (desired *ASMPvlConfig, facts *Facts) {
	id := func(n int) string { return fmt.Sprintf("c%032x", n) }
	facts = &Facts{VSwitches: map[string]VSwitchFact{
		"vsw-asmj": {ZoneID: "cn-hangzhou-j"}, "vsw-asmh": {ZoneID: "cn-hangzhou-h"},
		"vsw-ack1": {ZoneID: "cn-hangzhou-j"}, "vsw-ack2": {ZoneID: "cn-hangzhou-h"}, "vsw-ack3": {ZoneID: "cn-hangzhou-j"},
	}}
	live := Merge(nil, AckVpcEndpoint{ClusterID: id(1), VSwitches: []VSwitch{{VSwitchID: "vsw-ack1", ZoneID: "cn-hangzhou-j"}}}, []VSwitch{{VSwitchID: "vsw-asmj", ZoneID: "cn-hangzhou-j"}})
	live = Merge(live, AckVpcEndpoint{ClusterID: id(2), VSwitches: []VSwitch{{VSwitchID: "vsw-ack2", ZoneID: "cn-hangzhou-h"}}}, []VSwitch{{VSwitchID: "vsw-asmh", ZoneID: "cn-hangzhou-h"}})
	live.Metadata.ResourceVersion = "42"
	live.Metadata.Annotations = map[string]string{lastAppliedAnnotation: "{}", "team.example.com/owner": "platform"}
	live.Status = &Status{Status: StatusAvailable}
	return Merge(live, AckVpcEndpoint{ClusterID: id(3), VSwitches: []VSwitch{{VSwitchID: "vsw-ack3", ZoneID: "cn-hangzhou-j"}}}, []VSwitch{{VSwitchID: "vsw-asmj", ZoneID: "cn-hangzhou-j"}}), facts
}

func teamOwners(listMaps bool) Owners {
	id := func(n int) string { return fmt.Sprintf("c%032x", n) }
	tool, asmlink := Manager{Name: "argocd-controller", Applier: true}, Manager{Name: "asmlink", Applier: true}
	o := Owners{ListMaps: listMaps,
		Clusters:     map[string][]Manager{id(1): {tool}, id(2): {asmlink}},
		ASMVSwitches: map[string][]Manager{"vsw-asmj": {tool, asmlink}, "vsw-asmh": {asmlink}}}
	if !listMaps {
		o.Clusters = map[string][]Manager{id(1): {tool}, id(2): {tool}}
		o.ClusterList = []Manager{tool}
		o.ASMVSwitchList = []Manager{tool, asmlink}
	}
	return o
}

// TestExportContent: with list maps the export holds the cluster being
// connected and those the tool's manager owns, with only the ASM vSwitches
// they rely on; with atomic lists every entry. Neither carries status, the
// resourceVersion or kubectl's and asmlink plan's annotations.
func TestExportContent(t *testing.T) {
	desired, facts := teamWorld()
	id := func(n int) string { return fmt.Sprintf("c%032x", n) }
	for _, c := range []struct {
		listMaps           bool
		clusters, asm      []string
		mine, others       []string
		contenders         []string
		manager, connected string
	}{
		{true, []string{id(1), id(3)}, []string{"vsw-asmj"}, []string{id(1), id(3)}, []string{id(2)}, nil, "argocd-controller", id(3)},
		{false, []string{id(1), id(2), id(3)}, []string{"vsw-asmj", "vsw-asmh"}, []string{id(3)}, []string{id(1), id(2)}, []string{"argocd-controller", "asmlink"}, "argocd-controller", id(3)},
	} {
		owners := teamOwners(c.listMaps)
		got, mine, others := ExportContent(desired, owners, c.manager, []string{c.connected}, facts)
		var asm []string
		for _, v := range got.Spec.AsmVpcEndpoint.VSwitches {
			asm = append(asm, v.VSwitchID)
		}
		if !slices.Equal(got.ClusterIDs(), c.clusters) || !slices.Equal(asm, c.asm) || !slices.Equal(mine, c.mine) || !slices.Equal(others, c.others) {
			t.Errorf("list maps %v: clusters %v, ASM %v, mine %v, others %v; want %v, %v, %v, %v", c.listMaps, got.ClusterIDs(), asm, mine, others, c.clusters, c.asm, c.mine, c.others)
		}
		if got.Status != nil || got.Metadata.ResourceVersion != "" || got.Metadata.Annotations[lastAppliedAnnotation] != "" || got.Metadata.Annotations["team.example.com/owner"] != "platform" {
			t.Errorf("list maps %v: metadata %+v, status %v", c.listMaps, got.Metadata, got.Status)
		}
		if got := owners.Contenders(); !slices.Equal(got, c.contenders) {
			t.Errorf("list maps %v: contenders %v, want %v", c.listMaps, got, c.contenders)
		}
	}
	if len(desired.Spec.AckVpcEndpoint) != 3 || desired.Status == nil {
		t.Error("ExportContent changed its input")
	}
}

// TestExportGolden: the files of every tool, for list maps and atomic
// lists, as golden files.
func TestExportGolden(t *testing.T) {
	desired, facts := teamWorld()
	for _, listMaps := range []bool{true, false} {
		shape := map[bool]string{true: "list-maps", false: "atomic"}[listMaps]
		for _, tool := range Tools {
			t.Run(shape+"/"+string(tool), func(t *testing.T) {
				manager := tool.FieldManager()
				owners := teamOwners(listMaps)
				for id, ms := range owners.Clusters {
					for i := range ms {
						if ms[i].Name == "argocd-controller" {
							owners.Clusters[id][i].Name = manager
						}
					}
				}
				cfg, mine, others := ExportContent(desired, owners, manager, []string{fmt.Sprintf("c%032x", 3)}, facts)
				files := Export(cfg, ExportOptions{Tool: tool, Manager: manager, MeshID: "d564b858f9a3e247cb2c083eb8cb37f0",
					Team: mine, Others: others, ListMaps: listMaps, ShapeSource: "read from the CustomResourceDefinition", Path: "./clusters/asm"})
				var b strings.Builder
				for _, f := range files {
					if !strings.HasPrefix(string(f.Data), ExportMarker) {
						t.Errorf("%s does not start with %q", f.Name, ExportMarker)
					}
					fmt.Fprintf(&b, "==> %s <==\n%s", f.Name, f.Data)
				}
				if _, err := Decode(files[0].Data); err != nil {
					t.Errorf("the manifest does not decode: %v", err)
				}
				golden := filepath.Join("testdata", "export-"+shape+"-"+string(tool)+".golden")
				if *update {
					if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatal(err)
				}
				if b.String() != string(want) {
					t.Errorf("export differs from %s (go test ./spec -run TestExportGolden -update):\n%s", golden, b.String())
				}
			})
		}
	}
}

func TestParseTool(t *testing.T) {
	for _, tool := range Tools {
		if got, ok := ParseTool(string(tool)); !ok || got != tool || tool.FieldManager() == "" {
			t.Errorf("ParseTool(%q) = %q, %v", tool, got, ok)
		}
	}
	if _, ok := ParseTool("helm"); ok {
		t.Error("helm is not a tool export writes for")
	}
	if got := ToolNames(); got != "argocd, flux, kustomize or terraform" {
		t.Errorf("ToolNames() = %q", got)
	}
}
