package kube

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/yaml"

	"github.com/asmlink/asmlink/spec"
)

// Change computes the desired ASMPvlConfig from the current one (nil when
// the object does not exist yet); a nil result means there is nothing to
// write. Apply calls it again on a fresh read when
// someone else wrote the object in between, so it must not keep state.
type Change func(current *spec.ASMPvlConfig) (*spec.ASMPvlConfig, error)

// MergeCluster is the Change that adds or replaces one cluster's
// ackVpcEndpoint entry and appends the ASM vSwitches it needs (spec.Merge);
// every other entry stays as it is.
func MergeCluster(entry spec.AckVpcEndpoint, asmVSwitches []spec.VSwitch) Change {
	return func(current *spec.ASMPvlConfig) (*spec.ASMPvlConfig, error) {
		return spec.Merge(current, entry, asmVSwitches), nil
	}
}

// RemoveCluster is the Change that removes one cluster's entry, and the ASM
// vSwitches no remaining entry relies on according to facts (spec.Remove).
func RemoveCluster(clusterID string, facts *spec.Facts) Change {
	return func(current *spec.ASMPvlConfig) (*spec.ASMPvlConfig, error) {
		return spec.Remove(current, clusterID, facts), nil
	}
}

// ApplyOptions tune Apply.
type ApplyOptions struct {
	// DryRun asks the server to run the whole apply without storing it.
	DryRun bool
	// Force takes over fields that another server-side applier (a GitOps
	// tool, kubectl apply --server-side) owns. Set it only after the person
	// has seen the ConflictError and agreed. Fields last written by an
	// update (kubectl apply without --server-side, kubectl edit, the
	// console) are taken over without it, after the normal review:
	// Result.TakenOver names them.
	Force bool
}

// Result is what an apply did.
type Result struct {
	// Before is the object as it was read (nil when it did not exist).
	Before *spec.ASMPvlConfig
	// Desired is what the Change asked for.
	Desired *spec.ASMPvlConfig
	// After is the object as the server stored it, or as its dry run says
	// it would store it: never asmlink's own merge.
	After *spec.ASMPvlConfig
	// TakenOver are other field managers' fields the write takes over.
	TakenOver []FieldConflict
	// Shape is the server's schema the write was made for.
	Shape Shape
	// LastApplied is true when the object carries kubectl's
	// last-applied-configuration: a later client-side `kubectl apply` of
	// an older file replaces the lists whole and drops what is not in it.
	LastApplied bool
}

// Diff is the change for a person to review: a unified diff of the YAML
// before and after (spec.Diff), empty when nothing changes.
func (r *Result) Diff() string { return spec.Diff(r.Before, r.After) }

// Notes say, for the review beside the diff, whose fields the change takes
// over and what each kind of other writer does next, and warn when a
// client-side kubectl apply of an older file would drop entries later.
func (r *Result) Notes() []string {
	var out []string
	fields := map[string][]string{}
	applier := map[string]bool{}
	var managers []string
	for _, t := range r.TakenOver {
		if t.Manager == FieldManager {
			continue
		}
		if _, ok := fields[t.Manager]; !ok {
			managers = append(managers, t.Manager)
		}
		fields[t.Manager] = append(fields[t.Manager], t.Field)
		applier[t.Manager] = applier[t.Manager] || t.Applier
	}
	for _, m := range managers {
		list := strings.Join(fields[m], ", ")
		if applier[m] {
			out = append(out, fmt.Sprintf("Takes over from %s (server-side apply) %s: at its next sync %s sets them back unless what it applies changes too.", m, list, m))
			continue
		}
		out = append(out, fmt.Sprintf("Takes over from %s %s: an update (kubectl apply without --server-side, kubectl edit or the console) wrote them last, and it does not set them again.", m, list))
	}
	if r.LastApplied {
		out = append(out, "Note: kubectl apply (client-side) wrote this object. Running that kubectl apply -f again replaces each list with the file's "+
			"and drops every entry the file lacks, this change included: use asmlink apply -f, which merges, or kubectl apply --server-side.")
	}
	return out
}

// FieldConflict is one field another field manager set to a different
// value than the change wants, or an entry it owns that the change removes.
type FieldConflict struct {
	Manager string
	// Applier is true when the manager writes with server-side apply, so
	// it sets its fields again at its next sync; false for an update.
	Applier bool
	Field   string
}

// ConflictError means the change needs fields that another server-side
// applier (a GitOps tool) owns. asmlink never takes them over without
// consent: show it, ask, and retry with Force.
type ConflictError struct {
	// Fields are the appliers' fields the change would replace or remove.
	Fields []FieldConflict
	// Retained are entries the change removes that the server would keep
	// because an applier owns part of them, e.g.
	// spec.ackVpcEndpoint[clusterId=c1].
	Retained []string
	// Managers are the appliers involved, sorted.
	Managers []string
}

func (e *ConflictError) Error() string {
	var parts []string
	if len(e.Fields) > 0 {
		fs := make([]string, len(e.Fields))
		for i, f := range e.Fields {
			fs[i] = fmt.Sprintf("%s (set by %s)", f.Field, f.Manager)
		}
		parts = append(parts, "the change would overwrite "+strings.Join(fs, ", "))
	}
	if len(e.Retained) > 0 {
		parts = append(parts, "the change removes "+strings.Join(e.Retained, ", ")+", which the server keeps because that manager also owns it")
	}
	who := strings.Join(e.Managers, ", ")
	return fmt.Sprintf("%s/%s is also managed by %s with server-side apply: %s. At its next sync %s sets its fields back and undoes this change, "+
		"so change the file it applies (commit it to Git) instead; asmlink takes them over only with your consent (force), keeping every other entry",
		spec.Kind, spec.Name, who, strings.Join(parts, "; "), who)
}

// LostEntriesError means the server stored the write with entries asmlink
// did not mean to change lost or altered: something between asmlink and
// the stored object (a webhook, a proxy, a bug) changed them. Restore is
// the object that brings them back.
type LostEntriesError struct {
	// Entries name each lost or altered entry, e.g.
	// "spec.ackVpcEndpoint[clusterId=c1] (lost)".
	Entries []string
	// Restore is the stored object with those entries put back as they
	// were, as ASMPvlConfig YAML for asmlink apply -f.
	Restore []byte
}

func (e *LostEntriesError) Error() string {
	return fmt.Sprintf("the write to %s/%s changed entries it was not meant to change: %s. "+
		"Save this object and apply it with `asmlink apply -f FILE --mesh MESH` to restore them:\n%s",
		spec.Kind, spec.Name, strings.Join(e.Entries, ", "), e.Restore)
}

// StaleError means other writers changed the object every time asmlink
// tried to write it, so nothing was written.
type StaleError struct {
	Attempts int
	Elapsed  time.Duration
	// Writers are the field managers that wrote the object meanwhile.
	Writers []string
	// Changed are the entries they changed meanwhile.
	Changed []string
	Err     error
}

func (e *StaleError) Error() string {
	what := ""
	if len(e.Writers) > 0 {
		what = "; written meanwhile by " + strings.Join(e.Writers, ", ")
	}
	if len(e.Changed) > 0 {
		what += ", changing " + strings.Join(e.Changed, ", ")
	}
	return fmt.Sprintf("%s/%s changed every time asmlink tried to write it (%d attempts in %s%s), so nothing was written. "+
		"Run the same command again when the other writer is done; `kubectl get %s %s --show-managed-fields -o yaml` shows who writes it",
		spec.Kind, spec.Name, e.Attempts, e.Elapsed.Round(time.Millisecond), what, spec.Resource, spec.Name)
}

func (e *StaleError) Unwrap() error { return e.Err }

// maxStaleRetries bounds how often Apply re-reads and re-merges when the
// object changed between its read and its write.
const maxStaleRetries = 5

// staleDelay is the pause before retry n (from 0) after a stale write:
// 50 ms doubling, each drawn at random between half and one and a half of
// that, so two asmlinks that collided do not collide again in step.
func staleDelay(n int) time.Duration {
	d := 50 * time.Millisecond << n
	return d/2 + rand.N(d)
}

// Apply reads ASMPvlConfig/default, computes the desired object with change,
// and writes it the way the server's schema (Shape) needs so that no other
// entry is lost: with lists merged by key, a server-side apply of the
// entries asmlink owns or changes; with atomic lists, a server-side apply
// of each changed list whole, every other entry in it sent exactly as read.
// Every write is conditional on the resourceVersion read: when someone
// else wrote in between, Apply pauses (staleDelay), reads and merges again,
// and after maxStaleRetries returns a *StaleError.
//
// Before writing, Apply asks the server for a dry run. Fields another
// server-side applier owns make it return a *ConflictError unless
// opts.Force; fields last written by an update are taken over and listed
// in Result.TakenOver. After a write it reads the object back and returns
// a *LostEntriesError if any entry it did not mean to change differs.
func (c *Client) Apply(ctx context.Context, change Change, opts ApplyOptions) (*Result, error) {
	start := time.Now()
	var first *unstructured.Unstructured
	for attempt := 0; ; attempt++ {
		res, stored, err := c.applyOnce(ctx, change, opts)
		if attempt == 0 {
			first = stored
		}
		if !isStale(err) {
			return res, err
		}
		if attempt == maxStaleRetries {
			_, now, _ := c.get(ctx)
			return res, &StaleError{Attempts: attempt + 1, Elapsed: time.Since(start), Writers: writersSince(first, now, c.manager),
				Changed: changedEntries(first, now), Err: err}
		}
		select {
		case <-ctx.Done():
			return res, c.wrap("writing", ctx.Err())
		case <-time.After(staleDelay(attempt)):
		}
	}
}

// Plan is Apply with DryRun: what the server would store, or the conflict
// that would stop it.
func (c *Client) Plan(ctx context.Context, change Change) (*Result, error) {
	return c.Apply(ctx, change, ApplyOptions{DryRun: true})
}

func (c *Client) applyOnce(ctx context.Context, change Change, opts ApplyOptions) (*Result, *unstructured.Unstructured, error) {
	shape, err := c.Shape(ctx)
	if err != nil {
		return nil, nil, err
	}
	before, stored, err := c.get(ctx)
	if err != nil {
		return nil, nil, err
	}
	desired, err := change(before)
	if err != nil {
		return nil, stored, err
	}
	res := &Result{Before: before, Desired: desired, Shape: shape}
	if stored != nil {
		_, res.LastApplied = stored.GetAnnotations()[lastAppliedAnnotation]
	}
	if desired == nil {
		// Nothing to write, e.g. removing a cluster from an absent object.
		res.After = before
		return res, stored, nil
	}
	if !shape.ListMaps && stored == nil {
		return c.createOnce(ctx, res, opts)
	}
	if shape.ListMaps && stored != nil {
		// A server-side apply cannot remove an entry another manager also
		// owns (the server keeps it, or what is left of it); an update of
		// the whole object can.
		if removed := retainedEntries(desired.Spec, before.Spec); len(entryOwners(stored, removed, c.manager)) > 0 {
			return c.replaceOnce(ctx, res, stored, opts)
		}
	}
	patch, err := c.applyPatch(shape, stored, before, desired)
	if err != nil {
		return res, stored, err
	}
	// The dry run names the fields other managers own, before anything is
	// written.
	answer, err := c.serverSideApply(ctx, patch, true, false)
	var conflicts []FieldConflict
	var fc *fieldConflictsError
	if errors.As(err, &fc) {
		conflicts = fc.fields
		answer, err = c.serverSideApply(ctx, patch, true, true)
	}
	if err != nil {
		return res, stored, err
	}
	after, err := fromUnstructured(answer)
	if err != nil {
		return res, stored, err
	}
	if len(retainedEntries(desired.Spec, after.Spec)) > 0 && stored != nil {
		return c.replaceOnce(ctx, res, stored, opts)
	}
	if err := consent(conflicts, nil, opts); err != nil {
		return res, stored, err
	}
	res.TakenOver = conflicts
	if !opts.DryRun {
		if answer, err = c.serverSideApply(ctx, patch, false, len(conflicts) > 0); err != nil {
			return res, stored, err
		}
	}
	return c.finish(ctx, res, stored, answer, opts)
}

// replaceOnce writes res.Desired with an update of the whole object, after
// the same consent as a server-side apply: entries a server-side applier
// owns that the change removes or alters need opts.Force.
func (c *Client) replaceOnce(ctx context.Context, res *Result, stored *unstructured.Unstructured, opts ApplyOptions) (*Result, *unstructured.Unstructured, error) {
	before, desired := res.Before, res.Desired
	removed := retainedEntries(desired.Spec, before.Spec)
	owners := entryOwners(stored, append(removed, alteredEntries(before.Spec, desired.Spec)...), c.manager)
	if err := consent(owners, removed, opts); err != nil {
		return res, stored, err
	}
	res.TakenOver = owners
	answer, err := c.replaceSpec(ctx, stored, before, desired, opts.DryRun)
	if err != nil {
		return res, stored, err
	}
	return c.finish(ctx, res, stored, answer, opts)
}

// createOnce creates the object with res.Desired. With atomic lists a
// server-side apply made when the object was absent would replace the
// lists of an object someone created meanwhile; a create fails instead
// (AlreadyExists), and Apply reads and merges again.
func (c *Client) createOnce(ctx context.Context, res *Result, opts ApplyOptions) (*Result, *unstructured.Unstructured, error) {
	lists, err := mergedLists(nil, nil, res.Desired)
	if err != nil {
		return res, nil, err
	}
	u := newObject()
	u.Object["spec"] = map[string]any{"ackVpcEndpoint": lists.ack, "asmVpcEndpoint": map[string]any{"vSwitches": lists.asm}}
	u, err = c.c.Resource(GVR).Create(ctx, u, metav1.CreateOptions{FieldManager: c.manager, DryRun: dryRunAll(opts.DryRun)})
	if err != nil {
		return res, nil, c.wrap("creating", err)
	}
	return c.finish(ctx, res, nil, u, opts)
}

// consent returns a *ConflictError when fields a server-side applier owns
// would be taken over without opts.Force; removed names the entries the
// change removes.
func consent(takeover []FieldConflict, removed []string, opts ApplyOptions) error {
	var appliers []FieldConflict
	for _, f := range takeover {
		if f.Applier {
			appliers = append(appliers, f)
		}
	}
	if len(appliers) == 0 || opts.Force {
		return nil
	}
	cerr := &ConflictError{Managers: managerNames(appliers)}
	for _, f := range appliers {
		if slices.Contains(removed, f.Field) {
			cerr.Retained = append(cerr.Retained, f.Field)
		} else {
			cerr.Fields = append(cerr.Fields, f)
		}
	}
	return cerr
}

// finish records the server's answer and, after a real write, checks that
// every entry the change did not mean to change is as it was.
func (c *Client) finish(ctx context.Context, res *Result, stored, answer *unstructured.Unstructured, opts ApplyOptions) (*Result, *unstructured.Unstructured, error) {
	var err error
	if res.After, err = fromUnstructured(answer); err != nil {
		return res, stored, err
	}
	if opts.DryRun {
		return res, stored, nil
	}
	return res, stored, c.verifyKept(ctx, stored, answer, res.Before, res.Desired)
}

// alteredEntries names the cluster entries and ASM vSwitches that both
// specs have and the change alters.
func alteredEntries(before, desired spec.Spec) []string {
	var out []string
	for _, d := range desired.AckVpcEndpoint {
		i := slices.IndexFunc(before.AckVpcEndpoint, func(b spec.AckVpcEndpoint) bool { return b.ClusterID == d.ClusterID })
		if i >= 0 && !equality.Semantic.DeepEqual(before.AckVpcEndpoint[i], d) {
			out = append(out, fmt.Sprintf("spec.ackVpcEndpoint[clusterId=%s]", d.ClusterID))
		}
	}
	for _, d := range desired.AsmVpcEndpoint.VSwitches {
		i := slices.IndexFunc(before.AsmVpcEndpoint.VSwitches, func(b spec.VSwitch) bool { return b.VSwitchID == d.VSwitchID })
		if i >= 0 && before.AsmVpcEndpoint.VSwitches[i] != d {
			out = append(out, fmt.Sprintf("spec.asmVpcEndpoint.vSwitches[vSwitchId=%s]", d.VSwitchID))
		}
	}
	return out
}

// lastAppliedAnnotation is where client-side kubectl apply keeps the file
// it last applied.
const lastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration"

// applyPatch is the server-side apply request for desired: apiVersion,
// kind, name, the resourceVersion read and spec only (asmlink never writes
// status, labels or annotations).
func (c *Client) applyPatch(shape Shape, stored *unstructured.Unstructured, before, desired *spec.ASMPvlConfig) (*unstructured.Unstructured, error) {
	u := newObject()
	if stored != nil {
		u.SetResourceVersion(stored.GetResourceVersion())
	}
	if shape.ListMaps {
		specObj, err := toUnstructured(&spec.ASMPvlConfig{Spec: c.intent(stored, before, desired).Spec})
		if err != nil {
			return nil, err
		}
		u.Object["spec"] = specObj.Object["spec"]
		return u, nil
	}
	lists, err := mergedLists(stored, before, desired)
	if err != nil {
		return nil, err
	}
	// An atomic list is sent whole when it changes, or when asmlink applied
	// it before (leaving it out would remove it); otherwise asmlink leaves
	// it to whoever set it and does not become its co-owner.
	owned := appliedFields(stored, c.manager)
	s := map[string]any{}
	var b, d spec.Spec
	if before != nil {
		b = before.Spec
	}
	d = desired.Spec
	if before == nil || !equality.Semantic.DeepEqual(b.AckVpcEndpoint, d.AckVpcEndpoint) || owned["ackVpcEndpoint"] {
		s["ackVpcEndpoint"] = lists.ack
	}
	if before == nil || !equality.Semantic.DeepEqual(b.AsmVpcEndpoint.VSwitches, d.AsmVpcEndpoint.VSwitches) || owned["asmVpcEndpoint.vSwitches"] {
		s["asmVpcEndpoint"] = map[string]any{"vSwitches": lists.asm}
	}
	u.Object["spec"] = s
	return u, nil
}

// rawLists are spec's two lists as sent to the server.
type rawLists struct{ ack, asm []any }

// mergedLists builds desired's lists for the server: each entry the change
// keeps exactly as stored holds (fields asmlink does not model included),
// each new or changed one encoded from desired.
func mergedLists(stored *unstructured.Unstructured, before, desired *spec.ASMPvlConfig) (rawLists, error) {
	var b spec.Spec
	var rawAck, rawASM []any
	if before != nil && stored != nil {
		b = before.Spec
		rawAck, _, _ = unstructured.NestedSlice(stored.Object, "spec", "ackVpcEndpoint")
		rawASM, _, _ = unstructured.NestedSlice(stored.Object, "spec", "asmVpcEndpoint", "vSwitches")
	}
	ack, err := mergeRaw(rawAck, desired.Spec.AckVpcEndpoint, keptFrom(b.AckVpcEndpoint, desired.Spec.AckVpcEndpoint, clusterKey))
	if err != nil {
		return rawLists{}, err
	}
	asm, err := mergeRaw(rawASM, desired.Spec.AsmVpcEndpoint.VSwitches, keptFrom(b.AsmVpcEndpoint.VSwitches, desired.Spec.AsmVpcEndpoint.VSwitches, vSwitchKey))
	return rawLists{ack: ack, asm: asm}, err
}

// mergeRaw lists desired for the server: an element kept unchanged from
// before (kept[i] is its index there, -1 for none) is sent as raw holds it
// (raw[j] is before[j] as stored); any other is encoded. Never nil: an
// empty list is sent as [].
func mergeRaw[T any](raw []any, desired []T, kept []int) ([]any, error) {
	out := make([]any, 0, len(desired))
	for i, e := range desired {
		if j := kept[i]; j >= 0 && j < len(raw) {
			out = append(out, runtime.DeepCopyJSONValue(raw[j]))
			continue
		}
		m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(&e)
		if err != nil {
			return nil, fmt.Errorf("encoding %s/%s: %w", spec.Kind, spec.Name, err)
		}
		dropNulls(m)
		out = append(out, m)
	}
	return out, nil
}

// keptFrom tells, for each element of desired, the index of the element of
// before it is unchanged from (-1 for none), matching each element of
// before once. It looks elements up by key, so a list of 20,000 clusters
// takes linear time.
func keptFrom[T any](before, desired []T, key func(T) string) []int {
	byKey := map[string][]int{}
	for i, b := range before {
		byKey[key(b)] = append(byKey[key(b)], i)
	}
	out := make([]int, len(desired))
	for i, d := range desired {
		out[i] = -1
		k := key(d)
		for n, j := range byKey[k] {
			if equality.Semantic.DeepEqual(before[j], d) {
				out[i] = j
				byKey[k] = slices.Delete(byKey[k], n, n+1)
				break
			}
		}
	}
	return out
}

// clusterKey and vSwitchKey are the keys of spec's lists.
func clusterKey(e spec.AckVpcEndpoint) string { return e.ClusterID }
func vSwitchKey(v spec.VSwitch) string        { return v.VSwitchID }

// serverSideApply sends patch as an apply patch as this client's field
// manager. A field-manager conflict is returned as *fieldConflictsError.
func (c *Client) serverSideApply(ctx context.Context, patch *unstructured.Unstructured, dryRun, force bool) (*unstructured.Unstructured, error) {
	u, err := c.c.Resource(GVR).Apply(ctx, patch.GetName(), patch, metav1.ApplyOptions{FieldManager: c.manager, Force: force, DryRun: dryRunAll(dryRun)})
	if err != nil {
		if fc := fieldConflicts(err); fc != nil {
			return nil, fc
		}
		return nil, c.wrap("applying", err)
	}
	return u, nil
}

// intent is the part of desired that asmlink applies to lists merged by
// key: the cluster entries its earlier applies set and every entry the
// change adds or alters, plus the shared ASM vSwitches. Entries only other
// managers set (a GitOps tool, kubectl) are left to them, so asmlink does
// not become their co-owner and does not keep alive what they later drop.
// The ASM vSwitches are applied whole because asmlink's entries may rely on
// any of them; a shared vSwitch that another manager drops stays while
// asmlink's entries need it.
func (c *Client) intent(stored *unstructured.Unstructured, before, desired *spec.ASMPvlConfig) *spec.ASMPvlConfig {
	out := desired.DeepCopy()
	if out.Spec.AsmVpcEndpoint.VSwitches == nil {
		// An empty list, not a missing one: the CRD requires the field.
		out.Spec.AsmVpcEndpoint.VSwitches = []spec.VSwitch{}
	}
	if before == nil || stored == nil {
		return out
	}
	owned := ownedClusters(stored, c.manager)
	from := keptFrom(before.Spec.AckVpcEndpoint, desired.Spec.AckVpcEndpoint, clusterKey)
	var send []spec.AckVpcEndpoint
	for i, e := range out.Spec.AckVpcEndpoint {
		if owned[e.ClusterID] || from[i] < 0 {
			send = append(send, e)
		}
	}
	out.Spec.AckVpcEndpoint = send
	return out
}

// ownedClusters reads, from the managedFields of stored, the clusterIds of
// the ackVpcEndpoint entries that manager's server-side applies set.
func ownedClusters(stored *unstructured.Unstructured, manager string) map[string]bool {
	owned := map[string]bool{}
	for _, mf := range stored.GetManagedFields() {
		if mf.Manager != manager || mf.Operation != metav1.ManagedFieldsOperationApply || mf.Subresource != "" || mf.FieldsV1 == nil {
			continue
		}
		var fields struct {
			Spec struct {
				Entries map[string]json.RawMessage `json:"f:ackVpcEndpoint"`
			} `json:"f:spec"`
		}
		if err := json.Unmarshal(mf.FieldsV1.Raw, &fields); err != nil {
			continue
		}
		for k := range fields.Spec.Entries {
			var key struct {
				ClusterID string `json:"clusterId"`
			}
			if rest, ok := strings.CutPrefix(k, "k:"); ok && json.Unmarshal([]byte(rest), &key) == nil {
				owned[key.ClusterID] = true
			}
		}
	}
	return owned
}

// replaceSpec writes desired with an update of the whole object as
// stored (status and every field asmlink does not model included), its
// lists merged as mergedLists does, conditional on the resourceVersion
// read.
func (c *Client) replaceSpec(ctx context.Context, stored *unstructured.Unstructured, before, desired *spec.ASMPvlConfig, dryRun bool) (*unstructured.Unstructured, error) {
	lists, err := mergedLists(stored, before, desired)
	if err != nil {
		return nil, err
	}
	u := stored.DeepCopy()
	// Left out, managedFields stay as the server has them.
	u.SetManagedFields(nil)
	if err := unstructured.SetNestedSlice(u.Object, lists.ack, "spec", "ackVpcEndpoint"); err != nil {
		return nil, err
	}
	if err := unstructured.SetNestedSlice(u.Object, lists.asm, "spec", "asmVpcEndpoint", "vSwitches"); err != nil {
		return nil, err
	}
	u, err = c.c.Resource(GVR).Update(ctx, u, metav1.UpdateOptions{FieldManager: c.manager, DryRun: dryRunAll(dryRun)})
	if err != nil {
		return nil, c.wrap("removing entries of", err)
	}
	return u, nil
}

// verifyKept reads the object back after a write and compares, entry by
// entry and field by field as stored, everything the change did not mean
// to change. When another write came after asmlink's, the object as
// asmlink's write stored it (written) is compared instead.
func (c *Client) verifyKept(ctx context.Context, stored, written *unstructured.Unstructured, before, desired *spec.ASMPvlConfig) error {
	_, back, err := c.get(ctx)
	if err != nil {
		return err
	}
	if back == nil || back.GetResourceVersion() != written.GetResourceVersion() {
		back = written
	}
	lost, restore := lostEntries(stored, back, before, desired)
	if len(lost) == 0 {
		return nil
	}
	data, err := yaml.Marshal(map[string]any{"apiVersion": spec.APIVersion, "kind": spec.Kind, "metadata": map[string]any{"name": spec.Name}, "spec": restore})
	if err != nil {
		return err
	}
	return &LostEntriesError{Entries: lost, Restore: data}
}

// lostEntries names every entry of stored the change keeps (it is in
// before and, unchanged, in desired) that back does not hold exactly, and
// returns back's spec with those entries put back as stored.
func lostEntries(stored, back *unstructured.Unstructured, before, desired *spec.ASMPvlConfig) ([]string, map[string]any) {
	restore, _, _ := unstructured.NestedMap(back.Object, "spec")
	if restore == nil {
		restore = map[string]any{}
	}
	if stored == nil || before == nil {
		return nil, restore
	}
	var lost []string
	check := func(path []string, label func(key string) string, keyName string, kept map[int]bool) {
		was, _, _ := unstructured.NestedSlice(stored.Object, append([]string{"spec"}, path...)...)
		now, _, _ := unstructured.NestedSlice(back.Object, append([]string{"spec"}, path...)...)
		fixed := slices.Clone(now)
		key := func(item any) string { m, _ := item.(map[string]any); k, _ := m[keyName].(string); return k }
		byKey := map[string][]int{}
		for i, item := range now {
			byKey[key(item)] = append(byKey[key(item)], i)
		}
		for i, item := range was {
			same := byKey[key(item)]
			if !kept[i] || slices.ContainsFunc(same, func(j int) bool { return equality.Semantic.DeepEqual(now[j], item) }) {
				continue
			}
			if len(same) > 0 {
				lost = append(lost, label(key(item))+" (altered)")
				fixed[same[0]] = item
			} else {
				lost = append(lost, label(key(item))+" (lost)")
				fixed = append(fixed, item)
			}
		}
		_ = unstructured.SetNestedSlice(restore, fixed, path...)
	}
	check([]string{"ackVpcEndpoint"}, func(k string) string { return fmt.Sprintf("spec.ackVpcEndpoint[clusterId=%s]", k) }, "clusterId",
		keptSet(keptFrom(before.Spec.AckVpcEndpoint, desired.Spec.AckVpcEndpoint, clusterKey)))
	check([]string{"asmVpcEndpoint", "vSwitches"}, func(k string) string { return fmt.Sprintf("spec.asmVpcEndpoint.vSwitches[vSwitchId=%s]", k) }, "vSwitchId",
		keptSet(keptFrom(before.Spec.AsmVpcEndpoint.VSwitches, desired.Spec.AsmVpcEndpoint.VSwitches, vSwitchKey)))
	// Fields of spec asmlink does not model are never meant to change.
	wasSpec, _, _ := unstructured.NestedMap(stored.Object, "spec")
	nowSpec, _, _ := unstructured.NestedMap(back.Object, "spec")
	for k, v := range wasSpec {
		if k == "ackVpcEndpoint" || k == "asmVpcEndpoint" || equality.Semantic.DeepEqual(v, nowSpec[k]) {
			continue
		}
		lost = append(lost, "spec."+k+" (altered)")
		restore[k] = v
	}
	return lost, restore
}

// keptSet is the set of before's indexes keptFrom matched.
func keptSet(kept []int) map[int]bool {
	set := map[int]bool{}
	for _, j := range kept {
		if j >= 0 {
			set[j] = true
		}
	}
	return set
}

// isStale tells whether err is the server refusing a write made against an
// older resourceVersion, or a create of an object someone created meanwhile.
func isStale(err error) bool {
	var fc *fieldConflictsError
	return (apierrors.IsConflict(err) || apierrors.IsAlreadyExists(err)) && !errors.As(err, &fc)
}

// fieldConflictsError is the server's field-manager conflict, read.
type fieldConflictsError struct{ fields []FieldConflict }

func (e *fieldConflictsError) Error() string {
	fs := make([]string, len(e.fields))
	for i, f := range e.fields {
		fs[i] = f.Field + " (" + f.Manager + ")"
	}
	return "field-manager conflicts: " + strings.Join(fs, ", ")
}

// fieldConflicts reads the server's field-manager conflict, or returns nil
// for any other error.
func fieldConflicts(err error) *fieldConflictsError {
	var status apierrors.APIStatus
	if !errors.As(err, &status) || status.Status().Details == nil {
		return nil
	}
	out := &fieldConflictsError{}
	for _, cause := range status.Status().Details.Causes {
		if cause.Type != metav1.CauseTypeFieldManagerConflict {
			continue
		}
		m, applier := managerFromConflict(cause.Message)
		out.fields = append(out.fields, FieldConflict{Manager: m, Applier: applier, Field: strings.TrimPrefix(cause.Field, ".")})
	}
	if len(out.fields) == 0 {
		return nil
	}
	return out
}

// managerFromConflict reads the manager out of a conflict cause message and
// tells whether it is a server-side applier. The API server writes
// `conflict with "gitops"` for an applier and `conflict with "kubectl-edit"
// using v1 at <time>` for an update (k8s.io/apimachinery
// pkg/util/managedfields/internal/conflict.go, printManager).
func managerFromConflict(msg string) (string, bool) {
	rest := strings.TrimPrefix(msg, "conflict with ")
	q, err := strconv.QuotedPrefix(rest)
	if err != nil {
		return msg, true
	}
	name, _ := strconv.Unquote(q)
	return name, !strings.Contains(rest[len(q):], " using ")
}

// managerNames lists, sorted and once each, the managers of fields.
func managerNames(fields []FieldConflict) []string {
	var out []string
	for _, f := range fields {
		if !slices.Contains(out, f.Manager) {
			out = append(out, f.Manager)
		}
	}
	slices.Sort(out)
	return out
}

// appliedFields reads which of spec's lists manager's server-side applies
// set: "ackVpcEndpoint" and "asmVpcEndpoint.vSwitches".
func appliedFields(stored *unstructured.Unstructured, manager string) map[string]bool {
	owned := map[string]bool{}
	if stored == nil {
		return owned
	}
	for _, mf := range stored.GetManagedFields() {
		if mf.Manager != manager || mf.Operation != metav1.ManagedFieldsOperationApply || mf.Subresource != "" || mf.FieldsV1 == nil {
			continue
		}
		var f map[string]any
		if json.Unmarshal(mf.FieldsV1.Raw, &f) != nil {
			continue
		}
		if fieldSet(f, "f:spec", "f:ackVpcEndpoint") != nil {
			owned["ackVpcEndpoint"] = true
		}
		if fieldSet(f, "f:spec", "f:asmVpcEndpoint", "f:vSwitches") != nil {
			owned["asmVpcEndpoint.vSwitches"] = true
		}
	}
	return owned
}

// fieldSet walks a managedFields FieldsV1 set; nil when path is absent.
func fieldSet(f map[string]any, path ...string) map[string]any {
	for _, p := range path {
		next, ok := f[p].(map[string]any)
		if !ok {
			return nil
		}
		f = next
	}
	return f
}

// entryOwners names, for each retained entry, the other managers whose
// managedFields own part of it.
func entryOwners(stored *unstructured.Unstructured, retained []string, self string) []FieldConflict {
	if stored == nil {
		return nil
	}
	var out []FieldConflict
	for _, mf := range stored.GetManagedFields() {
		if mf.Manager == self || mf.Subresource != "" || mf.FieldsV1 == nil {
			continue
		}
		var f map[string]any
		if json.Unmarshal(mf.FieldsV1.Raw, &f) != nil {
			continue
		}
		for _, r := range retained {
			if fieldSet(f, entryFieldPath(r)...) != nil {
				out = append(out, FieldConflict{Manager: mf.Manager, Applier: mf.Operation == metav1.ManagedFieldsOperationApply, Field: r})
			}
		}
	}
	return out
}

// entryFieldPath turns an entry name of retainedEntries into its path in a
// managedFields set.
func entryFieldPath(entry string) []string {
	key := func(name, value string) string {
		b, _ := json.Marshal(map[string]string{name: value})
		return "k:" + string(b)
	}
	path := []string{"f:spec"}
	rest := strings.TrimPrefix(entry, "spec.")
	if v, ok := strings.CutPrefix(rest, "asmVpcEndpoint.vSwitches[vSwitchId="); ok {
		return append(path, "f:asmVpcEndpoint", "f:vSwitches", key("vSwitchId", strings.TrimSuffix(v, "]")))
	}
	rest = strings.TrimPrefix(rest, "ackVpcEndpoint[clusterId=")
	cluster, vsw, nested := strings.Cut(rest, "].vSwitches[vSwitchId=")
	path = append(path, "f:ackVpcEndpoint", key("clusterId", strings.TrimSuffix(cluster, "]")))
	if nested {
		path = append(path, "f:vSwitches", key("vSwitchId", strings.TrimSuffix(vsw, "]")))
	}
	return path
}

// writersSince names the managers whose managedFields entry in now is
// newer than, or absent from, first: who wrote between two reads.
func writersSince(first, now *unstructured.Unstructured, self string) []string {
	if now == nil {
		return nil
	}
	seen := map[string]bool{}
	if first != nil {
		for _, mf := range first.GetManagedFields() {
			seen[mf.Manager+"/"+string(mf.Operation)+"/"+mf.Time.String()] = true
		}
	}
	var out []string
	for _, mf := range now.GetManagedFields() {
		if mf.Manager != self && !seen[mf.Manager+"/"+string(mf.Operation)+"/"+mf.Time.String()] && !slices.Contains(out, mf.Manager) {
			out = append(out, mf.Manager)
		}
	}
	slices.Sort(out)
	return out
}

// changedEntries names the entries that differ between two reads.
func changedEntries(a, b *unstructured.Unstructured) []string {
	var out []string
	for _, list := range []struct {
		path  []string
		key   string
		label string
	}{
		{[]string{"spec", "ackVpcEndpoint"}, "clusterId", "spec.ackVpcEndpoint[clusterId=%s]"},
		{[]string{"spec", "asmVpcEndpoint", "vSwitches"}, "vSwitchId", "spec.asmVpcEndpoint.vSwitches[vSwitchId=%s]"},
	} {
		index := func(u *unstructured.Unstructured) map[string]any {
			m := map[string]any{}
			if u == nil {
				return m
			}
			items, _, _ := unstructured.NestedSlice(u.Object, list.path...)
			for _, it := range items {
				if im, ok := it.(map[string]any); ok {
					k, _ := im[list.key].(string)
					m[k] = im
				}
			}
			return m
		}
		was, now := index(a), index(b)
		var keys []string
		for k := range was {
			keys = append(keys, k)
		}
		for k := range now {
			if _, ok := was[k]; !ok {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			if !equality.Semantic.DeepEqual(was[k], now[k]) {
				out = append(out, fmt.Sprintf(list.label, k))
			}
		}
	}
	return out
}

// retainedEntries lists the entries (clusters, vSwitches) the server kept
// although desired does not have them.
func retainedEntries(desired, got spec.Spec) []string {
	if equality.Semantic.DeepEqual(desired, got) {
		return nil
	}
	var out []string
	want := map[string]spec.AckVpcEndpoint{}
	for _, e := range desired.AckVpcEndpoint {
		want[e.ClusterID] = e
	}
	for _, e := range got.AckVpcEndpoint {
		w, ok := want[e.ClusterID]
		if !ok {
			out = append(out, fmt.Sprintf("spec.ackVpcEndpoint[clusterId=%s]", e.ClusterID))
			continue
		}
		for _, v := range extraVSwitches(w.VSwitches, e.VSwitches) {
			out = append(out, fmt.Sprintf("spec.ackVpcEndpoint[clusterId=%s].vSwitches[vSwitchId=%s]", e.ClusterID, v))
		}
	}
	for _, v := range extraVSwitches(desired.AsmVpcEndpoint.VSwitches, got.AsmVpcEndpoint.VSwitches) {
		out = append(out, fmt.Sprintf("spec.asmVpcEndpoint.vSwitches[vSwitchId=%s]", v))
	}
	return out
}

// extraVSwitches lists the vSwitch IDs in got that want lacks.
func extraVSwitches(want, got []spec.VSwitch) []string {
	var out []string
	for _, g := range got {
		if !slices.ContainsFunc(want, func(w spec.VSwitch) bool { return w.VSwitchID == g.VSwitchID }) {
			out = append(out, g.VSwitchID)
		}
	}
	return out
}
