package sim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/rest"

	"github.com/asmlink/asmlink/spec"
	"github.com/asmlink/asmlink/spec/gateway"
)

// The resource of the PrivateLink guide (seeds 000/001): cluster-scoped,
// one per ASM instance, named default.
const (
	pvlGroup    = "istio.alibabacloud.com"
	pvlVersion  = "v1beta1"
	pvlKind     = "ASMPvlConfig"
	pvlResource = "asmpvlconfigs"
	pvlName     = "default"
)

var (
	pvlGV  = schema.GroupVersion{Group: pvlGroup, Version: pvlVersion}
	pvlGVK = pvlGV.WithKind(pvlKind)
)

// meshAPIPrefix is where the simulator serves each ASM instance's own
// Kubernetes API: /meshes/<mesh ID>/api, /meshes/<mesh ID>/apis/... A
// kubeconfig's server may carry a path, which client-go keeps.
const meshAPIPrefix = "/meshes/"

// MeshAPIOptions shape the in-memory Kubernetes API the simulator serves
// for meshes that have no other API server. ASM does not publish its CRD,
// so the schema is asmlink's spec.CRD, with or without the status
// subresource.
type MeshAPIOptions struct {
	// NoStatusSubresource serves ASMPvlConfig without the status
	// subresource: status is then written through the main resource.
	NoStatusSubresource bool `yaml:"no_status_subresource"`
	// AccessReview is how the API server answers a SelfSubjectAccessReview:
	// with a verdict (empty, the default), or forbidden (403), not_found
	// (404) or method_not_allowed (405); see access.go.
	AccessReview string `yaml:"access_review"`
	// NoGatewayKind serves no IstioGateway, as an API server without ASM's
	// gateway definition would: asmlink edge gateway then says so.
	NoGatewayKind bool `yaml:"no_gateway_kind"`
	// ReadOnly binds the simulated identity to reads only, as ASM's
	// istio-readonly role does: a served review denies writes, and every
	// write of ASMPvlConfig is answered 403.
	ReadOnly bool `yaml:"read_only"`
}

// meshAPI is the in-memory Kubernetes API of one simulated ASM instance:
// discovery (with the kinds' OpenAPI v3 documents), their
// CustomResourceDefinitions, namespaces, and each kind (ASMPvlConfig,
// cluster-scoped; IstioGateway, namespaced) with get, list, watch, create,
// update, server-side apply (managed fields and conflicts, from
// apimachinery's field manager), merge and JSON patch, delete, dry runs,
// resourceVersion preconditions and, when the CRD has it, the status
// subresource. Like a real API server it refuses a null status or spec.
type meshAPI struct {
	meshID string
	token  string
	kinds  []*kind
	access MeshAPIOptions

	mu       sync.Mutex
	rv       uint64
	objects  map[objectKey]*unstructured.Unstructured
	history  []watchEvent // the latest events, for watches that resume
	watchers map[chan watchEvent]objectKey
}

// objectKey names one object: its kind's resource, namespace (empty for a
// cluster-scoped kind) and name. As a watch's filter, an empty namespace or
// name matches every one.
type objectKey struct{ resource, namespace, name string }

// matches tells whether the object k is in the filter f.
func (f objectKey) matches(k objectKey) bool {
	return f.resource == k.resource && (f.namespace == "" || f.namespace == k.namespace) && (f.name == "" || f.name == k.name)
}

// watchEvent is one change, as a watch sends it.
type watchEvent struct {
	Type   string         `json:"type"`
	Object map[string]any `json:"object"`
	rv     uint64
	key    objectKey
}

// historySize is how many events a watch can resume from; an older
// resourceVersion is answered 410 Gone, as a real API server does once its
// watch cache has moved on.
const historySize = 200

// meshNamespaces are the namespaces of an ASM instance's API server: the
// four every Kubernetes API server creates, and istio-system, where ASM
// keeps its gateways ("CRD fields for an ASM gateway": metadata.namespace
// istio-system).
var meshNamespaces = []string{"default", "istio-system", "kube-node-lease", "kube-public", "kube-system"}

func newMeshAPI(meshID string, opts MeshAPIOptions) (*meshAPI, error) {
	pvl, err := newKind(spec.CRD, opts.NoStatusSubresource)
	if err != nil {
		return nil, fmt.Errorf("the ASMPvlConfig CRD: %w", err)
	}
	kinds := []*kind{pvl}
	if !opts.NoGatewayKind {
		gw, err := newKind(gateway.CRD, false)
		if err != nil {
			return nil, fmt.Errorf("the IstioGateway CRD: %w", err)
		}
		kinds = append(kinds, gw)
	}
	return &meshAPI{
		meshID: meshID, token: meshToken(meshID), kinds: kinds, access: opts,
		objects: map[objectKey]*unstructured.Unstructured{}, watchers: map[chan watchEvent]objectKey{},
	}, nil
}

// meshToken is the bearer token of a simulated mesh's kubeconfig.
func meshToken(meshID string) string { return "simulated-token-" + meshID[:12] }

// serveMeshAPI answers a request to a simulated mesh's Kubernetes API.
func (s *Server) serveMeshAPI(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, meshAPIPrefix)
	meshID, path, _ := strings.Cut(rest, "/")
	path = "/" + path
	api, err := s.meshAPIOf(meshID)
	if err != nil {
		writeStatus(w, apierrors.NewServiceUnavailable(err.Error()))
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+api.token {
		writeStatus(w, apierrors.NewUnauthorized("the bearer token is not the one of this ASM instance's kubeconfig; fetch it again with DescribeServiceMeshKubeconfig"))
		return
	}
	api.serve(w, r, path, s.closing)
}

// meshAPIOf returns the in-memory API of meshID, starting it and its
// simulated ASM controller on first use.
func (s *Server) meshAPIOf(meshID string) (*meshAPI, error) {
	s.meshMu.Lock()
	defer s.meshMu.Unlock()
	if api, ok := s.meshAPIs[meshID]; ok {
		return api, nil
	}
	m, ok := s.state.Mesh(meshID)
	if !ok || len(meshID) < 12 {
		return nil, fmt.Errorf("the simulated world has no ASM instance %q", meshID)
	}
	if m.NoAPIServer {
		return nil, fmt.Errorf("ASM instance %s has no API server in this simulated world (no_api_server); its Kubernetes API cannot be reached", meshID)
	}
	api, err := newMeshAPI(meshID, s.world.MeshAPI)
	if err != nil {
		return nil, err
	}
	s.meshAPIs[meshID] = api
	cfg := &rest.Config{Host: s.state.meshAPIBase + meshID, BearerToken: api.token, TLSClientConfig: rest.TLSClientConfig{CAData: s.state.meshCA}}
	ctrl, err := NewController(s.state, meshID, cfg, s.ctrlOpts)
	if err != nil {
		return nil, err
	}
	s.controllers.Add(1)
	go func() { defer s.controllers.Done(); ctrl.Run(s.ctrlCtx) }()
	if api.kindOf(gatewayGVR.Resource) != nil {
		gw, err := NewGatewayController(s.state, meshID, cfg, s.ctrlOpts)
		if err != nil {
			return nil, err
		}
		s.controllers.Add(1)
		go func() { defer s.controllers.Done(); gw.Run(s.ctrlCtx) }()
	}
	return api, nil
}

// kindOf is the served kind of resource, or nil.
func (a *meshAPI) kindOf(resource string) *kind {
	for _, k := range a.kinds {
		if k.resource == resource {
			return k
		}
	}
	return nil
}

// target is what a request to a kind's path names: the kind, and the
// namespace, name and subresource when given.
type target struct {
	k                    *kind
	namespace, name, sub string
}

func (t target) key() objectKey { return objectKey{t.k.resource, t.namespace, t.name} }

// parseTarget reads /apis/GROUP/VERSION/[namespaces/NS/]RESOURCE[/NAME[/SUB]]
// for a served kind; ok is false for any other path.
func (a *meshAPI) parseTarget(path string) (target, bool) {
	for _, k := range a.kinds {
		rest, ok := strings.CutPrefix(path, "/apis/"+k.gvk.GroupVersion().String()+"/")
		if !ok {
			continue
		}
		t := target{k: k}
		if ns, after, ok := strings.Cut(strings.TrimPrefix(rest, "namespaces/"), "/"); k.namespaced && strings.HasPrefix(rest, "namespaces/") && ok {
			t.namespace, rest = ns, after
		}
		res, after, _ := strings.Cut(rest, "/")
		if res != k.resource {
			continue
		}
		t.name, t.sub, _ = strings.Cut(after, "/")
		return t, true
	}
	return target{}, false
}

func (a *meshAPI) serve(w http.ResponseWriter, r *http.Request, path string, closing <-chan struct{}) {
	t, isKind := a.parseTarget(path)
	switch {
	case path == ssarPath:
		a.review(w, r)
	case isKind && a.refuseWrite(w, r, t):
	case isKind:
		a.serveKind(w, r, t, closing)
	case r.Method != http.MethodGet && strings.HasPrefix(path, "/apis/"):
		// A write to a resource the server does not serve, as a real API
		// server answers it.
		writeStatus(w, apierrors.NewNotFound(schema.GroupResource{Resource: path}, ""))
	case r.Method != http.MethodGet:
		writeStatus(w, apierrors.NewMethodNotSupported(schema.GroupResource{Resource: path}, r.Method))
	case path == "/version":
		writeJSON(w, http.StatusOK, map[string]any{"major": "1", "minor": "34", "gitVersion": "v1.34.4-asmlink-sim", "platform": "linux/amd64"})
	default:
		a.serveRead(w, path)
	}
}

// serveRead answers the GETs that are not of a kind's objects: discovery,
// OpenAPI, CustomResourceDefinitions and namespaces.
func (a *meshAPI) serveRead(w http.ResponseWriter, path string) {
	const crdPath = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"
	switch {
	case path == "/api":
		writeJSON(w, http.StatusOK, map[string]any{"kind": "APIVersions", "versions": []string{"v1"}, "serverAddressByClientCIDRs": []any{}})
	case path == "/api/v1":
		writeJSON(w, http.StatusOK, map[string]any{"kind": "APIResourceList", "groupVersion": "v1", "resources": []any{
			map[string]any{"name": "namespaces", "singularName": "namespace", "namespaced": false, "kind": "Namespace", "shortNames": []string{"ns"}, "verbs": []string{"get", "list"}},
		}})
	case path == "/api/v1/namespaces":
		items := []any{}
		for _, ns := range meshNamespaces {
			items = append(items, namespaceObject(ns))
		}
		writeJSON(w, http.StatusOK, map[string]any{"kind": "NamespaceList", "apiVersion": "v1", "metadata": map[string]any{}, "items": items})
	case strings.HasPrefix(path, "/api/v1/namespaces/"):
		name := strings.TrimPrefix(path, "/api/v1/namespaces/")
		if !slices.Contains(meshNamespaces, name) {
			writeStatus(w, apierrors.NewNotFound(schema.GroupResource{Resource: "namespaces"}, name))
			return
		}
		writeJSON(w, http.StatusOK, namespaceObject(name))
	case path == "/apis":
		writeJSON(w, http.StatusOK, map[string]any{"kind": "APIGroupList", "apiVersion": "v1", "groups": a.apiGroups()})
	case path == crdPath:
		items := []any{}
		for _, k := range a.kinds {
			items = append(items, json.RawMessage(k.crdJSON))
		}
		writeJSON(w, http.StatusOK, map[string]any{"kind": "CustomResourceDefinitionList", "apiVersion": "apiextensions.k8s.io/v1", "metadata": map[string]any{}, "items": items})
	case strings.HasPrefix(path, crdPath+"/"):
		name := strings.TrimPrefix(path, crdPath+"/")
		for _, k := range a.kinds {
			if k.crdName == name {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write(k.crdJSON)
				return
			}
		}
		writeStatus(w, apierrors.NewNotFound(schema.GroupResource{Group: "apiextensions.k8s.io", Resource: "customresourcedefinitions"}, name))
	case path == "/openapi/v3":
		a.openAPIPaths(w)
	case strings.HasPrefix(path, "/openapi/v3/apis/"):
		a.openAPIDocument(w, strings.TrimPrefix(path, "/openapi/v3/apis/"))
	case strings.HasPrefix(path, "/apis/"):
		a.discovery(w, strings.TrimPrefix(path, "/apis/"))
	default:
		writeStatus(w, apierrors.NewNotFound(schema.GroupResource{Resource: path}, ""))
	}
}

// namespaceObject is a Namespace as the API server shows it.
func namespaceObject(name string) map[string]any {
	return map[string]any{"kind": "Namespace", "apiVersion": "v1", "metadata": map[string]any{"name": name},
		"spec": map[string]any{"finalizers": []string{"kubernetes"}}, "status": map[string]any{"phase": "Active"}}
}

// groupVersions lists the group versions served, in order: the kinds' and
// apiextensions.k8s.io/v1.
func (a *meshAPI) groupVersions() []schema.GroupVersion {
	var gvs []schema.GroupVersion
	for _, k := range a.kinds {
		if gv := k.gvk.GroupVersion(); !slices.Contains(gvs, gv) {
			gvs = append(gvs, gv)
		}
	}
	return append(gvs, schema.GroupVersion{Group: "apiextensions.k8s.io", Version: "v1"})
}

func (a *meshAPI) apiGroups() []any {
	var groups []any
	for _, gv := range a.groupVersions() {
		groups = append(groups, apiGroup(gv.Group, gv.Version))
	}
	return groups
}

// discovery answers /apis/GROUP and /apis/GROUP/VERSION.
func (a *meshAPI) discovery(w http.ResponseWriter, rest string) {
	group, version, _ := strings.Cut(rest, "/")
	for _, gv := range a.groupVersions() {
		switch {
		case gv.Group != group:
		case version == "":
			writeJSON(w, http.StatusOK, apiGroup(gv.Group, gv.Version))
			return
		case gv.Version == version:
			writeJSON(w, http.StatusOK, map[string]any{"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv.String(), "resources": a.resourcesOf(gv)})
			return
		}
	}
	writeStatus(w, apierrors.NewNotFound(schema.GroupResource{Resource: "/apis/" + rest}, ""))
}

// resourcesOf is the discovery of one group version.
func (a *meshAPI) resourcesOf(gv schema.GroupVersion) []any {
	if gv.Group == "apiextensions.k8s.io" {
		return []any{map[string]any{"name": "customresourcedefinitions", "singularName": "customresourcedefinition", "namespaced": false,
			"kind": "CustomResourceDefinition", "shortNames": []string{"crd", "crds"}, "verbs": []string{"get", "list"}}}
	}
	var res []any
	for _, k := range a.kinds {
		if k.gvk.GroupVersion() == gv {
			res = append(res, k.apiResources()...)
		}
	}
	return res
}

func apiGroup(group, version string) map[string]any {
	gv := map[string]any{"groupVersion": group + "/" + version, "version": version}
	return map[string]any{"kind": "APIGroup", "apiVersion": "v1", "name": group, "versions": []any{gv}, "preferredVersion": gv}
}

// openAPIPaths is the OpenAPI v3 discovery document (/openapi/v3): one
// path per group version of the kinds, as kube-apiserver lists them.
func (a *meshAPI) openAPIPaths(w http.ResponseWriter) {
	paths := map[string]any{}
	for _, gv := range a.groupVersions() {
		if gv.Group != "apiextensions.k8s.io" {
			p := "apis/" + gv.String()
			paths[p] = map[string]any{"serverRelativeURL": "/openapi/v3/" + p}
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"paths": paths})
}

// openAPIDocument is the OpenAPI v3 document of one group version: the
// schemas of its kinds as apiextensions-apiserver publishes them (see
// crdSchemas).
func (a *meshAPI) openAPIDocument(w http.ResponseWriter, gvPath string) {
	schemas := map[string]any{}
	for _, k := range a.kinds {
		if k.gvk.GroupVersion().String() == gvPath {
			for name, s := range k.schemas {
				schemas[name] = s
			}
		}
	}
	if len(schemas) == 0 {
		writeStatus(w, apierrors.NewNotFound(schema.GroupResource{Resource: "/openapi/v3/apis/" + gvPath}, ""))
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"openapi": "3.0.0", "info": map[string]any{"title": "Kubernetes CRD Swagger", "version": "v0.1.0"},
		"paths": map[string]any{}, "components": map[string]any{"schemas": schemas}})
}
