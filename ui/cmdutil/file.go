package cmdutil

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/asmlink/asmlink/spec"
)

// CheckOverwrite refuses to replace a file that holds something other than
// an ASMPvlConfig, so a mistyped file name never destroys another file. A
// missing or empty file may be written.
func CheckOverwrite(path string) error {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	_, err = spec.DecodeDocument(data)
	var de *spec.DecodeError
	if errors.As(err, &de) {
		if de.Syntax || slices.ContainsFunc(de.Findings, func(fd spec.Finding) bool {
			return slices.Contains([]spec.Code{spec.CodeMultiDoc, spec.CodeAPIVersion, spec.CodeKind, spec.CodeEmpty}, fd.Code)
		}) {
			return fmt.Errorf("%s exists and is not an ASMPvlConfig, so it is not overwritten: choose another file", path)
		}
	}
	return nil
}

// WriteFileAtomic writes data to a temporary file next to path and renames
// it over path, so a reader never sees half a file and a failed write
// leaves the old one.
func WriteFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
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
