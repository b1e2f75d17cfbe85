package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/asmlink/asmlink/spec"
)

// ReadConfig reads and decodes the ASMPvlConfig file a command is given
// with flag (- reads stdin): a file that cannot be read or is not YAML is
// a usage error naming the flag; one that is not a valid ASMPvlConfig
// prints its findings to stderr and fails the checks (exit 3).
func ReadConfig(ctx context.Context, streams *IOStreams, flag, name string) (*spec.ASMPvlConfig, error) {
	data, err := ReadInput(ctx, streams, name)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil {
		return nil, UsageErrorf("%s %s: cannot read: %v", flag, name, err)
	}
	doc, err := spec.DecodeDocument(data)
	var de *spec.DecodeError
	switch {
	case errors.As(err, &de) && de.Syntax:
		return nil, UsageErrorf("%s %s: %v", flag, name, de)
	case errors.As(err, &de):
		PrintFindings(streams.ErrOut, name, de.Findings)
		return nil, SilentExit(ExitChecks)
	case err != nil:
		return nil, UsageErrorf("%s %s: %v", flag, name, err)
	}
	return doc.Config, nil
}

// PrintFindings writes findings one per line with their hints, each
// labelled with the file they are about.
func PrintFindings(w io.Writer, label string, findings []spec.Finding) {
	for _, fd := range findings {
		fmt.Fprintf(w, "%s: %s\n", label, fd)
		if fd.Hint != "" {
			fmt.Fprintf(w, "    hint: %s\n", fd.Hint)
		}
	}
}
