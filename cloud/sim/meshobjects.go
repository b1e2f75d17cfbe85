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
	"time"

	jsonpatch "gopkg.in/evanphx/json-patch.v4"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/managedfields"
	"k8s.io/apimachinery/pkg/util/uuid"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/yaml"
)

// serveKind answers a request to a kind's objects.
func (a *meshAPI) serveKind(w http.ResponseWriter, r *http.Request, t target, closing <-chan struct{}) {
	if t.namespace != "" && !slices.Contains(meshNamespaces, t.namespace) && r.Method != http.MethodGet {
		// A write into a namespace that does not exist is refused
		// naming the namespace, as kube-apiserver's NamespaceLifecycle
		// admission does.
		writeStatus(w, apierrors.NewNotFound(schema.GroupResource{Resource: "namespaces"}, t.namespace))
		return
	}
	if t.name == "" {
		switch watch := r.URL.Query().Get("watch"); {
		case watch == "true" || watch == "1":
			a.watch(w, r, t, closing)
		case r.Method == http.MethodPost && (t.namespace != "" || !t.k.namespaced):
			a.write(w, r, t, true)
		case r.Method == http.MethodGet:
			a.list(w, r, t)
		default:
			writeStatus(w, apierrors.NewMethodNotSupported(t.k.groupResource(), r.Method))
		}
		return
	}
	if t.k.namespaced && t.namespace == "" {
		writeStatus(w, apierrors.NewNotFound(t.k.groupResource(), t.name))
		return
	}
	if t.sub != "" && (t.sub != "status" || !t.k.statusSub) {
		writeStatus(w, apierrors.NewNotFound(schema.GroupResource{Group: t.k.gvk.Group, Resource: t.k.resource + "/" + t.sub}, t.name))
		return
	}
	switch r.Method {
	case http.MethodGet:
		a.get(w, t)
	case http.MethodDelete:
		a.delete(w, r, t)
	default:
		a.write(w, r, t, false)
	}
}

func (a *meshAPI) get(w http.ResponseWriter, t target) {
	a.mu.Lock()
	obj, ok := a.objects[t.key()]
	var out map[string]any
	if ok {
		out = obj.DeepCopy().Object
	}
	a.mu.Unlock()
	if !ok {
		writeStatus(w, t.k.notFound(t.name))
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// list lists the kind's objects in t's namespace (every namespace when
// none is given), sorted by namespace and name.
func (a *meshAPI) list(w http.ResponseWriter, r *http.Request, t target) {
	filter := objectKey{t.k.resource, t.namespace, nameSelector(r)}
	a.mu.Lock()
	var keys []objectKey
	for k := range a.objects {
		if filter.matches(k) {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(x, y objectKey) int { return strings.Compare(x.namespace+"/"+x.name, y.namespace+"/"+y.name) })
	items := []any{}
	for _, k := range keys {
		items = append(items, a.objects[k].DeepCopy().Object)
	}
	rv := a.rv
	a.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"apiVersion": t.k.gvk.GroupVersion().String(), "kind": t.k.gvk.Kind + "List",
		"metadata": map[string]any{"resourceVersion": strconv.FormatUint(rv, 10)}, "items": items})
}

// nameSelector reads a fieldSelector of metadata.name=NAME, the only one
// clients of these kinds use.
func nameSelector(r *http.Request) string {
	sel := r.URL.Query().Get("fieldSelector")
	name, _ := strings.CutPrefix(sel, "metadata.name=")
	return name
}

// write serves create (POST), update (PUT) and patch (PATCH) of an object
// or its status.
func (a *meshAPI) write(w http.ResponseWriter, r *http.Request, t target, create bool) {
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
		t.name = stringAt(body, "metadata", "name")
	}
	live, exists := a.objects[t.key()]
	mgr := t.k.main
	if t.sub == "status" {
		mgr = t.k.status
	}
	var out runtime.Object
	ct, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";")
	switch {
	case create && exists:
		err = apierrors.NewAlreadyExists(t.k.groupResource(), t.name)
	case r.Method == http.MethodPatch && ct == "application/apply-patch+yaml":
		if manager == "" {
			err = apierrors.NewBadRequest("PATCH with application/apply-patch+yaml requires fieldManager")
			break
		}
		out, err = a.apply(mgr, live, body, t, manager, q.Get("force") == "true")
	case r.Method == http.MethodPatch:
		if !exists {
			err = t.k.notFound(t.name)
			break
		}
		body, err = patched(live, raw, ct, t.k.gvk.Kind)
		if err == nil {
			out, err = a.update(mgr, live, body, t, manager)
		}
	case !create && !exists:
		err = t.k.notFound(t.name)
	default:
		out, err = a.update(mgr, live, body, t, manager)
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
		a.store(u, t, exists)
	} else if exists {
		u.SetResourceVersion(live.GetResourceVersion())
	}
	writeJSON(w, code, u.Object)
}

// patched applies a merge or JSON patch to the live object and returns
// the object it makes.
func patched(live *unstructured.Unstructured, patch []byte, ct, kindName string) (map[string]any, error) {
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
			Message: fmt.Sprintf("the patch type %q is not supported for %s; use apply, merge or JSON patch", ct, kindName)}}
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
// whose status and spec are objects: an explicit null for either; and an
// object whose name or namespace is not the one on the URL.
func checkBody(body map[string]any, t target) error {
	for _, f := range []string{"spec", "status"} {
		if v, ok := body[f]; ok && v == nil {
			return apierrors.NewInvalid(t.k.gvk.GroupKind(), t.name, field.ErrorList{
				field.Invalid(field.NewPath(f), "null", f+" in body must be of type object: \"null\""),
			})
		}
	}
	if got := stringAt(body, "metadata", "name"); got != "" && got != t.name {
		return apierrors.NewBadRequest(fmt.Sprintf("the name of the object (%s) does not match the name on the URL (%s)", got, t.name))
	}
	if got := stringAt(body, "metadata", "namespace"); got != "" && got != t.namespace {
		return apierrors.NewBadRequest("the namespace of the provided object does not match the namespace sent on the request")
	}
	return nil
}

// precondition refuses a write whose resourceVersion is not the live one.
func precondition(live *unstructured.Unstructured, body map[string]any, t target) error {
	want := stringAt(body, "metadata", "resourceVersion")
	if want == "" {
		return nil
	}
	if live == nil || live.GetResourceVersion() != want {
		return apierrors.NewConflict(t.k.groupResource(), t.name,
			errors.New("the object has been modified; please apply your changes to the latest version and try again"))
	}
	return nil
}

// apply is server-side apply of body to the object or its status.
func (a *meshAPI) apply(mgr *managedfields.FieldManager, live *unstructured.Unstructured, body map[string]any, t target, manager string, force bool) (runtime.Object, error) {
	if err := checkBody(body, t); err != nil {
		return nil, err
	}
	if err := precondition(live, body, t); err != nil {
		return nil, err
	}
	if t.sub == "status" && live == nil {
		return nil, t.k.notFound(t.name)
	}
	base := live
	if base == nil {
		base = t.k.newObject(t.namespace, t.name)
	}
	applied := &unstructured.Unstructured{Object: body}
	applied.SetGroupVersionKind(t.k.gvk)
	applied.SetNamespace(t.namespace)
	out, err := mgr.Apply(base.DeepCopy(), applied, manager, force)
	if err != nil {
		return nil, err
	}
	return keepReset(t.k, out.(*unstructured.Unstructured), live, t.sub), nil
}

// update replaces the object or its status with body.
func (a *meshAPI) update(mgr *managedfields.FieldManager, live *unstructured.Unstructured, body map[string]any, t target, manager string) (runtime.Object, error) {
	if err := checkBody(body, t); err != nil {
		return nil, err
	}
	if err := precondition(live, body, t); err != nil {
		return nil, err
	}
	next := &unstructured.Unstructured{Object: body}
	next.SetGroupVersionKind(t.k.gvk)
	next.SetNamespace(t.namespace)
	next.SetName(t.name)
	base := live
	if base == nil {
		base = t.k.newObject(t.namespace, t.name)
	}
	if manager == "" {
		manager = "unknown"
	}
	out, err := mgr.Update(base.DeepCopy(), next, manager)
	if err != nil {
		return nil, err
	}
	return keepReset(t.k, out.(*unstructured.Unstructured), live, t.sub), nil
}

// keepReset keeps what the write may not change: with the status
// subresource, the main resource's writes keep the live status and the
// status writes keep everything but status.
func keepReset(k *kind, out, live *unstructured.Unstructured, sub string) *unstructured.Unstructured {
	if !k.statusSub {
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

// store keeps u as the object's new state and tells the watches.
func (a *meshAPI) store(u *unstructured.Unstructured, t target, existed bool) {
	a.rv++
	u.SetResourceVersion(strconv.FormatUint(a.rv, 10))
	key := t.key()
	if !existed {
		u.SetUID(uuid.NewUUID())
		u.SetCreationTimestamp(metav1.Now())
		u.SetGeneration(1)
	} else if live := a.objects[key]; !equalField(live.Object, u.Object, "spec") {
		u.SetGeneration(live.GetGeneration() + 1)
	}
	a.objects[key] = u.DeepCopy()
	typ := "MODIFIED"
	if !existed {
		typ = "ADDED"
	}
	a.emit(watchEvent{Type: typ, Object: u.DeepCopy().Object, rv: a.rv, key: key})
}

func (a *meshAPI) delete(w http.ResponseWriter, r *http.Request, t target) {
	a.mu.Lock()
	defer a.mu.Unlock()
	key := t.key()
	live, ok := a.objects[key]
	if !ok {
		writeStatus(w, t.k.notFound(t.name))
		return
	}
	if r.URL.Query().Get("dryRun") == "All" {
		writeJSON(w, http.StatusOK, live.DeepCopy().Object)
		return
	}
	delete(a.objects, key)
	a.rv++
	gone := live.DeepCopy()
	gone.SetResourceVersion(strconv.FormatUint(a.rv, 10))
	a.emit(watchEvent{Type: "DELETED", Object: gone.Object, rv: a.rv, key: key})
	writeJSON(w, http.StatusOK, gone.Object)
}

func (a *meshAPI) emit(ev watchEvent) {
	a.history = append(a.history, ev)
	if len(a.history) > historySize {
		a.history = a.history[len(a.history)-historySize:]
	}
	for ch, filter := range a.watchers {
		if !filter.matches(ev.key) {
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
func (a *meshAPI) watch(w http.ResponseWriter, r *http.Request, t target, closing <-chan struct{}) {
	q := r.URL.Query()
	filter := objectKey{t.k.resource, t.namespace, nameSelector(r)}
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
		for k, o := range a.objects {
			if filter.matches(k) {
				first = append(first, watchEvent{Type: "ADDED", Object: o.DeepCopy().Object})
			}
		}
	case len(a.history) > 0 && from < a.history[0].rv-1 || from > a.rv:
		a.mu.Unlock()
		writeStatus(w, apierrors.NewResourceExpired(fmt.Sprintf("too old resource version: %d (%d)", from, a.rv)))
		return
	default:
		for _, ev := range a.history {
			if ev.rv > from && filter.matches(ev.key) {
				first = append(first, ev)
			}
		}
	}
	a.watchers[ch] = filter
	a.mu.Unlock()
	defer func() {
		a.mu.Lock()
		delete(a.watchers, ch)
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
