package cmdutil

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"
	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"github.com/asmlink/asmlink/cloud/kube"

	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/flow/session"
	"github.com/asmlink/asmlink/spec"
	"github.com/asmlink/asmlink/ui/render"
	"github.com/asmlink/asmlink/ui/styles"
)

// WriteOptions say how apply and remove write a change.
type WriteOptions struct {
	DryRun         bool
	Yes            bool
	ForceConflicts bool
	// Wait is what --wait waits for after the write; Grace how long a cause
	// only a person can fix holds before the wait ends on it (exit 3).
	Wait    flow.WaitMode
	Timeout time.Duration
	Grace   time.Duration
	// Output is text, json or yaml.
	Output string
	// Interval is the first pause between polls of --wait; 0 is flow's
	// default. Tests shorten it.
	Interval time.Duration
}

// Bind registers --dry-run, --yes, --force-conflicts, and --wait,
// --timeout and --grace as status has them.
func (w *WriteOptions) Bind(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&w.DryRun, "dry-run", false, "show the change the API server would make, and change nothing")
	cmd.Flags().BoolVarP(&w.Yes, "yes", "y", false, "apply without asking (required without a terminal)")
	cmd.Flags().BoolVar(&w.ForceConflicts, "force-conflicts", false, "take over fields another server-side applier (a GitOps tool) owns (asks first, or needs --yes)")
	BindWait(cmd, &w.Wait, &w.Timeout, &w.Grace)
}

// Report is what apply and remove write with -o json.
type Report struct {
	// Changed tells whether the object was (or, for a dry run, would be)
	// changed.
	Changed bool   `json:"changed"`
	DryRun  bool   `json:"dryRun"`
	Diff    string `json:"diff"`
	// Config is the object as the server stored it (or would store it).
	Config *spec.ASMPvlConfig `json:"config"`
}

// Write shows the diff of change against the live object, asks for
// consent, applies it with server-side apply and, with Wait, waits for
// Available. A field another manager owns is only taken over with
// ForceConflicts and consent.
func Write(ctx context.Context, f *Factory, l *session.Session, change session.Change, what string, w WriteOptions) error {
	server := l.Server.Server()
	st := styles.New(f.Color(f.IO.IsStderrTTY()))
	if err := mayWrite(ctx, f, l); err != nil {
		return err
	}
	rev, err := l.Review(ctx, change)
	if err != nil {
		return refused(l, err)
	}
	conflict := rev.Conflict
	if conflict != nil {
		fmt.Fprintf(f.IO.ErrOut, "%s\n", st.Warn.Render("Conflict: "+spec.Printable(conflict.Error())))
		if !w.ForceConflicts {
			who := strings.Join(conflict.Managers, ", ")
			return WithCode(ExitChecks, fmt.Errorf("%s/%s is also managed by %s with server-side apply; nothing was changed. "+
				"Change what %s applies instead, or re-run with --force-conflicts to take those fields over", spec.Kind, spec.Name, who, who))
		}
	}
	res := rev.Result
	diff := res.Diff()
	if diff == "" {
		fmt.Fprintf(f.IO.ErrOut, "No change: %s/%s on %s already says this.\n", spec.Kind, spec.Name, server)
		if err := output(f, w, Report{DryRun: w.DryRun, Config: res.After}); err != nil {
			return err
		}
		return wait(ctx, f, l, w)
	}
	fmt.Fprintf(f.IO.ErrOut, "Change to %s/%s on %s (%s), as the API server's dry run answers:\n%s", spec.Kind, spec.Name, server, what, render.Diff(st, diff))
	for _, n := range res.Notes {
		fmt.Fprintln(f.IO.ErrOut, st.Warn.Render(n))
	}
	if w.DryRun {
		fmt.Fprintln(f.IO.ErrOut, "Dry run: nothing was changed.")
		return output(f, w, Report{Changed: true, DryRun: true, Diff: diff, Config: res.After})
	}
	question := fmt.Sprintf("Apply this change to %s/%s on %s?", spec.Kind, spec.Name, server)
	if conflict != nil {
		question = fmt.Sprintf("Apply this change, taking over the fields %s set with server-side apply?", strings.Join(conflict.Managers, ", "))
	}
	if err := f.Confirm(ctx, question, w.Yes); err != nil {
		return err
	}
	res, err = l.Apply(ctx, change, conflict != nil)
	if err != nil {
		return refused(l, err)
	}
	fmt.Fprintf(f.IO.ErrOut, "Applied: %s/%s now connects %d cluster(s).\n", spec.Kind, spec.Name, len(res.After.Spec.AckVpcEndpoint))
	if err := output(f, w, Report{Changed: true, Diff: res.Diff(), Config: res.After}); err != nil {
		return err
	}
	return wait(ctx, f, l, w)
}

// mayWrite asks the API server, when it can tell (session.AccessReviewer),
// whether the identity may write ASMPvlConfig/default, and refuses with
// exit 4 before anything is tried when it may not: a RAM user has no RBAC
// binding on the ASM API server by default, and only ASM's istio-admin and
// istio-ops roles may change resources (istio-readonly may read them). A
// server that answers the review with no verdict (403 for the review
// itself, 404, 405) is not a refusal: one warning line says so and the
// write goes on, whose own 403 refused reports with the same hint.
func mayWrite(ctx context.Context, f *Factory, l *session.Session) error {
	ar, ok := l.Server.(session.AccessReviewer)
	if !ok {
		return nil
	}
	patch, create, reason, err := ar.MayWrite(ctx)
	var noVerdict *kube.NoVerdictError
	if errors.As(err, &noVerdict) {
		st := styles.New(f.Color(f.IO.IsStderrTTY()))
		fmt.Fprintln(f.IO.ErrOut, st.Warn.Render("could not check permissions first: "+spec.Printable(noVerdict.Error())+"; the write will say"))
		return nil
	}
	if err != nil {
		return err
	}
	var verbs []string
	if !patch {
		verbs = append(verbs, "patch")
	}
	if !create && l.Env.Config == nil {
		verbs = append(verbs, "create")
	}
	if len(verbs) == 0 {
		return nil
	}
	return notPermitted(l, strings.Join(verbs, " or "), reason)
}

// refused turns a 403 the write itself got into notPermitted's exit 4 and
// hint, for a server that could not be asked first; any other error is
// returned as it is.
func refused(l *session.Session, err error) error {
	if !apierrors.IsForbidden(err) {
		return err
	}
	return notPermitted(l, "write", err.Error())
}

// notPermitted is the refusal of a write to ASMPvlConfig/default, exit 4,
// naming what the identity may not do, the server's reason, and the roles
// that may: nothing was changed.
func notPermitted(l *session.Session, verbs, reason string) error {
	if reason != "" {
		reason = " (" + spec.Printable(reason) + ")"
	}
	return WithCode(ExitCredentials, fmt.Errorf("the kubeconfig's identity may not %s %s on the ASM API server %s%s, so nothing was changed. "+
		"A RAM user has no RBAC binding there by default: grant it the istio-admin or istio-ops role for mesh %s "+
		"(ASM console, RBAC authorization, or `aliyun servicemesh GrantUserPermissions`); istio-readonly may only read",
		verbs, spec.Resource, l.Server.Server(), reason, l.Env.Mesh.ID))
}

// NothingToRemove ends a remove of a cluster that has no entry in
// ASMPvlConfig/default: it says so on stderr, writes the unchanged object
// for -o json or yaml, and succeeds without writing, as terraform destroy
// of an absent resource does, so a script may remove twice.
func NothingToRemove(f *Factory, l *session.Session, clusterID string, w WriteOptions) error {
	connected := "none"
	if l.Env.Config != nil && len(l.Env.Config.Spec.AckVpcEndpoint) > 0 {
		connected = strings.Join(l.Env.Config.ClusterIDs(), ", ")
	}
	fmt.Fprintf(f.IO.ErrOut, "Nothing to remove: %s/%s on %s has no entry for cluster %s (connected: %s).\n",
		spec.Kind, spec.Name, l.Server.Server(), clusterID, connected)
	return output(f, w, Report{DryRun: w.DryRun, Config: l.Env.Config})
}

// output writes the result on stdout for -o json or yaml; text writes
// nothing there, the summary is on stderr.
func output(f *Factory, w WriteOptions, r Report) error {
	switch w.Output {
	case OutputJSON:
		enc := json.NewEncoder(f.IO.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	case OutputYAML:
		_, err := f.IO.Out.Write(spec.Encode(r.Config, spec.EncodeOptions{Status: true}))
		return err
	}
	return nil
}

// wait waits for w.Wait after a write (status.WaitLinks): exit 3 on a
// cause only a person can fix, after naming it and its fix, and 124 on
// timeout.
func wait(ctx context.Context, f *Factory, l *session.Session, w WriteOptions) error {
	if w.Wait == flow.WaitNone || w.DryRun {
		return nil
	}
	last, err := WaitLinks(ctx, f, l, flow.WaitTarget{Mode: w.Wait}, WaitOptions{Timeout: w.Timeout, Grace: w.Grace, Interval: w.Interval})
	if err != nil && last != nil {
		st := styles.New(f.Color(f.IO.IsStderrTTY()))
		fmt.Fprint(f.IO.ErrOut, render.Diagnoses(st, 0, last.Diagnoses))
	}
	return err
}
