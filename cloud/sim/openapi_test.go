package sim

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apiextensions-apiserver/pkg/controller/openapi/builder"
	"k8s.io/kube-openapi/pkg/schemaconv"
	"k8s.io/kube-openapi/pkg/validation/spec"
	smdschema "sigs.k8s.io/structured-merge-diff/v6/schema"
	"sigs.k8s.io/yaml"

	asmspec "github.com/asmlink/asmlink/spec"
	"github.com/asmlink/asmlink/spec/gateway"
)

// TestCRDSchemasMatchTheAPIServer: for every CRD the simulated mesh API
// serves (ASMPvlConfig with and without the status subresource, and ASM's
// IstioGateway), the types server-side apply derives from crdSchemas are
// those it derives from apiextensions-apiserver's own OpenAPI builder, so
// the simulator records managed fields and conflicts as a real API server
// does.
func TestCRDSchemasMatchTheAPIServer(t *testing.T) {
	for _, c := range []struct {
		name     string
		crd      []byte
		noStatus bool
	}{{"ASMPvlConfig", asmspec.CRD, false}, {"ASMPvlConfig without status subresource", asmspec.CRD, true}, {"IstioGateway", gateway.CRD, false}} {
		t.Run(c.name, func(t *testing.T) {
			crd := &apiextensionsv1.CustomResourceDefinition{}
			if err := yaml.UnmarshalStrict(c.crd, crd); err != nil {
				t.Fatal(err)
			}
			if c.noStatus {
				for i := range crd.Spec.Versions {
					crd.Spec.Versions[i].Subresources = nil
				}
			}
			for _, v := range crd.Spec.Versions {
				ours, err := crdSchemas(crd, v.Name)
				if err != nil {
					t.Fatal(err)
				}
				doc, err := builder.BuildOpenAPIV3(crd, v.Name, builder.Options{})
				if err != nil {
					t.Fatal(err)
				}
				got, want := kindTypes(t, ours, crd, v.Name), kindTypes(t, doc.Components.Schemas, crd, v.Name)
				if len(want) < 2 || !reflect.DeepEqual(got, want) {
					g, _ := yaml.Marshal(got)
					w, _ := yaml.Marshal(want)
					t.Errorf("%s: the types server-side apply reads differ\n--- crdSchemas:\n%s\n--- apiextensions-apiserver:\n%s", v.Name, g, w)
				}
			}
		})
	}
}

// kindTypes converts schemas as managedfields.NewTypeConverter does and
// returns the types the CRD's kind reaches, by name, with the fields of
// each in name order.
func kindTypes(t *testing.T, schemas map[string]*spec.Schema, crd *apiextensionsv1.CustomResourceDefinition, version string) map[string]smdschema.Atom {
	t.Helper()
	s, err := schemaconv.ToSchemaFromOpenAPI(schemas, false)
	if err != nil {
		t.Fatal(err)
	}
	root := ""
	for name, sc := range schemas {
		if gvk, ok := sc.Extensions["x-kubernetes-group-version-kind"].([]any); ok && slices.ContainsFunc(gvk, func(e any) bool {
			return fmt.Sprint(e) == fmt.Sprint(map[string]any{"group": crd.Spec.Group, "version": version, "kind": crd.Spec.Names.Kind})
		}) {
			root = name
		}
	}
	if root == "" {
		t.Fatalf("no schema is tagged with the kind %s", crd.Spec.Names.Kind)
	}
	out := map[string]smdschema.Atom{}
	var walk func(name string)
	walk = func(name string) {
		if _, done := out[name]; done {
			return
		}
		td, ok := s.FindNamedType(name)
		if !ok {
			t.Fatalf("type %s is named but not defined", name)
		}
		out[name] = sortedFields(td.Atom)
		refs := func(tr smdschema.TypeRef) {
			if tr.NamedType != nil {
				walk(*tr.NamedType)
			}
		}
		if td.Map != nil {
			for _, f := range td.Map.Fields {
				refs(f.Type)
			}
			refs(td.Map.ElementType)
		}
		if td.List != nil {
			refs(td.List.ElementType)
		}
	}
	walk(root)
	return out
}

// sortedFields is atom with the fields of every map in it in name order:
// field order carries no meaning (lookups go by name) and follows map
// iteration in the builder.
func sortedFields(atom smdschema.Atom) smdschema.Atom {
	inline := func(tr smdschema.TypeRef) smdschema.TypeRef {
		if tr.Inlined.Map != nil || tr.Inlined.List != nil {
			tr.Inlined = sortedFields(tr.Inlined)
		}
		return tr
	}
	if atom.Map != nil {
		m := &smdschema.Map{Fields: slices.Clone(atom.Map.Fields), Unions: atom.Map.Unions,
			ElementType: inline(atom.Map.ElementType), ElementRelationship: atom.Map.ElementRelationship}
		for i := range m.Fields {
			m.Fields[i].Type = inline(m.Fields[i].Type)
		}
		slices.SortFunc(m.Fields, func(a, b smdschema.StructField) int { return strings.Compare(a.Name, b.Name) })
		atom.Map = m
	}
	if atom.List != nil {
		l := *atom.List
		l.ElementType = inline(l.ElementType)
		atom.List = &l
	}
	return atom
}
