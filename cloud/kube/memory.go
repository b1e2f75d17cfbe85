package kube

import (
	"context"
	"fmt"
	"slices"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apiextensions-apiserver/pkg/controller/openapi/builder"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
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
// a subresource. A dry run is answered by running the write on a copy of
// the stored object, so the review shows what would be stored. Unlike a
// real server it neither validates objects nor honours resourceVersion
// preconditions on apply. Every Client sharing the API comes from the
// returned one (WithFieldManager); tests use a real API server instead
// (kubetest).
func NewInMemory() (*Client, error) {
	quietLibraries()
	crd := &apiextensionsv1.CustomResourceDefinition{}
	if err := yaml.UnmarshalStrict(spec.CRD, crd); err != nil {
		return nil, fmt.Errorf("spec.CRD is not a CustomResourceDefinition: %w", err)
	}
	tc, err := crdTypeConverter(crd)
	if err != nil {
		return nil, err
	}
	shape, ok := shapeOfCRD(crd)
	if !ok {
		return nil, fmt.Errorf("spec.CRD does not serve %s", spec.APIVersion)
	}
	shape.Source = "spec.CRD, served in memory"
	scheme := runtime.NewScheme()
	scheme.AddKnownTypeWithName(GVK, &unstructured.Unstructured{})
	scheme.AddKnownTypeWithName(GVK.GroupVersion().WithKind(spec.Kind+"List"), &unstructured.UnstructuredList{})
	build := func(objs ...client.Object) client.WithWatch {
		return fake.NewClientBuilder().
			WithScheme(scheme).
			WithRESTMapper(restMapper()).
			WithTypeConverters(tc).
			WithStatusSubresource(newObject()).
			WithIndex(newObject(), "metadata.name", func(o client.Object) []string { return []string{o.GetName()} }).
			WithReturnManagedFields().
			WithObjects(objs...).
			Build()
	}
	c := &memoryAPI{WithWatch: build(), build: build}
	return &Client{c: c, w: c, timeout: RequestTimeout, manager: FieldManager, server: MemoryServer, shapes: &shapeCache{shape: &shape}}, nil
}

// memoryAPI is the fake client with dry runs that answer what a write
// would store, as a real server's do; the fake alone returns the request.
type memoryAPI struct {
	client.WithWatch
	build func(objs ...client.Object) client.WithWatch
}

// scratch is a new fake API holding a copy of obj's stored object, managed
// fields included.
func (m *memoryAPI) scratch(ctx context.Context, obj client.Object) (client.WithWatch, error) {
	cur := newObject()
	err := m.Get(ctx, client.ObjectKeyFromObject(obj), cur)
	if apierrors.IsNotFound(err) {
		return m.build(), nil
	}
	if err != nil {
		return nil, err
	}
	return m.build(cur), nil
}

func (m *memoryAPI) Patch(ctx context.Context, obj client.Object, patch client.Patch, opts ...client.PatchOption) error {
	po := &client.PatchOptions{}
	po.ApplyOptions(opts)
	if !slices.Contains(po.DryRun, metav1.DryRunAll) {
		return m.WithWatch.Patch(ctx, obj, patch, opts...)
	}
	scratch, err := m.scratch(ctx, obj)
	if err != nil {
		return err
	}
	po.DryRun = nil
	return scratch.Patch(ctx, obj, patch, po)
}

func (m *memoryAPI) Update(ctx context.Context, obj client.Object, opts ...client.UpdateOption) error {
	uo := &client.UpdateOptions{}
	uo.ApplyOptions(opts)
	if !slices.Contains(uo.DryRun, metav1.DryRunAll) {
		return m.WithWatch.Update(ctx, obj, opts...)
	}
	scratch, err := m.scratch(ctx, obj)
	if err != nil {
		return err
	}
	uo.DryRun = nil
	return scratch.Update(ctx, obj, uo)
}

// crdTypeConverter builds server-side apply's view of ASMPvlConfig from
// crd, the way kube-apiserver does for a custom resource.
func crdTypeConverter(crd *apiextensionsv1.CustomResourceDefinition) (managedfields.TypeConverter, error) {
	openAPI, err := builder.BuildOpenAPIV3(crd, spec.Version, builder.Options{})
	if err != nil {
		return nil, fmt.Errorf("building the OpenAPI schema of %s: %w", spec.Kind, err)
	}
	return managedfields.NewTypeConverter(openAPI.Components.Schemas, false)
}
