// Package validate is `asmlink validate`: offline checks of ASMPvlConfig
// files, for people editing them by hand and for CI on a GitOps repository.
package validate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/asmlink/asmlink/spec"
	"github.com/asmlink/asmlink/ui/cmdutil"
	"github.com/asmlink/asmlink/ui/styles"
)

// Options are the inputs of `asmlink validate`.
type Options struct {
	IO *cmdutil.IOStreams
	// Files are the paths to check; "-" is standard input.
	Files []string
	// Output is text or json.
	Output string
	// Color says whether stdout gets colour and glyphs.
	Color bool
	// MaxSize is the largest object the API server stores: a larger file
	// is invalid (PVL023), one of 1 MiB or more is warned about (PVL022).
	MaxSize cmdutil.MaxObjectSize
}

// stdinLabel names standard input in reports.
const stdinLabel = "<stdin>"

// NewCmdValidate builds `asmlink validate FILE...`. runF replaces the run
// function in tests of flag handling; nil runs the checks.
func NewCmdValidate(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IO}
	cmd := &cobra.Command{
		Use:   "validate FILE...",
		Short: "Check ASMPvlConfig files offline",
		Long: `Check ASMPvlConfig files offline: no credentials, no network.

Each file must hold one ASMPvlConfig (YAML or JSON; - reads standard input)
that kubectl would accept: no unknown fields, text where text is expected,
apiVersion istio.alibabacloud.com/v1beta1, kind ASMPvlConfig. Then the rules
ASM relies on are checked: metadata.name is default, cluster, vSwitch and
zone IDs have the right shape, all zones are of one region, no cluster or
vSwitch is listed twice, no ASM vSwitch is also a cluster's, and no list is
empty, and the object fits where the API server stores it: etcd refuses a
request over its --max-request-bytes, 1.5 MiB by default (--max-object-size
gives another limit), and from 1 MiB of JSON validate warns. Every finding has a stable code (PVL001-PVL049), a field path, the
line, and a hint.

The zone rule (each zoneId must be a zone where a vSwitch of the other side
resides) needs the cloud's vSwitch listing, so it is not checked here.

With -o json the report is:
  {"valid": bool,
   "files": [{"file": "...", "valid": bool,
              "findings": [{"code", "severity", "path", "message", "hint", "line"}]}]}
severity is "error", "warning" or "info"; line is left out when unknown.

Exit status: 0 when every file is valid (warnings allowed), 3 when a file has
an error finding, 2 when a file cannot be read or is not YAML at all (then
nothing is printed on stdout).`,
		Example: `  asmlink validate testdata/examples/asmpvlconfig.yaml
  kubectl get asmpvlconfig default -o yaml | asmlink validate -
  asmlink validate -o json clusters/*/asmpvlconfig.yaml`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return cmdutil.UsageErrorf("name at least one FILE to check (- reads standard input)")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := f.Options.ValidateOutput(cmdutil.OutputText, cmdutil.OutputJSON); err != nil {
				return err
			}
			opts.Files = args
			opts.Output = f.Options.Output
			opts.Color = f.Color(f.IO.IsStdoutTTY())
			if runF != nil {
				return runF(opts)
			}
			return runValidate(cmd.Context(), opts)
		},
	}
	cmdutil.BindMaxObjectSize(cmd, &opts.MaxSize)
	return cmd
}

// FileReport is the result for one file, as -o json writes it.
type FileReport struct {
	File     string         `json:"file"`
	Valid    bool           `json:"valid"`
	Findings []spec.Finding `json:"findings"`
}

// Report is the whole result, as -o json writes it.
type Report struct {
	Files []FileReport `json:"files"`
	Valid bool         `json:"valid"`
}

// source is one file read and decoded.
type source struct {
	label  string
	config *spec.ASMPvlConfig
	report FileReport
}

func runValidate(ctx context.Context, opts *Options) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if n := countStdin(opts.Files); n > 1 {
		return cmdutil.UsageErrorf("- (standard input) is named %d times; it can be read only once", n)
	}
	var sources []source
	var unreadable []string
	for _, name := range opts.Files {
		src, err := check(ctx, opts, name)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			unreadable = append(unreadable, err.Error())
			continue
		}
		sources = append(sources, src)
	}
	if len(unreadable) > 0 {
		// Saying nothing about the other files is less misleading than a
		// report that leaves some out.
		return cmdutil.WithCode(cmdutil.ExitUsage, errors.New(strings.Join(unreadable, "\n")))
	}

	report := Report{Valid: true}
	for _, s := range sources {
		report.Files = append(report.Files, s.report)
		report.Valid = report.Valid && s.report.Valid
	}
	var err error
	if opts.Output == cmdutil.OutputJSON {
		err = writeJSON(opts.IO.Out, report)
	} else {
		err = writeText(opts, sources)
		fmt.Fprintln(opts.IO.ErrOut, "note: offline check; the zone rule and the vSwitches' VPCs need the cloud's vSwitch listing and were not checked")
	}
	if err != nil {
		return err
	}
	if !report.Valid {
		return cmdutil.SilentExit(cmdutil.ExitChecks)
	}
	return nil
}

func countStdin(files []string) int {
	n := 0
	for _, f := range files {
		if f == "-" {
			n++
		}
	}
	return n
}

// check reads and checks one file. It returns an error only when the file
// cannot be read or is not YAML at all.
func check(ctx context.Context, opts *Options, name string) (source, error) {
	label := name
	if name == "-" {
		label = stdinLabel
	}
	data, err := cmdutil.ReadInput(ctx, opts.IO, name)
	if err != nil {
		return source{}, fmt.Errorf("%s: cannot read: %w", label, err)
	}
	src := source{label: label, report: FileReport{File: label}}
	doc, err := spec.DecodeDocument(data)
	var de *spec.DecodeError
	switch {
	case errors.As(err, &de) && de.Syntax:
		at := label
		if de.Line > 0 {
			at = fmt.Sprintf("%s:%d", label, de.Line)
		}
		return source{}, fmt.Errorf("%s: %s", at, de.Message)
	case errors.As(err, &de):
		src.report.Findings = de.Findings
	case err != nil:
		return source{}, fmt.Errorf("%s: %w", label, err)
	default:
		src.config = doc.Config
		src.report.Findings = append(doc.Locate(spec.Validate(doc.Config, nil)), doc.Notes...)
		src.report.Findings = append(src.report.Findings, spec.CheckSize(doc.Config, opts.MaxSize.Bytes)...)
		spec.SortFindings(src.report.Findings)
	}
	if src.report.Findings == nil {
		src.report.Findings = []spec.Finding{}
	}
	src.report.Valid = !spec.HasErrors(src.report.Findings) && src.config != nil
	return src, nil
}

func writeJSON(w io.Writer, r Report) error {
	if r.Files == nil {
		r.Files = []FileReport{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// severityMark is how a severity is shown on a terminal with colour: a
// glyph before the word, in the severity's colour.
func severityMark(st *styles.Styles, sev spec.Severity) string {
	switch sev {
	case spec.Error:
		return st.Fail.Render("✗ " + sev.String())
	case spec.Warning:
		return st.Warn.Render("! " + sev.String())
	default:
		return st.Info.Render("i " + sev.String())
	}
}

// writeText writes one line per finding, compiler style, its hint indented
// below it, and a summary line per file.
func writeText(opts *Options, sources []source) error {
	st := styles.New(opts.Color)
	var b strings.Builder
	for _, s := range sources {
		for _, f := range s.report.Findings {
			at := s.label
			if f.Line > 0 {
				at = fmt.Sprintf("%s:%d", s.label, f.Line)
			}
			sev := f.Severity.String()
			if opts.Color {
				sev = severityMark(st, f.Severity)
			}
			path := ""
			if f.Path != "" {
				path = " " + f.Path + ":"
			}
			fmt.Fprintf(&b, "%s: %s %s%s %s\n", at, sev, st.Code.Render(string(f.Code)), path, f.Message)
			if f.Hint != "" {
				fmt.Fprintf(&b, "    hint: %s\n", f.Hint)
			}
		}
		b.WriteString(summary(st, s) + "\n")
	}
	_, err := io.WriteString(opts.IO.Out, b.String())
	return err
}

// summary is the last line about a file: valid or not, and how many of what.
func summary(st *styles.Styles, s source) string {
	errs, warns, infos := spec.Count(s.report.Findings)
	var counts []string
	for _, c := range []struct {
		n    int
		word string
	}{{errs, "error"}, {warns, "warning"}, {infos, "note"}} {
		if c.n > 0 {
			counts = append(counts, fmt.Sprintf("%d %s%s", c.n, c.word, plural(c.n)))
		}
	}
	if !s.report.Valid {
		return fmt.Sprintf("%s: %s (%s)", s.label, st.Fail.Render("invalid"), strings.Join(counts, ", "))
	}
	cfg := s.config
	what := fmt.Sprintf("%d cluster%s, %d ASM vSwitch%s", len(cfg.Spec.AckVpcEndpoint), plural(len(cfg.Spec.AckVpcEndpoint)),
		len(cfg.Spec.AsmVpcEndpoint.VSwitches), pluralES(len(cfg.Spec.AsmVpcEndpoint.VSwitches)))
	if len(counts) > 0 {
		what += "; " + strings.Join(counts, ", ")
	}
	return fmt.Sprintf("%s: %s (%s)", s.label, st.Pass.Render("valid"), what)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func pluralES(n int) string {
	if n == 1 {
		return ""
	}
	return "es"
}
