package kube

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"

	"github.com/asmlink/asmlink/spec"
)

// Shape is what the API server does with an ASMPvlConfig write, as its
// schema says. ASM does not publish its CRD's schema, so asmlink reads it
// from the server and handles every plausible answer: lists merged by key,
// atomic lists (a structural schema without list markers, or
// x-kubernetes-preserve-unknown-fields with no structure at all), each
// with or without the status subresource.
//
// Sources: Kubernetes "Merge strategy" for custom resources
// (https://kubernetes.io/docs/reference/using-api/server-side-apply/#merge-strategy):
// a list without x-kubernetes-list-type is atomic, and so is every list
// under x-kubernetes-preserve-unknown-fields; "Subresources" of
// CustomResourceDefinitions: without the status subresource, status is part
// of the main resource and written with it.
type Shape struct {
	// ListMaps is true when every list asmlink writes merges by its key:
	// spec.ackVpcEndpoint by clusterId, and both vSwitches lists by
	// vSwitchId (x-kubernetes-list-type: map). Otherwise each list is
	// atomic: a write replaces it whole.
	ListMaps bool
	// StatusSubresource is true when status is written through /status; a
	// write of the main resource then never changes it.
	StatusSubresource bool
	// Source says where ListMaps was read: the CustomResourceDefinition,
	// the OpenAPI v3 document, or why it was assumed false.
	Source string
}

// String describes the shape for a person.
func (s Shape) String() string {
	lists := "atomic lists (a write replaces each list whole)"
	if s.ListMaps {
		lists = "lists merged by key (clusterId, vSwitchId)"
	}
	status := "status part of the object"
	if s.StatusSubresource {
		status = "status subresource"
	}
	return fmt.Sprintf("%s, %s; %s", lists, status, s.Source)
}

// Sources of a Shape.
const (
	sourceCRD     = "read from the CustomResourceDefinition"
	sourceOpenAPI = "read from the OpenAPI v3 document"
	sourceDefault = "the schema could not be read, so asmlink assumes atomic lists"
)

// crdName is the name of ASMPvlConfig's CustomResourceDefinition.
const crdName = spec.Resource + "." + spec.Group

// shapeCache holds a client's Shape once read; clients made with
// WithFieldManager share it.
type shapeCache struct {
	mu    sync.Mutex
	shape *Shape
}

// Shape reads, once per client, how the server merges ASMPvlConfig's lists
// and whether status is a subresource: from the CustomResourceDefinition
// through the apiextensions API when the identity may read it, else from
// the OpenAPI v3 document of the group and discovery, else it assumes
// atomic lists, the shape in which a write that sends whole lists loses
// nothing.
func (c *Client) Shape(ctx context.Context) (Shape, error) {
	c.shapes.mu.Lock()
	defer c.shapes.mu.Unlock()
	if c.shapes.shape != nil {
		return *c.shapes.shape, nil
	}
	s, err := readShape(ctx, c.raw)
	if err != nil {
		return Shape{}, c.wrap("reading the schema of", err)
	}
	c.shapes.shape = &s
	return s, nil
}

// readShape asks the server through raw. Refusals (403, 404) of the
// CustomResourceDefinition or the OpenAPI document fall through to the
// next source; an unreachable server is an error.
func readShape(ctx context.Context, raw rest.Interface) (Shape, error) {
	data, err := raw.Get().AbsPath("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crdName).Do(ctx).Raw()
	if err == nil {
		crd := &apiextensionsv1.CustomResourceDefinition{}
		if err := json.Unmarshal(data, crd); err != nil {
			return Shape{}, fmt.Errorf("decoding CustomResourceDefinition %s: %w", crdName, err)
		}
		if s, ok := shapeOfCRD(crd); ok {
			return s, nil
		}
	} else if !refused(err) {
		return Shape{}, err
	}
	s := Shape{Source: sourceDefault}
	if data, err = raw.Get().AbsPath("/openapi/v3/apis", spec.Group, spec.Version).Do(ctx).Raw(); err == nil {
		if schema, ok := openAPISchema(data); ok {
			s.ListMaps, s.Source = listMapsIn(schema), sourceOpenAPI
		}
	} else if !refused(err) {
		return Shape{}, err
	}
	if s.StatusSubresource, err = discoverStatus(ctx, raw); err != nil {
		return Shape{}, err
	}
	return s, nil
}

// refused tells whether err is the server declining to show something
// (forbidden, not found, not served), as opposed to not answering.
func refused(err error) bool {
	return apierrors.IsForbidden(err) || apierrors.IsNotFound(err) || apierrors.IsUnauthorized(err) ||
		apierrors.IsMethodNotSupported(err) || apierrors.IsNotAcceptable(err)
}

// shapeOfCRD reads the served version's schema and subresources.
func shapeOfCRD(crd *apiextensionsv1.CustomResourceDefinition) (Shape, bool) {
	i := slices.IndexFunc(crd.Spec.Versions, func(v apiextensionsv1.CustomResourceDefinitionVersion) bool { return v.Name == spec.Version })
	if i < 0 {
		return Shape{}, false
	}
	v := crd.Spec.Versions[i]
	s := Shape{Source: sourceCRD, StatusSubresource: v.Subresources != nil && v.Subresources.Status != nil}
	if v.Schema != nil && v.Schema.OpenAPIV3Schema != nil {
		data, err := json.Marshal(v.Schema.OpenAPIV3Schema)
		if err != nil {
			return Shape{}, false
		}
		var schema map[string]any
		if json.Unmarshal(data, &schema) != nil {
			return Shape{}, false
		}
		s.ListMaps = listMapsIn(schema)
	}
	return s, true
}

// openAPISchema finds ASMPvlConfig's schema in an OpenAPI v3 document by
// its x-kubernetes-group-version-kind.
func openAPISchema(doc []byte) (map[string]any, bool) {
	var d struct {
		Components struct {
			Schemas map[string]map[string]any `json:"schemas"`
		} `json:"components"`
	}
	if json.Unmarshal(doc, &d) != nil {
		return nil, false
	}
	for _, s := range d.Components.Schemas {
		gvks, _ := s["x-kubernetes-group-version-kind"].([]any)
		for _, g := range gvks {
			m, _ := g.(map[string]any)
			if m["group"] == spec.Group && m["version"] == spec.Version && m["kind"] == spec.Kind {
				return s, true
			}
		}
	}
	return nil, false
}

// listMapsIn tells whether an OpenAPI schema of ASMPvlConfig makes all
// three lists asmlink writes maps keyed as asmlink expects.
func listMapsIn(schema map[string]any) bool {
	s := property(schema, "spec")
	ack := property(s, "ackVpcEndpoint")
	items, _ := ack["items"].(map[string]any)
	return isListMap(ack, "clusterId") &&
		isListMap(property(items, "vSwitches"), "vSwitchId") &&
		isListMap(property(property(s, "asmVpcEndpoint"), "vSwitches"), "vSwitchId")
}

// property is the schema of one property of an object schema (nil when
// absent).
func property(schema map[string]any, name string) map[string]any {
	props, _ := schema["properties"].(map[string]any)
	p, _ := props[name].(map[string]any)
	return p
}

// isListMap tells whether schema is a list merged by exactly key.
func isListMap(schema map[string]any, key string) bool {
	keys, _ := schema["x-kubernetes-list-map-keys"].([]any)
	return schema["x-kubernetes-list-type"] == "map" && len(keys) == 1 && keys[0] == key
}

// resourcesOf is the discovery of ASMPvlConfig's group version: the
// resources the server serves in it. A refusal is the server's Status
// (Result.Error decodes it; Result.Raw would not).
func resourcesOf(ctx context.Context, raw rest.Interface) (*metav1.APIResourceList, error) {
	res := raw.Get().AbsPath("/apis", spec.Group, spec.Version).Do(ctx)
	if err := res.Error(); err != nil {
		return nil, err
	}
	data, err := res.Raw()
	if err != nil {
		return nil, err
	}
	list := &metav1.APIResourceList{}
	if err := json.Unmarshal(data, list); err != nil {
		return nil, fmt.Errorf("decoding the discovery of %s: %w", spec.APIVersion, err)
	}
	return list, nil
}

// discoverStatus tells, through discovery, whether the server serves
// asmpvlconfigs/status.
func discoverStatus(ctx context.Context, raw rest.Interface) (bool, error) {
	list, err := resourcesOf(ctx, raw)
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(list.APIResources, func(r metav1.APIResource) bool {
		return strings.EqualFold(r.Name, spec.Resource+"/status")
	}), nil
}
