package main

import (
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// releaseConfig is the part of .goreleaser.yaml (GoReleaser v2's schema)
// that says what a release contains.
type releaseConfig struct {
	Version int `json:"version"`
	Builds  []struct {
		Main   string   `json:"main"`
		Binary string   `json:"binary"`
		Goos   []string `json:"goos"`
		Goarch []string `json:"goarch"`
	} `json:"builds"`
	Checksum struct {
		NameTemplate string `json:"name_template"`
	} `json:"checksum"`
}

// TestReleaseConfig: .goreleaser.yaml builds asmlink from the module root
// for linux, darwin and windows on amd64 and arm64 with a checksums file,
// and the product's packages resolve for every one of those targets
// (go list with each GOOS/GOARCH: a file or import missing on one target
// fails here, not at release time). .ci/run also runs `goreleaser check`
// when goreleaser is installed.
func TestReleaseConfig(t *testing.T) {
	data, err := os.ReadFile(".goreleaser.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var cfg releaseConfig
	if err := yaml.Unmarshal(data, &cfg); err != nil {
		t.Fatalf(".goreleaser.yaml: %v", err)
	}
	if cfg.Version != 2 || len(cfg.Builds) != 1 || cfg.Checksum.NameTemplate == "" {
		t.Fatalf(".goreleaser.yaml: version %d, %d builds, checksum %q; want version 2, one build and a checksums file", cfg.Version, len(cfg.Builds), cfg.Checksum.NameTemplate)
	}
	b := cfg.Builds[0]
	if b.Main != "." || b.Binary != "asmlink" {
		t.Errorf("build main %q binary %q, want . and asmlink (go install github.com/asmlink/asmlink@latest builds the same)", b.Main, b.Binary)
	}
	for _, goos := range []string{"linux", "darwin", "windows"} {
		for _, goarch := range []string{"amd64", "arm64"} {
			if !slices.Contains(b.Goos, goos) || !slices.Contains(b.Goarch, goarch) {
				t.Errorf("no release build for %s/%s", goos, goarch)
				continue
			}
			cmd := exec.Command("go", "list", "-deps", "-e", "-f", "{{with .Error}}{{.}}{{end}}{{range .DepsErrors}}{{.}}{{end}}", ".")
			cmd.Env = append(os.Environ(), "GOOS="+goos, "GOARCH="+goarch, "CGO_ENABLED=0")
			out, err := cmd.CombinedOutput()
			if msg := strings.TrimSpace(string(out)); err != nil || msg != "" {
				t.Errorf("%s/%s: go list: %v %s", goos, goarch, err, msg)
			}
		}
	}
}
