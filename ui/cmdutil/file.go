package cmdutil

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"sigs.k8s.io/yaml"

	"github.com/asmlink/asmlink/spec"
)

// CheckOverwrite refuses to replace anything but an existing ASMPvlConfig
// file, so a mistyped file name never destroys another file: a file whose
// top level is not a mapping with apiVersion istio.alibabacloud.com/v1beta1
// and kind ASMPvlConfig (a shell script, a README, a playbook, another
// manifest), several YAML documents, a directory or device, or a symbolic
// link, which asmlink does not write through: the error names the link's
// target, to be given instead by whoever means to replace it. A missing or
// empty file may be written.
func CheckOverwrite(path string) error {
	info, err := os.Lstat(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if info.Mode()&os.ModeSymlink != 0 {
		target, _ := filepath.EvalSymlinks(path)
		return fmt.Errorf("%s is a symbolic link to %s, and asmlink does not write through links: give %s itself to replace that file, or choose another name", path, target, target)
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("%s exists and is not a regular file (%s), so it is not overwritten: choose another file", path, info.Mode().Type())
	}
	if info.Size() > spec.MaxSize {
		return fmt.Errorf("%s exists and is larger than any ASMPvlConfig (%d bytes), so it is not overwritten: choose another file", path, info.Size())
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	if !isASMPvlConfig(data) {
		return fmt.Errorf("%s exists and is not an ASMPvlConfig, so it is not overwritten: choose another file", path)
	}
	return nil
}

// isASMPvlConfig tells whether data is one YAML document whose top level
// is a mapping naming ASMPvlConfig's apiVersion and kind. The rest may be
// invalid: a broken ASMPvlConfig may be replaced by a good one.
func isASMPvlConfig(data []byte) bool {
	var top map[string]any
	if err := yaml.Unmarshal(data, &top); err != nil || top["apiVersion"] != spec.APIVersion || top["kind"] != spec.Kind {
		return false
	}
	_, err := spec.DecodeDocument(data)
	var de *spec.DecodeError
	return !errors.As(err, &de) || !de.Syntax && !slices.ContainsFunc(de.Findings, func(fd spec.Finding) bool { return fd.Code == spec.CodeMultiDoc })
}

// WriteFileAtomic writes data to a temporary file next to path and renames
// it over path, so a reader never sees half a file and a failed write
// leaves the old one. A replaced file keeps its permissions; a new one is
// 0644. A symbolic link or a file that is not regular is never replaced.
func WriteFileAtomic(path string, data []byte) error {
	mode := os.FileMode(0o644)
	if info, err := os.Lstat(path); err == nil {
		if !info.Mode().IsRegular() {
			return fmt.Errorf("%s is not a regular file (%s), so it is not replaced", path, info.Mode().Type())
		}
		mode = info.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), mode); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// WriteConfigFile writes an ASMPvlConfig to path atomically, refusing to
// replace a file that holds something else (CheckOverwrite): the wizard's
// write action.
func WriteConfigFile(path string, data []byte) error {
	if err := CheckOverwrite(path); err != nil {
		return err
	}
	return WriteFileAtomic(path, data)
}
