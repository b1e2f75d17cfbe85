package kube

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"

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
	// Force takes over fields that other field managers own. Set it only
	// after the person has seen the ConflictError and agreed.
	Force bool
}

// Result is what an apply did.
type Result struct {
	// Before is the object as it was read (nil when it did not exist).
	Before *spec.ASMPvlConfig
	// Desired is what the Change asked for.
	Desired *spec.ASMPvlConfig
	// After is the object as the server stored it, or would have stored it
	// for a dry run.
	After *spec.ASMPvlConfig
}

// Diff is the change for a person to review: a unified diff of the YAML
// before and after (spec.Diff), empty when nothing changes.
func (r *Result) Diff() string { return spec.Diff(r.Before, r.After) }

// FieldConflict is one field another field manager set to a different
// value than the change wants.
type FieldConflict struct {
	Manager string
	Field   string
}

// ConflictError means the change needs fields that other field managers
// (kubectl, a GitOps tool, another person's edit) own. asmlink never takes
// them over without consent: show it, ask, and retry with Force.
type ConflictError struct {
	// Fields are fields other managers set to values the change would
	// replace.
	Fields []FieldConflict
	// Retained are entries the change removes that the server would keep
	// because other managers own part of them, e.g.
	// spec.ackVpcEndpoint[clusterId=c1].
	Retained []string
	// Managers are the other field managers involved, sorted.
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
		parts = append(parts, "the change removes "+strings.Join(e.Retained, ", ")+", which the server keeps because another field manager also owns it")
	}
	return fmt.Sprintf("%s/%s is also managed by %s: %s; asmlink changes another manager's fields only with your consent (force)",
		spec.Kind, spec.Name, strings.Join(e.Managers, ", "), strings.Join(parts, "; "))
}

// maxStaleRetries bounds how often Apply re-reads and re-merges when the
// object changed between its read and its write.
const maxStaleRetries = 5

// Apply reads ASMPvlConfig/default, computes the desired object with change,
// and writes it with server-side apply as this client's field manager. The
// write is conditional on the resourceVersion read, so a concurrent write
// makes Apply read and merge again instead of losing it. Fields another
// manager owns are never taken over without opts.Force: Apply first asks the
// server for a dry run and returns a *ConflictError if the change would
// overwrite or fail to remove them.
func (c *Client) Apply(ctx context.Context, change Change, opts ApplyOptions) (*Result, error) {
	for attempt := 0; ; attempt++ {
		res, err := c.applyOnce(ctx, change, opts)
		if isStale(err) && attempt < maxStaleRetries {
			continue
		}
		return res, err
	}
}

// Plan is Apply with DryRun: what the server would store, or the conflict
// that would stop it.
func (c *Client) Plan(ctx context.Context, change Change) (*Result, error) {
	return c.Apply(ctx, change, ApplyOptions{DryRun: true})
}

func (c *Client) applyOnce(ctx context.Context, change Change, opts ApplyOptions) (*Result, error) {
	before, stored, err := c.get(ctx)
	if err != nil {
		return nil, err
	}
	desired, err := change(before)
	if err != nil {
		return nil, err
	}
	res := &Result{Before: before, Desired: desired}
	if desired == nil {
		// Nothing to write, e.g. removing a cluster from an absent object.
		res.After = before
		return res, nil
	}
	var rv string
	if before != nil {
		rv = before.Metadata.ResourceVersion
	}
	send := c.intent(stored, before, desired)
	// The dry run shows fields the server would keep because another
	// manager owns them, before anything is written.
	after, err := c.serverSideApply(ctx, send, desired, rv, true, opts.Force)
	if err != nil {
		return res, err
	}
	if opts.DryRun {
		res.After = after
		if opts.Force {
			res.After.Spec = desired.Spec
		}
		return res, nil
	}
	if after, err = c.serverSideApply(ctx, send, desired, rv, false, opts.Force); err != nil {
		return res, err
	}
	if opts.Force && len(retainedEntries(desired.Spec, after.Spec)) > 0 {
		// Forced removal of entries other managers co-own: an update,
		// unlike an apply, removes them whoever owns them.
		if after, err = c.replaceSpec(ctx, after, desired.Spec); err != nil {
			return res, err
		}
	}
	res.After = after
	return res, nil
}

// serverSideApply sends send as an apply patch: apiVersion, kind, name and
// spec only (asmlink never writes status, labels or annotations),
// conditional on rv when set. Without force, entries the server keeps
// although desired drops them make it return a *ConflictError.
func (c *Client) serverSideApply(ctx context.Context, send, desired *spec.ASMPvlConfig, rv string, dryRun, force bool) (*spec.ASMPvlConfig, error) {
	specObj, err := toUnstructured(&spec.ASMPvlConfig{Spec: send.Spec})
	if err != nil {
		return nil, err
	}
	u := newObject()
	u.SetResourceVersion(rv)
	u.Object["spec"] = specObj.Object["spec"]
	opts := []client.PatchOption{client.FieldOwner(c.manager)}
	if dryRun {
		opts = append(opts, client.DryRunAll)
	}
	if force {
		opts = append(opts, client.ForceOwnership)
	}
	if err := c.c.Patch(ctx, u, client.Apply, opts...); err != nil {
		if fc := fieldConflicts(err); fc != nil {
			return nil, fc
		}
		return nil, c.wrap("applying", err)
	}
	after, err := fromUnstructured(u)
	if err != nil {
		return nil, err
	}
	if retained := retainedEntries(desired.Spec, after.Spec); len(retained) > 0 && !force {
		return nil, &ConflictError{Retained: retained, Managers: specManagers(u, c.manager)}
	}
	return after, nil
}

// intent is the part of desired that asmlink applies: the cluster entries
// its earlier applies set and every entry the change adds or alters, plus
// the shared ASM vSwitches. Entries only other managers set (a GitOps tool,
// kubectl) are left to them, so asmlink does not become their co-owner and
// does not keep alive what they later drop. The ASM vSwitches are applied
// whole because asmlink's entries may rely on any of them; a shared vSwitch
// that another manager drops stays while asmlink's entries need it.
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
	out.Spec.AckVpcEndpoint = slices.DeleteFunc(out.Spec.AckVpcEndpoint, func(e spec.AckVpcEndpoint) bool {
		old, existed := before.Entry(e.ClusterID)
		return !owned[e.ClusterID] && existed && equality.Semantic.DeepEqual(old, e)
	})
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

// replaceSpec writes spec with an update conditional on after's
// resourceVersion.
func (c *Client) replaceSpec(ctx context.Context, after *spec.ASMPvlConfig, s spec.Spec) (*spec.ASMPvlConfig, error) {
	u := newObject()
	if err := c.c.Get(ctx, client.ObjectKey{Name: spec.Name}, u); err != nil {
		return nil, c.wrap("reading", err)
	}
	if u.GetResourceVersion() != after.Metadata.ResourceVersion {
		return nil, c.wrap("removing entries", apierrors.NewConflict(GVR.GroupResource(), spec.Name, errors.New("the object has been modified")))
	}
	specObj, err := toUnstructured(&spec.ASMPvlConfig{Spec: s})
	if err != nil {
		return nil, err
	}
	u.Object["spec"] = specObj.Object["spec"]
	if err := c.c.Update(ctx, u, client.FieldOwner(c.manager)); err != nil {
		return nil, c.wrap("removing entries", err)
	}
	return fromUnstructured(u)
}

// isStale tells whether err is the server refusing a write made against an
// older resourceVersion.
func isStale(err error) bool {
	var cerr *ConflictError
	return apierrors.IsConflict(err) && !errors.As(err, &cerr)
}

// fieldConflicts turns the server's field-manager conflict into a
// *ConflictError, or returns nil for any other error.
func fieldConflicts(err error) *ConflictError {
	var status apierrors.APIStatus
	if !errors.As(err, &status) || status.Status().Details == nil {
		return nil
	}
	out := &ConflictError{}
	managers := map[string]bool{}
	for _, cause := range status.Status().Details.Causes {
		if cause.Type != metav1.CauseTypeFieldManagerConflict {
			continue
		}
		m := managerFromConflict(cause.Message)
		out.Fields = append(out.Fields, FieldConflict{Manager: m, Field: strings.TrimPrefix(cause.Field, ".")})
		managers[m] = true
	}
	if len(out.Fields) == 0 {
		return nil
	}
	for m := range managers {
		out.Managers = append(out.Managers, m)
	}
	slices.Sort(out.Managers)
	return out
}

// managerFromConflict reads the manager out of a conflict cause message,
// `conflict with "kubectl-edit" using istio.alibabacloud.com/v1beta1`.
func managerFromConflict(msg string) string {
	if _, rest, ok := strings.Cut(msg, `"`); ok {
		if name, _, ok := strings.Cut(rest, `"`); ok {
			return name
		}
	}
	return msg
}

// specManagers lists, sorted, the managers other than self whose
// managedFields entry covers part of spec.
func specManagers(u *unstructured.Unstructured, self string) []string {
	var out []string
	for _, mf := range u.GetManagedFields() {
		if mf.Manager == self || mf.Subresource != "" || mf.FieldsV1 == nil {
			continue
		}
		if strings.Contains(string(mf.FieldsV1.Raw), `"f:spec"`) && !slices.Contains(out, mf.Manager) {
			out = append(out, mf.Manager)
		}
	}
	slices.Sort(out)
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
