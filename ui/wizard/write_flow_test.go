package wizard_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/asmlink/asmlink/spec"
	"github.com/asmlink/asmlink/ui/cmdutil"
	"github.com/asmlink/asmlink/ui/wizard"
)

func TestFlowWriteFailureIsShownAndRetried(t *testing.T) {
	d, _ := start(t, "demo", false, 160, 60)
	toFilePrompt(d)
	dir := t.TempDir()
	d.typeFile(dir + "/missing/asmpvlconfig.yaml")
	d.key("enter")
	// The wizard stays on the action step with the error and the name to
	// change; enter writes again.
	d.waitFor("writing the file failed", "step 6 of 9", "change the name first; esc goes back", "file: ")
	if err := os.Mkdir(dir+"/missing", 0o755); err != nil {
		t.Fatal(err)
	}
	d.key("enter")
	d.waitFor("wrote " + dir + "/missing/asmpvlconfig.yaml")
	if _, err := os.Stat(dir + "/missing/asmpvlconfig.yaml"); err != nil {
		t.Fatalf("the retried write left no file: %v", err)
	}
}

// TestFlowWriteNeverReplacesAnotherFile types the name of a file that is not
// an ASMPvlConfig: the wizard refuses and the file keeps its content.
func TestFlowWriteNeverReplacesAnotherFile(t *testing.T) {
	d, _ := start(t, "demo", false, 160, 60)
	toFilePrompt(d)
	other := filepath.Join(t.TempDir(), "deployment.yaml")
	if err := os.WriteFile(other, []byte("kind: Deployment\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	d.typeFile(other)
	d.key("enter")
	d.waitFor("writing the file failed", "is not an ASMPvlConfig")
	if data, _ := os.ReadFile(other); string(data) != "kind: Deployment\n" {
		t.Fatalf("the other file was changed:\n%s", data)
	}
}

// TestFlowFailedWriteNeverEndsInASummaryThatNamesTheFile: the write fails,
// esc leaves the name prompt, and printing instead ends in a summary that
// does not tell the person to apply a file that does not exist.
func TestFlowFailedWriteNeverEndsInASummaryThatNamesTheFile(t *testing.T) {
	d, _ := start(t, "demo", false, 160, 60)
	toFilePrompt(d)
	missing := filepath.Join(t.TempDir(), "missing", "asmpvlconfig.yaml")
	d.typeFile(missing)
	d.key("enter")
	d.waitFor("writing the file failed", "step 6 of 9")
	d.key("esc")
	d.key("down")
	d.key("enter")
	d.waitFor("step 9 of 9", "printed on stdout")
	if s := d.screen(); strings.Contains(s, "asmlink apply -f") || strings.Contains(s, "wrote ") {
		t.Fatalf("the summary names a file that was not written:\n%s", s)
	}
}

// TestFlowReplacingAnotherASMPvlConfigShowsTheDiffAndAsks: the file chosen
// holds another ASMPvlConfig; the wizard shows what replacing it changes
// and replaces it only after a yes.
func TestFlowReplacingAnotherASMPvlConfigShowsTheDiffAndAsks(t *testing.T) {
	d, _ := start(t, "demo", false, 160, 60)
	toFilePrompt(d)
	other := filepath.Join(t.TempDir(), "staging.yaml")
	old := spec.Encode(spec.Merge(nil, spec.AckVpcEndpoint{ClusterID: inventory, VSwitches: []spec.VSwitch{{VSwitchID: "vsw-bp1mqc1a78mx1evuht6t0", ZoneID: "cn-hangzhou-h"}}}, nil), spec.EncodeOptions{})
	if err := os.WriteFile(other, old, 0o600); err != nil {
		t.Fatal(err)
	}
	d.typeFile(other)
	d.key("enter")
	d.waitFor("already holds another ASMPvlConfig", "-  - clusterId: "+inventory, "+  - clusterId: "+shopProd, "Replace it? (y/N)")
	d.key("n")
	d.drain()
	if data, _ := os.ReadFile(other); string(data) != string(old) {
		t.Fatalf("a no replaced the file:\n%s", data)
	}
	d.key("enter")
	d.waitFor("file: ")
	d.typeFile(other)
	d.key("enter")
	d.waitFor("Replace it? (y/N)")
	d.key("y")
	d.waitFor("step 9 of 9", "wrote "+other)
	data, _ := os.ReadFile(other)
	if cfg, err := spec.Decode(data); err != nil || len(cfg.ClusterIDs()) != 1 || cfg.ClusterIDs()[0] != shopProd {
		t.Fatalf("after a yes the file holds %v, %v:\n%s", cfg, err, data)
	}
	if fi, _ := os.Stat(other); fi.Mode().Perm() != 0o600 {
		t.Errorf("the replaced file's mode is %v, want 0600", fi.Mode().Perm())
	}
}

// TestFlowQuitAfterAFailedWriteExitsWithTheFailure: the write fails, esc
// leaves the name prompt, and q ends the wizard with the write's error
// (exit 1), not a plain cancel.
func TestFlowQuitAfterAFailedWriteExitsWithTheFailure(t *testing.T) {
	d, _ := start(t, "demo", false, 160, 60)
	toFilePrompt(d)
	d.typeFile(t.TempDir() + "/missing/asmpvlconfig.yaml")
	d.key("enter")
	d.waitFor("writing the file failed", "file: ")
	d.key("esc")
	d.waitFor("step 6 of 9")
	d.key("q")
	d.drain()
	if !d.quit {
		t.Fatalf("q did not quit:\n%s", d.screen())
	}
	err := d.m.(*wizard.Model).Err()
	if errors.Is(err, wizard.ErrCancelled) || !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Err() = %v, want the failed write", err)
	}
	if code := cmdutil.CodeOf(err); code != cmdutil.ExitError {
		t.Errorf("exit code %d, want %d", code, cmdutil.ExitError)
	}
}
