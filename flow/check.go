package flow

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/asmlink/asmlink/spec"
)

// Category groups checks by what they look at. Checks of a category may
// depend on checks of the categories before it.
type Category string

// The check categories, in the order they run.
const (
	// CategoryMesh covers the ASM instance itself.
	CategoryMesh Category = "mesh"
	// CategoryCluster covers the ACK cluster relative to the mesh: region,
	// VPC and membership. It relies on the mesh being known.
	CategoryCluster Category = "cluster"
	// CategoryPrivateLink covers the PrivateLink product in the region.
	CategoryPrivateLink Category = "privatelink"
	// CategoryVSwitches covers the chosen vSwitch pair: zones and free IPs.
	// It relies on the cluster being in another VPC of the same region.
	CategoryVSwitches Category = "vswitches"
	// CategoryNetwork covers CIDR overlaps across every cluster of the mesh.
	CategoryNetwork Category = "network"
)

// Status is the outcome of one check.
type Status string

// The outcomes of a check.
const (
	// StatusPass means the check found nothing wrong.
	StatusPass Status = "pass"
	// StatusWarn means the check found something to look at that does not
	// stop the change.
	StatusWarn Status = "warn"
	// StatusFail means the check found a problem that stops the change.
	StatusFail Status = "fail"
	// StatusSkip means the check does not apply here, or a check it depends
	// on failed; it is not a failure.
	StatusSkip Status = "skip"
)

// DocBaseURL is where each check code has a section, as DocBaseURL + code.
const DocBaseURL = "https://github.com/asmlink/asmlink/blob/main/README.md#"

// DocURL returns the documentation link of a check or diagnosis code: its
// section in the README, DocBaseURL plus the lower-case code.
func DocURL(code spec.Code) string {
	return DocBaseURL + strings.ToLower(string(code))
}

// Fix is the action that resolves a failed check. Flow exposes it and
// never runs it: a caller runs Apply only after consent (a confirmation in
// the wizard, --yes in a command) when Mutating is set.
type Fix struct {
	// Description says what the fix does, in one line.
	Description string `json:"description"`
	// Command is a copyable asmlink, aliyun or kubectl command that does
	// the same thing by hand.
	Command string `json:"command,omitempty"`
	// Mutating is set when the fix changes the cloud.
	Mutating bool `json:"mutating"`
	// Said is Description as its format and arguments, for screens that
	// say it in another language; empty for a constant description.
	Said Said `json:"-"`
	// Apply runs the fix; nil when only a person can do it (e.g. create a
	// vSwitch).
	Apply func(ctx context.Context) error `json:"-"`
}

// Check is one preflight or doctor check as data: a stable code, what it
// verifies, how a failure counts and how to fix it. The catalog (Checks)
// is the single source of the documented code table.
type Check struct {
	// Code is stable, e.g. PVL103; documentation and scripts refer to it.
	Code spec.Code `json:"code"`
	// Category groups the check.
	Category Category `json:"category"`
	// Description says what the check verifies, as a sentence fragment
	// ("the ASM instance is running").
	Description string `json:"description"`
	// Severity says how a problem counts: Error fails, Warning warns.
	Severity spec.Severity `json:"severity"`
	// Fatal stops the checks that depend on this one when it fails,
	// because they cannot possibly succeed.
	Fatal bool `json:"fatal,omitempty"`
	// DependsOn lists checks that must not have failed fatally for this one
	// to run.
	DependsOn []spec.Code `json:"dependsOn,omitempty"`
	// RetryDeadline, when set, retries a failing check (after reloading the
	// environment) until it passes or the deadline passes; for states that
	// settle by themselves, like a mesh that is updating.
	RetryDeadline time.Duration `json:"retryDeadline,omitempty"`
	// Hint says how to resolve a failure, in one line.
	Hint string `json:"hint"`
	// DocURL points at the code's section in the documentation.
	DocURL string `json:"docURL"`
	// Run performs the check against the environment. It returns Status,
	// Message, Details and Fix; the runner fills in Check.
	Run func(ctx context.Context, env *Env) Result `json:"-"`
}

// Result is what one check found.
type Result struct {
	Check   *Check `json:"check"`
	Status  Status `json:"status"`
	Message string `json:"message"`
	// Details lists the individual problems, e.g. each overlapping pair of
	// CIDRs, one per line.
	Details []string `json:"details,omitempty"`
	// Fix resolves the problem; nil when there is nothing to fix or no
	// single action fixes it.
	Fix *Fix `json:"fix,omitempty"`
	// Said is Message as a format and its arguments, for screens that say
	// it in another language; empty for a message without arguments.
	Said Said `json:"-"`
	// transient marks a failure that may settle by itself, so the runner
	// retries it until the check's RetryDeadline.
	transient bool
}

// Finding returns the result as a spec.Finding, so checks and validation
// findings can be listed together; the fix command, when there is one,
// is appended to the hint.
func (r Result) Finding() spec.Finding {
	sev := r.Check.Severity
	switch r.Status {
	case StatusWarn:
		sev = spec.Warning
	case StatusPass, StatusSkip:
		sev = spec.Info
	}
	hint := r.Check.Hint
	if r.Fix != nil && r.Fix.Command != "" {
		hint += " Run: " + r.Fix.Command
	}
	return spec.Finding{Code: r.Check.Code, Severity: sev, Message: r.Message, Hint: hint}
}

func pass(msg string, details ...string) Result {
	return Result{Status: StatusPass, Message: msg, Details: details}
}

// problem reports a problem; the runner turns it into a warning when the
// check's severity is Warning.
func problem(msg string, details ...string) Result {
	return Result{Status: StatusFail, Message: msg, Details: details}
}

func skip(reason string) Result { return Result{Status: StatusSkip, Message: reason} }

// Runner runs checks in order and reports every result.
type Runner struct {
	// Reload, when set, rebuilds the environment from the cloud, keeping
	// the choices (ClusterID, Pair), before a retry of a check that has a
	// RetryDeadline; later checks then see the fresh environment.
	Reload func(ctx context.Context) (*Env, error)
	// Interval is the pause between retries; default 2s.
	Interval time.Duration
	// Observe, when set, is told about each result as soon as it is known,
	// so a renderer can show progress.
	Observe func(Result)
}

// Run runs the checks in order and returns all results, one per check.
// A check whose fatal dependency failed is skipped with the reason, as is
// a check that does not apply. Run never applies a fix.
func (r Runner) Run(ctx context.Context, env *Env, checks []Check) []Result {
	results := make([]Result, 0, len(checks))
	fatal := map[spec.Code]bool{}
	for i := range checks {
		c := &checks[i]
		var res Result
		blocker := blockedBy(c, fatal)
		if blocker != "" {
			res = skipf("skipped because check %s failed", blocker)
		} else {
			res, env = r.runOne(ctx, env, c)
		}
		res.Check = c
		if res.Status == StatusFail && c.Severity == spec.Warning {
			res.Status = StatusWarn
		}
		// A fatal failure, or a skip caused by one, stops the dependants.
		if (res.Status == StatusFail && c.Fatal) || blocker != "" {
			fatal[c.Code] = true
		}
		if r.Observe != nil {
			r.Observe(res)
		}
		results = append(results, res)
	}
	return results
}

// blockedBy returns the first dependency of c that failed fatally, or "".
func blockedBy(c *Check, fatal map[spec.Code]bool) spec.Code {
	for _, d := range c.DependsOn {
		if fatal[d] {
			return d
		}
	}
	return ""
}

// runOne runs a check, retrying it with a reloaded environment while its
// failure is transient and its RetryDeadline has not passed.
func (r Runner) runOne(ctx context.Context, env *Env, c *Check) (Result, *Env) {
	res := c.Run(ctx, env)
	if res.Status != StatusFail || !res.transient || c.RetryDeadline <= 0 || r.Reload == nil {
		return res, env
	}
	err := Wait(ctx, c.Description, WaitOptions{Interval: r.Interval, Timeout: c.RetryDeadline}, func(ctx context.Context) (bool, string, error) {
		fresh, err := r.Reload(ctx)
		if err != nil {
			return false, "", err
		}
		env = fresh
		res = c.Run(ctx, env)
		if res.Status == StatusFail && !res.transient {
			return false, res.Message, Permanent(errors.New(res.Message))
		}
		return res.Status != StatusFail, res.Message, nil
	})
	var te *TimeoutError
	if errors.As(err, &te) {
		res.Details = append(res.Details, te.Error())
	}
	return res, env
}

// Failed returns the results that stop the change.
func Failed(results []Result) []Result {
	var out []Result
	for _, r := range results {
		if r.Status == StatusFail {
			out = append(out, r)
		}
	}
	return out
}

// Fixes returns the fixes offered by failed or warning results, in order,
// so a caller can ask for consent once for the mutating ones.
func Fixes(results []Result) []*Fix {
	var out []*Fix
	for _, r := range results {
		if r.Fix != nil && (r.Status == StatusFail || r.Status == StatusWarn) && !slices.Contains(out, r.Fix) {
			out = append(out, r.Fix)
		}
	}
	return out
}

// CodeDoc is one row of the documented code table.
type CodeDoc struct {
	Code spec.Code `json:"code"`
	// Kind is "check" (preflight and doctor) or "diagnosis" (from status).
	Kind     string        `json:"kind"`
	Category Category      `json:"category,omitempty"`
	Severity spec.Severity `json:"severity"`
	// Summary says what the check verifies, or the symptom and cause a
	// diagnosis names.
	Summary string `json:"summary"`
	Hint    string `json:"hint"`
	DocURL  string `json:"docURL"`
}

// Codes returns every code flow reports, checks, diagnoses, then the edge
// endpoint checks (PVL3xx), in code order, built from the check catalog and DiagnosisCodes so that the
// documentation cannot drift from the code.
func Codes() []CodeDoc {
	var out []CodeDoc
	check := func(c Check) CodeDoc {
		return CodeDoc{Code: c.Code, Kind: "check", Category: c.Category, Severity: c.Severity, Summary: c.Description, Hint: c.Hint, DocURL: c.DocURL}
	}
	for _, c := range append(slices.Clone(catalog), doctorCatalog...) {
		out = append(out, check(c))
	}
	for _, d := range DiagnosisCodes {
		out = append(out, CodeDoc{Code: d.Code, Kind: "diagnosis", Severity: d.Severity, Summary: d.Symptom + ": " + d.Cause, Hint: d.Hint, DocURL: DocURL(d.Code)})
	}
	for _, c := range edgeCatalog {
		out = append(out, check(c))
	}
	return out
}
