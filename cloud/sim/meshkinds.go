package sim

import (
	"encoding/json"
	"fmt"
	"slices"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/managedfields"
	"k8s.io/kube-openapi/pkg/validation/spec"
	"sigs.k8s.io/structured-merge-diff/v6/fieldpath"
	"sigs.k8s.io/yaml"
)

// kind is one custom resource the simulated mesh API serves, defined by its
// CustomResourceDefinition: ASMPvlConfig (the PrivateLink guide, seeds
// 000/001) and IstioGateway (ASM's "CRD fields for an ASM gateway"). The
// simulator serves each the way apiextensions-apiserver serves a CRD: the
// scope, names and subresources come from the definition, and managed
// fields from its schema.
type kind struct {
	gvk        schema.GroupVersionKind
	resource   string
	singular   string
	shortNames []string
	namespaced bool
	statusSub  bool
	crdName    string
	crdJSON    []byte
	// schemas is the kind's part of its group version's OpenAPI v3
	// document (components/schemas).
	schemas map[string]*spec.Schema
	main    *managedfields.FieldManager
	status  *managedfields.FieldManager
}

// newKind reads a CustomResourceDefinition (YAML) and builds what serving
// its first served version takes; noStatus serves it without the status
// subresource, whatever the definition says.
func newKind(crdYAML []byte, noStatus bool) (*kind, error) {
	crd := &apiextensionsv1.CustomResourceDefinition{}
	if err := yaml.UnmarshalStrict(crdYAML, crd); err != nil {
		return nil, fmt.Errorf("a CustomResourceDefinition does not decode: %w", err)
	}
	i := slices.IndexFunc(crd.Spec.Versions, func(v apiextensionsv1.CustomResourceDefinitionVersion) bool { return v.Served })
	if i < 0 {
		return nil, fmt.Errorf("the CRD %s serves no version", crd.Name)
	}
	version := crd.Spec.Versions[i].Name
	if noStatus {
		for i := range crd.Spec.Versions {
			crd.Spec.Versions[i].Subresources = nil
		}
	}
	crd.TypeMeta = metav1.TypeMeta{APIVersion: "apiextensions.k8s.io/v1", Kind: "CustomResourceDefinition"}
	crd.Status.AcceptedNames = crd.Spec.Names
	crd.Status.StoredVersions = []string{version}
	crd.Status.Conditions = []apiextensionsv1.CustomResourceDefinitionCondition{{Type: apiextensionsv1.Established, Status: apiextensionsv1.ConditionTrue}}
	crdJSON, err := json.Marshal(crd)
	if err != nil {
		return nil, err
	}
	gv := schema.GroupVersion{Group: crd.Spec.Group, Version: version}
	gvk := gv.WithKind(crd.Spec.Names.Kind)
	schemas, err := crdSchemas(crd, version)
	if err != nil {
		return nil, fmt.Errorf("building the OpenAPI schema of %s: %w", gvk.Kind, err)
	}
	tc, err := managedfields.NewTypeConverter(schemas, false)
	if err != nil {
		return nil, err
	}
	statusSub := crd.Spec.Versions[i].Subresources != nil && crd.Spec.Versions[i].Subresources.Status != nil
	scheme := runtime.NewScheme()
	scheme.AddKnownTypeWithName(gvk, &unstructured.Unstructured{})
	// The API server resets status on writes of the main resource and spec
	// on writes of the status subresource (apiextensions-apiserver's
	// customresource strategies, GetResetFields).
	reset := func(field string) map[fieldpath.APIVersion]fieldpath.Filter {
		if statusSub {
			return map[fieldpath.APIVersion]fieldpath.Filter{fieldpath.APIVersion(gv.String()): fieldpath.NewExcludeSetFilter(fieldpath.NewSet(fieldpath.MakePathOrDie(field)))}
		}
		return nil
	}
	main, err := managedfields.NewDefaultCRDFieldManager(tc, scheme, nopDefaulter{}, scheme, gvk, gv, "", reset("status"))
	if err != nil {
		return nil, err
	}
	status, err := managedfields.NewDefaultCRDFieldManager(tc, scheme, nopDefaulter{}, scheme, gvk, gv, "status", reset("spec"))
	if err != nil {
		return nil, err
	}
	return &kind{
		gvk: gvk, resource: crd.Spec.Names.Plural, singular: crd.Spec.Names.Singular, shortNames: crd.Spec.Names.ShortNames,
		namespaced: crd.Spec.Scope == apiextensionsv1.NamespaceScoped, statusSub: statusSub,
		crdName: crd.Name, crdJSON: crdJSON, schemas: schemas, main: main, status: status,
	}, nil
}

type nopDefaulter struct{}

func (nopDefaulter) Default(runtime.Object) {}

func (k *kind) groupResource() schema.GroupResource {
	return schema.GroupResource{Group: k.gvk.Group, Resource: k.resource}
}

func (k *kind) notFound(name string) error {
	return apierrors.NewNotFound(k.groupResource(), name)
}

// newObject is an empty object of the kind, the base a create starts from.
func (k *kind) newObject(namespace, name string) *unstructured.Unstructured {
	u := &unstructured.Unstructured{}
	u.SetGroupVersionKind(k.gvk)
	u.SetNamespace(namespace)
	u.SetName(name)
	return u
}

// apiResources are the kind's entries in its group version's discovery.
func (k *kind) apiResources() []any {
	res := []any{map[string]any{"name": k.resource, "singularName": k.singular, "namespaced": k.namespaced, "kind": k.gvk.Kind,
		"shortNames": append([]string{}, k.shortNames...), "verbs": []string{"create", "delete", "get", "list", "patch", "update", "watch"}}}
	if k.statusSub {
		res = append(res, map[string]any{"name": k.resource + "/status", "singularName": "", "namespaced": k.namespaced, "kind": k.gvk.Kind, "verbs": []string{"get", "patch", "update"}})
	}
	return res
}
