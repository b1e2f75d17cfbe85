package kube

import (
	"fmt"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apiextensions-apiserver/pkg/controller/openapi/builder"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/managedfields"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"
	"sigs.k8s.io/yaml"

	"github.com/asmlink/asmlink/spec"
)

// MemoryServer is the Server of an in-memory API.
const MemoryServer = "memory"

// NewInMemory returns a Client for a new, empty, in-memory Kubernetes API
// that serves ASMPvlConfig, for `asmlink demo`: no binaries, no network.
// It is controller-runtime's fake client (client-go's field-managed object
// tracker) with spec.CRD's schema, so server-side apply merges lists by
// their keys and tracks field managers as a real server does, and status is
// a subresource. Unlike a real server it neither validates objects nor
// honours resourceVersion preconditions on apply, and a dry run returns
// the request. Every Client sharing the API comes from the returned one
// (WithFieldManager); tests use a real API server instead (kubetest).
func NewInMemory() (*Client, error) {
	quietLibraries()
	tc, err := crdTypeConverter()
	if err != nil {
		return nil, err
	}
	scheme := runtime.NewScheme()
	scheme.AddKnownTypeWithName(GVK, &unstructured.Unstructured{})
	scheme.AddKnownTypeWithName(GVK.GroupVersion().WithKind(spec.Kind+"List"), &unstructured.UnstructuredList{})
	mapper := meta.NewDefaultRESTMapper([]schema.GroupVersion{GVK.GroupVersion()})
	mapper.AddSpecific(GVK, GVR, GVR.GroupVersion().WithResource("asmpvlconfig"), meta.RESTScopeRoot)
	c := fake.NewClientBuilder().
		WithScheme(scheme).
		WithRESTMapper(mapper).
		WithTypeConverters(tc).
		WithStatusSubresource(newObject()).
		WithIndex(newObject(), "metadata.name", func(o client.Object) []string { return []string{o.GetName()} }).
		WithReturnManagedFields().
		Build()
	return &Client{c: c, manager: FieldManager, server: MemoryServer}, nil
}

// crdTypeConverter builds server-side apply's view of ASMPvlConfig from
// spec.CRD, the way kube-apiserver does for a custom resource.
func crdTypeConverter() (managedfields.TypeConverter, error) {
	crd := &apiextensionsv1.CustomResourceDefinition{}
	if err := yaml.UnmarshalStrict(spec.CRD, crd); err != nil {
		return nil, fmt.Errorf("spec.CRD is not a CustomResourceDefinition: %w", err)
	}
	openAPI, err := builder.BuildOpenAPIV3(crd, spec.Version, builder.Options{})
	if err != nil {
		return nil, fmt.Errorf("building the OpenAPI schema of %s: %w", spec.Kind, err)
	}
	return managedfields.NewTypeConverter(openAPI.Components.Schemas, false)
}
