package sim

import (
	"encoding/json"
	"fmt"
	"slices"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	generatedopenapi "k8s.io/apiextensions-apiserver/pkg/generated/openapi"
	"k8s.io/kube-openapi/pkg/common"
	"k8s.io/kube-openapi/pkg/util"
	"k8s.io/kube-openapi/pkg/validation/spec"
)

// objectMetaType is the Go name under which the generated OpenAPI
// definitions list ObjectMeta.
const objectMetaType = "k8s.io/apimachinery/pkg/apis/meta/v1.ObjectMeta"

// crdSchemas builds the components/schemas of the OpenAPI v3 document that
// apiextensions-apiserver serves for one version of a CRD (its
// controller/openapi/builder, BuildOpenAPIV3), as far as server-side apply
// reads them (managedfields.NewTypeConverter): the kind's schema is the
// CRD's openAPIV3Schema with apiVersion and kind (strings, as TypeMeta) and
// metadata (a reference to ObjectMeta) added, tagged with
// x-kubernetes-group-version-kind; ObjectMeta and every type it names come
// from apiextensions-apiserver's generated OpenAPI definitions, named as
// the API server names them (io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta).
// It takes any CRD, so every kind the simulated API serves gets its
// managed fields the way a real API server would record them, without
// linking the API server itself into asmlink.
func crdSchemas(crd *apiextensionsv1.CustomResourceDefinition, version string) (map[string]*spec.Schema, error) {
	i := slices.IndexFunc(crd.Spec.Versions, func(v apiextensionsv1.CustomResourceDefinitionVersion) bool { return v.Name == version })
	if i < 0 || crd.Spec.Versions[i].Schema == nil || crd.Spec.Versions[i].Schema.OpenAPIV3Schema == nil {
		return nil, fmt.Errorf("the CRD %s has no schema for version %s", crd.Name, version)
	}
	// JSONSchemaProps and the OpenAPI schema share their JSON form; the
	// x-kubernetes-* keys become the schema's extensions.
	raw, err := json.Marshal(crd.Spec.Versions[i].Schema.OpenAPIV3Schema)
	if err != nil {
		return nil, err
	}
	kind := &spec.Schema{}
	if err := json.Unmarshal(raw, kind); err != nil {
		return nil, fmt.Errorf("the schema of %s %s does not decode as OpenAPI: %w", crd.Name, version, err)
	}
	ref := func(name string) spec.Ref { return spec.MustCreateRef(schemaRef(name)) }
	defs := generatedopenapi.GetOpenAPIDefinitions(ref)
	typeMeta := defs["k8s.io/apimachinery/pkg/apis/meta/v1.TypeMeta"].Schema.Properties
	kind.SetProperty("apiVersion", typeMeta["apiVersion"])
	kind.SetProperty("kind", typeMeta["kind"])
	kind.SetProperty("metadata", *spec.RefSchema(schemaRef(objectMetaType)))
	kind.AddExtension("x-kubernetes-group-version-kind", []any{
		map[string]any{"group": crd.Spec.Group, "version": version, "kind": crd.Spec.Names.Kind},
	})

	schemas := map[string]*spec.Schema{
		util.ToRESTFriendlyName(crd.Spec.Group + "/" + version + "." + crd.Spec.Names.Kind): kind,
	}
	addDefinition(schemas, defs, objectMetaType)
	return schemas, nil
}

// schemaRef is the reference to the definition of the Go type name.
func schemaRef(name string) string { return "#/components/schemas/" + util.ToRESTFriendlyName(name) }

// addDefinition adds the generated definition name and, recursively, those
// it depends on.
func addDefinition(schemas map[string]*spec.Schema, defs map[string]common.OpenAPIDefinition, name string) {
	key := util.ToRESTFriendlyName(name)
	if _, done := schemas[key]; done {
		return
	}
	def := defs[name]
	schemas[key] = &def.Schema
	for _, dep := range def.Dependencies {
		addDefinition(schemas, defs, dep)
	}
}
