package spec

import (
	"reflect"
	"sort"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// schema is the part of an OpenAPI v3 schema the CRD uses.
type schema struct {
	Type       string            `json:"type"`
	Properties map[string]schema `json:"properties"`
	Items      *schema           `json:"items"`
	Required   []string          `json:"required"`
	ListType   string            `json:"x-kubernetes-list-type"`
	ListKeys   []string          `json:"x-kubernetes-list-map-keys"`
}

type crd struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name string `json:"name"`
	} `json:"metadata"`
	Spec struct {
		Group string `json:"group"`
		Names struct {
			Kind     string `json:"kind"`
			Plural   string `json:"plural"`
			Singular string `json:"singular"`
		} `json:"names"`
		Scope    string `json:"scope"`
		Versions []struct {
			Name         string `json:"name"`
			Served       bool   `json:"served"`
			Storage      bool   `json:"storage"`
			Subresources struct {
				Status *struct{} `json:"status"`
			} `json:"subresources"`
			AdditionalPrinterColumns []struct {
				Name     string `json:"name"`
				Type     string `json:"type"`
				JSONPath string `json:"jsonPath"`
			} `json:"additionalPrinterColumns"`
			Schema struct {
				OpenAPIV3Schema schema `json:"openAPIV3Schema"`
			} `json:"schema"`
		} `json:"versions"`
	} `json:"spec"`
}

func TestCRDDescribesASMPvlConfig(t *testing.T) {
	var c crd
	if err := yaml.Unmarshal(CRD, &c); err != nil {
		t.Fatalf("CRD does not decode: %v", err)
	}
	if c.APIVersion != "apiextensions.k8s.io/v1" || c.Kind != "CustomResourceDefinition" {
		t.Errorf("CRD is %s %s", c.APIVersion, c.Kind)
	}
	s := c.Spec
	if c.Metadata.Name != Resource+"."+Group || s.Group != Group || s.Names.Kind != Kind || s.Names.Plural != Resource || s.Names.Singular != "asmpvlconfig" {
		t.Errorf("names: %s, %+v, group %s", c.Metadata.Name, s.Names, s.Group)
	}
	if s.Scope != "Cluster" {
		t.Errorf("scope = %s, want Cluster", s.Scope)
	}
	if len(s.Versions) != 1 {
		t.Fatalf("versions = %d, want 1", len(s.Versions))
	}
	v := s.Versions[0]
	if v.Name != Version || !v.Served || !v.Storage {
		t.Errorf("version %s served=%v storage=%v", v.Name, v.Served, v.Storage)
	}
	if v.Subresources.Status == nil {
		t.Error("the status subresource is missing")
	}
	found := false
	for _, col := range v.AdditionalPrinterColumns {
		found = found || (col.Name == "Status" && col.JSONPath == ".status.status" && col.Type == "string")
	}
	if !found {
		t.Errorf("no STATUS printer column: %+v", v.AdditionalPrinterColumns)
	}
	root := v.Schema.OpenAPIV3Schema
	for _, top := range []string{"spec", "status"} {
		if _, ok := root.Properties[top]; !ok {
			t.Errorf("schema has no %s", top)
		}
	}
	// Lists are maps keyed by ID, so a server-side apply of one cluster's
	// entry merges into the list instead of replacing it.
	spec := root.Properties["spec"]
	ack := spec.Properties["ackVpcEndpoint"]
	if ack.Items == nil {
		t.Fatal("spec.ackVpcEndpoint has no items schema")
	}
	for path, list := range map[string]schema{
		"spec.ackVpcEndpoint":             ack,
		"spec.ackVpcEndpoint[].vSwitches": ack.Items.Properties["vSwitches"],
		"spec.asmVpcEndpoint.vSwitches":   spec.Properties["asmVpcEndpoint"].Properties["vSwitches"],
		"status.clusters":                 root.Properties["status"].Properties["clusters"],
	} {
		wantKey := "vSwitchId"
		if strings.HasSuffix(path, "ackVpcEndpoint") || strings.HasSuffix(path, "clusters") {
			wantKey = "clusterId"
		}
		if list.ListType != "map" || !reflect.DeepEqual(list.ListKeys, []string{wantKey}) {
			t.Errorf("%s: list type %q keyed by %v, want map keyed by %s", path, list.ListType, list.ListKeys, wantKey)
		}
	}
	compareSchema(t, "spec", reflect.TypeOf(Spec{}), spec)
	compareSchema(t, "status", reflect.TypeOf(Status{}), root.Properties["status"])
}

// compareSchema checks that the schema at path has exactly the fields of the
// Go type, with matching types, all the way down.
func compareSchema(t *testing.T, path string, typ reflect.Type, s schema) {
	t.Helper()
	for typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	switch typ.Kind() {
	case reflect.String:
		if s.Type != "string" {
			t.Errorf("%s: schema type %q, want string", path, s.Type)
		}
	case reflect.Slice:
		if s.Type != "array" || s.Items == nil {
			t.Errorf("%s: schema type %q, want array with items", path, s.Type)
			return
		}
		compareSchema(t, path+"[]", typ.Elem(), *s.Items)
	case reflect.Struct:
		if s.Type != "object" {
			t.Errorf("%s: schema type %q, want object", path, s.Type)
		}
		var goNames, schemaNames []string
		for i := 0; i < typ.NumField(); i++ {
			name, opts, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
			goNames = append(goNames, name)
			sub, ok := s.Properties[name]
			if !ok {
				continue
			}
			compareSchema(t, path+"."+name, typ.Field(i).Type, sub)
			required := false
			for _, r := range s.Required {
				required = required || r == name
			}
			// Required in the schema exactly when the Go field is always written.
			if want := opts == "" && typ.Field(i).Type.Kind() != reflect.Struct; required != want {
				t.Errorf("%s.%s: required=%v, want %v", path, name, required, want)
			}
		}
		for name := range s.Properties {
			schemaNames = append(schemaNames, name)
		}
		sort.Strings(goNames)
		sort.Strings(schemaNames)
		if !reflect.DeepEqual(goNames, schemaNames) {
			t.Errorf("%s: schema fields %v, Go fields %v", path, schemaNames, goNames)
		}
	default:
		t.Errorf("%s: no schema rule for Go kind %s", path, typ.Kind())
	}
}
