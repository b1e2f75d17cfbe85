package root

import (
	"encoding/json"
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/asmlink/asmlink/ui/cmdutil"
)

// BuildVersion is what the Go toolchain recorded about this binary: the
// module version ("(devel)" for a build from a checkout, a tag such as
// v1.2.0 for `go install ...@v1.2.0`), and the VCS commit, its time and
// whether the tree had uncommitted changes (from `go build` in a git
// checkout; `go run` and `go test` record no VCS facts). The source is
// runtime/debug.ReadBuildInfo and the vcs.* build settings that
// cmd/go documents ("go help buildinfo" / debug.BuildSetting).
type BuildVersion struct {
	Version   string `json:"version"`
	Commit    string `json:"commit,omitempty"`
	Time      string `json:"commitTime,omitempty"`
	Modified  bool   `json:"modified,omitempty"`
	GoVersion string `json:"goVersion"`
}

// A release build may stamp what it was built from, which then wins over
// the build info (a build from a source archive records no VCS facts):
//
//	go build -ldflags "-X github.com/asmlink/asmlink/ui/cmd/root.version=v1.2.0
//	  -X github.com/asmlink/asmlink/ui/cmd/root.commit=$(git rev-parse HEAD)
//	  -X github.com/asmlink/asmlink/ui/cmd/root.date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
var version, commit, date string

// ReadBuildVersion reads the BuildVersion of the running binary.
func ReadBuildVersion() BuildVersion {
	info, ok := debug.ReadBuildInfo()
	return buildVersion(info, ok, BuildVersion{Version: version, Commit: commit, Time: date})
}

// buildVersion is the BuildVersion of build info info (ok false when the
// binary has none), with each field stamped non-empty taking its place.
func buildVersion(info *debug.BuildInfo, ok bool, stamped BuildVersion) BuildVersion {
	v := BuildVersion{Version: "unknown"}
	if ok {
		v = BuildVersion{Version: info.Main.Version, GoVersion: info.GoVersion}
		if v.Version == "" {
			v.Version = "(devel)"
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				v.Commit = s.Value
			case "vcs.time":
				v.Time = s.Value
			case "vcs.modified":
				v.Modified = s.Value == "true"
			}
		}
	}
	if stamped.Version != "" {
		v.Version = stamped.Version
	}
	if stamped.Commit != "" {
		v.Commit, v.Modified = stamped.Commit, false
	}
	if stamped.Time != "" {
		v.Time = stamped.Time
	}
	return v
}

// String is the one-line form `asmlink --version` prints:
// "v1.2.0 (commit 1a2b3c4d5e6f, 2026-01-02T03:04:05Z, modified) go1.26.8".
func (v BuildVersion) String() string {
	s := v.Version
	if v.Commit != "" {
		s += " (commit " + v.Commit
		if v.Time != "" {
			s += ", " + v.Time
		}
		if v.Modified {
			s += ", modified"
		}
		s += ")"
	}
	if v.GoVersion != "" {
		s += " " + v.GoVersion
	}
	return s
}

// newCmdVersion builds `asmlink version`, which says the same as
// --version, or the fields as JSON with -o json.
func newCmdVersion(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print asmlink's version and the commit it was built from",
		Args:    cobra.NoArgs,
		Example: "  asmlink version\n  asmlink version -o json",
		RunE:    func(*cobra.Command, []string) error { return runVersion(f) },
	}
}

// runVersion prints the version line, or its fields as JSON with -o json,
// for asmlink version and asmlink --version.
func runVersion(f *cmdutil.Factory) error {
	if err := f.Options.ValidateOutput(cmdutil.OutputText, cmdutil.OutputJSON); err != nil {
		return err
	}
	v := ReadBuildVersion()
	if f.Options.Output == cmdutil.OutputJSON {
		b, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(f.IO.Out, "%s\n", b)
		return err
	}
	_, err := fmt.Fprintf(f.IO.Out, "asmlink %s\n", v)
	return err
}
