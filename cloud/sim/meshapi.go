package sim

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	jsonpatch "gopkg.in/evanphx/json-patch.v4"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/managedfields"
	"k8s.io/apimachinery/pkg/util/uuid"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/structured-merge-diff/v6/fieldpath"
	"sigs.k8s.io/yaml"

	"github.com/asmlink/asmlink/spec"
)

// The resource of the PrivateLink guide (seeds 000/001): cluster-scoped,
// one per ASM instance, named default.
const (
	pvlGroup    = "istio.alibabacloud.com"
	pvlVersion  = "v1beta1"
	pvlKind     = "ASMPvlConfig"
	pvlResource = "asmpvlconfigs"
	pvlName     = "default"
	pvlCRDName  = pvlResource + "." + pvlGroup
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
	// ReadOnly binds the simulated identity to reads only, as ASM's
	// istio-readonly role does: a served review denies writes, and every
	// write of ASMPvlConfig is answered 403.
	ReadOnly bool `yaml:"read_only"`
}

// meshAPI is the in-memory Kubernetes API of one simulated ASM instance:
// discovery, the ASMPvlConfig CRD, and ASMPvlConfig with get, list, watch,
// create, update, server-side apply (managed fields and conflicts, from
// apimachinery's field manager), merge and JSON patch, delete, dry runs,
// resourceVersion preconditions and, when the CRD has it, the status
// subresource. Like a real API server it refuses a null status or spec.
type meshAPI struct {
	meshID    string
	token     string
	statusSub bool
	crdJSON   []byte
	access    MeshAPIOptions
	main      *managedfields.FieldManager
	status    *managedfields.FieldManager

	mu       sync.Mutex
	rv       uint64
	objects  map[string]*unstructured.Unstructured
	history  []watchEvent // the latest events, for watches that resume
	watchers map[chan watchEvent]string
}

// watchEvent is one change, as a watch sends it.
type watchEvent struct {
	Type   string         `json:"type"`
	Object map[string]any `json:"object"`
	rv     uint64
	name   string
}

// historySize is how many events a watch can resume from; an older
// resourceVersion is answered 410 Gone, as a real API server does once its
// watch cache has moved on.
const historySize = 200

func newMeshAPI(meshID string, opts MeshAPIOptions) (*meshAPI, error) {
	crd := &apiextensionsv1.CustomResourceDefinition{}
	if err := yaml.UnmarshalStrict(spec.CRD, crd); err != nil {
		return nil, fmt.Errorf("the ASMPvlConfig CRD does not decode: %w", err)
	}
	if opts.NoStatusSubresource {
		for i := range crd.Spec.Versions {
			crd.Spec.Versions[i].Subresources = nil
		}
	}
	crd.TypeMeta = metav1.TypeMeta{APIVersion: "apiextensions.k8s.io/v1", Kind: "CustomResourceDefinition"}
	crd.Status.AcceptedNames = crd.Spec.Names
	crd.Status.StoredVersions = []string{pvlVersion}
	crd.Status.Conditions = []apiextensionsv1.CustomResourceDefinitionCondition{{Type: apiextensionsv1.Established, Status: apiextensionsv1.ConditionTrue}}
	crdJSON, err := json.Marshal(crd)
	if err != nil {
		return nil, err
	}
	schemas, err := crdSchemas(crd, pvlVersion)
	if err != nil {
		return nil, fmt.Errorf("building the OpenAPI schema of %s: %w", pvlKind, err)
	}
	tc, err := managedfields.NewTypeConverter(schemas, false)
	if err != nil {
		return nil, err
	}
	scheme := runtime.NewScheme()
	scheme.AddKnownTypeWithName(pvlGVK, &unstructured.Unstructured{})
	// The API server resets status on writes of the main resource and spec
	// on writes of the status subresource (apiextensions-apiserver's
	// customresource strategies, GetResetFields).
	reset := func(field string) map[fieldpath.APIVersion]fieldpath.Filter {
		if !opts.NoStatusSubresource {
			return map[fieldpath.APIVersion]fieldpath.Filter{fieldpath.APIVersion(pvlGV.String()): fieldpath.NewExcludeSetFilter(fieldpath.NewSet(fieldpath.MakePathOrDie(field)))}
		}
		return nil
	}
	main, err := managedfields.NewDefaultCRDFieldManager(tc, scheme, nopDefaulter{}, scheme, pvlGVK, pvlGV, "", reset("status"))
	if err != nil {
		return nil, err
	}
	status, err := managedfields.NewDefaultCRDFieldManager(tc, scheme, nopDefaulter{}, scheme, pvlGVK, pvlGV, "status", reset("spec"))
	if err != nil {
		return nil, err
	}
	return &meshAPI{
		meshID: meshID, token: meshToken(meshID), statusSub: !opts.NoStatusSubresource, crdJSON: crdJSON,
		main: main, status: status, objects: map[string]*unstructured.Unstructured{}, watchers: map[chan watchEvent]string{},
	}, nil
}

type nopDefaulter struct{}

func (nopDefaulter) Default(runtime.Object) {}

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
	api.access = s.world.MeshAPI
	s.meshAPIs[meshID] = api
	ctrl, err := NewController(s.state, meshID, &rest.Config{Host: s.state.meshAPIBase + meshID, BearerToken: api.token,
		TLSClientConfig: rest.TLSClientConfig{CAData: s.state.meshCA}}, s.ctrlOpts)
	if err != nil {
		return nil, err
	}
	s.controllers.Add(1)
	go func() { defer s.controllers.Done(); ctrl.Run(s.ctrlCtx) }()
	return api, nil
}

func (a *meshAPI) serve(w http.ResponseWriter, r *http.Request, path string, closing <-chan struct{}) {
	base := "/apis/" + pvlGroup + "/" + pvlVersion + "/" + pvlResource
	switch {
	case path == ssarPath:
		a.review(w, r)
	case strings.HasPrefix(path, base) && a.refuseWrite(w, r):
	case r.Method != http.MethodGet && !strings.HasPrefix(path, base):
		writeStatus(w, apierrors.NewMethodNotSupported(schema.GroupResource{Group: pvlGroup, Resource: path}, r.Method))
	case path == "/version":
		writeJSON(w, http.StatusOK, map[string]any{"major": "1", "minor": "34", "gitVersion": "v1.34.4-asmlink-sim", "platform": "linux/amd64"})
	case path == "/api":
		writeJSON(w, http.StatusOK, map[string]any{"kind": "APIVersions", "versions": []string{"v1"}, "serverAddressByClientCIDRs": []any{}})
	case path == "/api/v1":
		writeJSON(w, http.StatusOK, map[string]any{"kind": "APIResourceList", "groupVersion": "v1", "resources": []any{}})
	case path == "/apis":
		writeJSON(w, http.StatusOK, map[string]any{"kind": "APIGroupList", "apiVersion": "v1", "groups": []any{
			apiGroup(pvlGroup, pvlVersion), apiGroup("apiextensions.k8s.io", "v1"),
		}})
	case path == "/apis/"+pvlGroup:
		writeJSON(w, http.StatusOK, apiGroup(pvlGroup, pvlVersion))
	case path == "/apis/"+pvlGroup+"/"+pvlVersion:
		writeJSON(w, http.StatusOK, a.resourceList())
	case path == "/apis/apiextensions.k8s.io/v1":
		writeJSON(w, http.StatusOK, map[string]any{"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "apiextensions.k8s.io/v1", "resources": []any{
			map[string]any{"name": "customresourcedefinitions", "singularName": "customresourcedefinition", "namespaced": false, "kind": "CustomResourceDefinition", "verbs": []string{"get", "list"}},
		}})
	case path == "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/"+pvlCRDName:
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(a.crdJSON)
	case path == base:
		if watch := r.URL.Query().Get("watch"); watch == "true" || watch == "1" {
			a.watch(w, r, closing)
			return
		}
		if r.Method == http.MethodPost {
			a.write(w, r, "", "", true)
			return
		}
		a.list(w, r)
	case strings.HasPrefix(path, base+"/"):
		name, sub, _ := strings.Cut(strings.TrimPrefix(path, base+"/"), "/")
		if sub != "" && (sub != "status" || !a.statusSub) {
			writeStatus(w, apierrors.NewNotFound(schema.GroupResource{Group: pvlGroup, Resource: pvlResource + "/" + sub}, name))
			return
		}
		switch r.Method {
		case http.MethodGet:
			a.get(w, name)
		case http.MethodDelete:
			a.delete(w, r, name)
		default:
			a.write(w, r, name, sub, false)
		}
	default:
		writeStatus(w, apierrors.NewNotFound(schema.GroupResource{Resource: path}, ""))
	}
}

func apiGroup(group, version string) map[string]any {
	gv := map[string]any{"groupVersion": group + "/" + version, "version": version}
	return map[string]any{"kind": "APIGroup", "apiVersion": "v1", "name": group, "versions": []any{gv}, "preferredVersion": gv}
}

func (a *meshAPI) resourceList() map[string]any {
	res := []any{map[string]any{"name": pvlResource, "singularName": "asmpvlconfig", "namespaced": false, "kind": pvlKind,
		"verbs": []string{"create", "delete", "get", "list", "patch", "update", "watch"}}}
	if a.statusSub {
		res = append(res, map[string]any{"name": pvlResource + "/status", "singularName": "", "namespaced": false, "kind": pvlKind, "verbs": []string{"get", "patch", "update"}})
	}
	return map[string]any{"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": pvlGV.String(), "resources": res}
}

func (a *meshAPI) get(w http.ResponseWriter, name string) {
	a.mu.Lock()
	obj, ok := a.objects[name]
	var out map[string]any
	if ok {
		out = obj.DeepCopy().Object
	}
	a.mu.Unlock()
	if !ok {
		writeStatus(w, notFound(name))
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func (a *meshAPI) list(w http.ResponseWriter, r *http.Request) {
	only := nameSelector(r)
	a.mu.Lock()
	items := []any{}
	names := make([]string, 0, len(a.objects))
	for n := range a.objects {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		if only == "" || only == n {
			items = append(items, a.objects[n].DeepCopy().Object)
		}
	}
	rv := a.rv
	a.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"apiVersion": pvlGV.String(), "kind": pvlKind + "List",
		"metadata": map[string]any{"resourceVersion": strconv.FormatUint(rv, 10)}, "items": items})
}

// nameSelector reads a fieldSelector of metadata.name=NAME, the only one
// clients of ASMPvlConfig use.
func nameSelector(r *http.Request) string {
	sel := r.URL.Query().Get("fieldSelector")
	name, _ := strings.CutPrefix(sel, "metadata.name=")
	return name
}

func notFound(name string) *apierrors.StatusError {
	return apierrors.NewNotFound(schema.GroupResource{Group: pvlGroup, Resource: pvlResource}, name)
}

// write serves create (POST), update (PUT) and patch (PATCH) of the object
// or its status.
func (a *meshAPI) write(w http.ResponseWriter, r *http.Request, name, sub string, create bool) {
	q := r.URL.Query()
	manager := q.Get("fieldManager")
	dryRun := q.Get("dryRun") == "All"
	raw, body, err := readBody(r)
	if err != nil {
		writeStatus(w, apierrors.NewBadRequest(err.Error()))
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if create {
		name = stringAt(body, "metadata", "name")
	}
	live, exists := a.objects[name]
	mgr := a.main
	if sub == "status" {
		mgr = a.status
	}
	var out runtime.Object
	ct, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";")
	switch {
	case create && exists:
		err = apierrors.NewAlreadyExists(schema.GroupResource{Group: pvlGroup, Resource: pvlResource}, name)
	case r.Method == http.MethodPatch && ct == "application/apply-patch+yaml":
		if manager == "" {
			err = apierrors.NewBadRequest("PATCH with application/apply-patch+yaml requires fieldManager")
			break
		}
		out, err = a.apply(mgr, live, body, name, sub, manager, q.Get("force") == "true")
	case r.Method == http.MethodPatch:
		if !exists {
			err = notFound(name)
			break
		}
		body, err = patched(live, raw, ct)
		if err == nil {
			out, err = a.update(mgr, live, body, name, sub, manager)
		}
	case !create && !exists:
		err = notFound(name)
	default:
		out, err = a.update(mgr, live, body, name, sub, manager)
	}
	if err != nil {
		writeStatus(w, err)
		return
	}
	u := out.(*unstructured.Unstructured)
	code := http.StatusOK
	if !exists {
		code = http.StatusCreated
	}
	if !dryRun {
		a.store(u, exists)
	} else if exists {
		u.SetResourceVersion(live.GetResourceVersion())
	}
	writeJSON(w, code, u.Object)
}

// patched applies a merge or JSON patch to the live object and returns
// the object it makes.
func patched(live *unstructured.Unstructured, patch []byte, ct string) (map[string]any, error) {
	raw, err := json.Marshal(live.Object)
	if err != nil {
		return nil, err
	}
	var next []byte
	switch ct {
	case "application/merge-patch+json":
		next, err = jsonpatch.MergePatch(raw, patch)
	case "application/json-patch+json":
		var p jsonpatch.Patch
		if p, err = jsonpatch.DecodePatch(patch); err == nil {
			next, err = p.Apply(raw)
		}
	default:
		return nil, &apierrors.StatusError{ErrStatus: metav1.Status{Code: http.StatusUnsupportedMediaType, Reason: metav1.StatusReasonUnsupportedMediaType,
			Message: fmt.Sprintf("the patch type %q is not supported for %s; use apply, merge or JSON patch", ct, pvlKind)}}
	}
	if err != nil {
		return nil, apierrors.NewBadRequest("the patch does not apply: " + err.Error())
	}
	var m map[string]any
	return m, json.Unmarshal(next, &m)
}

// readBody reads a request body of at most 3 MiB and decodes it when it is
// a JSON or YAML object (m is nil otherwise, e.g. for a JSON patch).
func readBody(r *http.Request) (raw []byte, m map[string]any, err error) {
	raw, err = io.ReadAll(io.LimitReader(r.Body, 3<<20+1))
	if err != nil {
		return nil, nil, err
	}
	if len(raw) > 3<<20 {
		return nil, nil, errors.New("the request body is larger than 3 MiB")
	}
	if len(raw) == 0 {
		return raw, nil, nil
	}
	var body any
	if err := yaml.Unmarshal(raw, &body); err != nil {
		return nil, nil, fmt.Errorf("the request body is not JSON or YAML: %v", err)
	}
	m, _ = body.(map[string]any)
	return raw, m, nil
}

// checkBody refuses what a real API server refuses with a structural schema
// whose status and spec are objects: an explicit null for either.
func checkBody(body map[string]any, name string) error {
	for _, f := range []string{"spec", "status"} {
		if v, ok := body[f]; ok && v == nil {
			return apierrors.NewInvalid(pvlGVK.GroupKind(), name, field.ErrorList{
				field.Invalid(field.NewPath(f), "null", f+" in body must be of type object: \"null\""),
			})
		}
	}
	if got := stringAt(body, "metadata", "name"); got != "" && got != name {
		return apierrors.NewBadRequest(fmt.Sprintf("the name of the object (%s) does not match the name on the URL (%s)", got, name))
	}
	return nil
}

// precondition refuses a write whose resourceVersion is not the live one.
func precondition(live *unstructured.Unstructured, body map[string]any, name string) error {
	want := stringAt(body, "metadata", "resourceVersion")
	if want == "" {
		return nil
	}
	if live == nil || live.GetResourceVersion() != want {
		return apierrors.NewConflict(schema.GroupResource{Group: pvlGroup, Resource: pvlResource}, name,
			errors.New("the object has been modified; please apply your changes to the latest version and try again"))
	}
	return nil
}

// apply is server-side apply of body to the object or its status.
func (a *meshAPI) apply(mgr *managedfields.FieldManager, live *unstructured.Unstructured, body map[string]any, name, sub, manager string, force bool) (runtime.Object, error) {
	if err := checkBody(body, name); err != nil {
		return nil, err
	}
	if err := precondition(live, body, name); err != nil {
		return nil, err
	}
	if sub == "status" && live == nil {
		return nil, notFound(name)
	}
	base := live
	if base == nil {
		base = newPvl(name)
	}
	applied := &unstructured.Unstructured{Object: body}
	applied.SetGroupVersionKind(pvlGVK)
	out, err := mgr.Apply(base.DeepCopy(), applied, manager, force)
	if err != nil {
		return nil, err
	}
	return a.keepReset(out.(*unstructured.Unstructured), live, sub), nil
}

// update replaces the object or its status with body.
func (a *meshAPI) update(mgr *managedfields.FieldManager, live *unstructured.Unstructured, body map[string]any, name, sub, manager string) (runtime.Object, error) {
	if err := checkBody(body, name); err != nil {
		return nil, err
	}
	if err := precondition(live, body, name); err != nil {
		return nil, err
	}
	next := &unstructured.Unstructured{Object: body}
	next.SetGroupVersionKind(pvlGVK)
	next.SetName(name)
	base := live
	if base == nil {
		base = newPvl(name)
	}
	if manager == "" {
		manager = "unknown"
	}
	out, err := mgr.Update(base.DeepCopy(), next, manager)
	if err != nil {
		return nil, err
	}
	return a.keepReset(out.(*unstructured.Unstructured), live, sub), nil
}

// keepReset keeps what the write may not change: with the status
// subresource, the main resource's writes keep the live status and the
// status writes keep everything but status.
func (a *meshAPI) keepReset(out, live *unstructured.Unstructured, sub string) *unstructured.Unstructured {
	if !a.statusSub {
		return out
	}
	if sub == "status" {
		next := live.DeepCopy()
		if st, ok := out.Object["status"]; ok {
			next.Object["status"] = st
		} else {
			delete(next.Object, "status")
		}
		next.SetManagedFields(out.GetManagedFields())
		return next
	}
	delete(out.Object, "status")
	if live != nil {
		if st, ok := live.Object["status"]; ok {
			out.Object["status"] = st
		}
	}
	return out
}

func newPvl(name string) *unstructured.Unstructured {
	u := &unstructured.Unstructured{}
	u.SetGroupVersionKind(pvlGVK)
	u.SetName(name)
	return u
}

// store keeps u as the object's new state and tells the watches.
func (a *meshAPI) store(u *unstructured.Unstructured, existed bool) {
	a.rv++
	u.SetResourceVersion(strconv.FormatUint(a.rv, 10))
	if !existed {
		u.SetUID(uuid.NewUUID())
		u.SetCreationTimestamp(metav1.Now())
		u.SetGeneration(1)
	} else if live := a.objects[u.GetName()]; !equalField(live.Object, u.Object, "spec") {
		u.SetGeneration(live.GetGeneration() + 1)
	}
	a.objects[u.GetName()] = u.DeepCopy()
	typ := "MODIFIED"
	if !existed {
		typ = "ADDED"
	}
	a.emit(watchEvent{Type: typ, Object: u.DeepCopy().Object, rv: a.rv, name: u.GetName()})
}

func (a *meshAPI) delete(w http.ResponseWriter, r *http.Request, name string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	live, ok := a.objects[name]
	if !ok {
		writeStatus(w, notFound(name))
		return
	}
	if r.URL.Query().Get("dryRun") == "All" {
		writeJSON(w, http.StatusOK, live.DeepCopy().Object)
		return
	}
	delete(a.objects, name)
	a.rv++
	gone := live.DeepCopy()
	gone.SetResourceVersion(strconv.FormatUint(a.rv, 10))
	a.emit(watchEvent{Type: "DELETED", Object: gone.Object, rv: a.rv, name: name})
	writeJSON(w, http.StatusOK, gone.Object)
}

func (a *meshAPI) emit(ev watchEvent) {
	a.history = append(a.history, ev)
	if len(a.history) > historySize {
		a.history = a.history[len(a.history)-historySize:]
	}
	for ch, only := range a.watchers {
		if only != "" && only != ev.name {
			continue
		}
		select {
		case ch <- ev:
		default:
			// A watcher that does not keep up is closed; it re-lists.
			close(ch)
			delete(a.watchers, ch)
		}
	}
}

// watch streams changes as a real API server does: from resourceVersion
// (410 Gone when older than the history), or from the current objects,
// sent as ADDED, when none is given.
func (a *meshAPI) watch(w http.ResponseWriter, r *http.Request, closing <-chan struct{}) {
	q := r.URL.Query()
	only := nameSelector(r)
	timeout := 30 * time.Minute
	if v, err := strconv.Atoi(q.Get("timeoutSeconds")); err == nil && v > 0 {
		timeout = time.Duration(v) * time.Second
	}
	ch := make(chan watchEvent, 64)
	a.mu.Lock()
	var first []watchEvent
	from, err := strconv.ParseUint(q.Get("resourceVersion"), 10, 64)
	switch {
	case err != nil || from == 0:
		for n, o := range a.objects {
			if only == "" || only == n {
				first = append(first, watchEvent{Type: "ADDED", Object: o.DeepCopy().Object})
			}
		}
	case len(a.history) > 0 && from < a.history[0].rv-1 || from > a.rv:
		a.mu.Unlock()
		writeStatus(w, apierrors.NewResourceExpired(fmt.Sprintf("too old resource version: %d (%d)", from, a.rv)))
		return
	default:
		for _, ev := range a.history {
			if ev.rv > from && (only == "" || only == ev.name) {
				first = append(first, ev)
			}
		}
	}
	a.watchers[ch] = only
	a.mu.Unlock()
	defer func() {
		a.mu.Lock()
		if _, ok := a.watchers[ch]; ok {
			delete(a.watchers, ch)
		}
		a.mu.Unlock()
	}()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Transfer-Encoding", "chunked")
	w.WriteHeader(http.StatusOK)
	flusher, _ := w.(http.Flusher)
	enc := json.NewEncoder(w)
	send := func(ev watchEvent) bool {
		if enc.Encode(ev) != nil {
			return false
		}
		if flusher != nil {
			flusher.Flush()
		}
		return true
	}
	for _, ev := range first {
		if !send(ev) {
			return
		}
	}
	if flusher != nil {
		flusher.Flush()
	}
	end := time.NewTimer(timeout)
	defer end.Stop()
	for {
		select {
		case ev, ok := <-ch:
			if !ok || !send(ev) {
				return
			}
		case <-end.C:
			return
		case <-r.Context().Done():
			return
		case <-closing:
			return
		}
	}
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

// writeStatus sends err as a Kubernetes Status.
func writeStatus(w http.ResponseWriter, err error) {
	var st metav1.Status
	var ae apierrors.APIStatus
	if errors.As(err, &ae) {
		st = ae.Status()
	} else {
		st = apierrors.NewInternalError(err).Status()
	}
	st.TypeMeta = metav1.TypeMeta{Kind: "Status", APIVersion: "v1"}
	st.Status = metav1.StatusFailure
	writeJSON(w, int(st.Code), st)
}

func stringAt(m map[string]any, keys ...string) string {
	s, _, _ := unstructured.NestedString(m, keys...)
	return s
}

func equalField(a, b map[string]any, field string) bool {
	x, _ := json.Marshal(a[field])
	y, _ := json.Marshal(b[field])
	return string(x) == string(y)
}
