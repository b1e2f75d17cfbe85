package validate

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/asmlink/asmlink/ui/cmdutil"
)

const (
	validFile   = "../../../testdata/examples/asmpvlconfig.yaml"
	invalidFile = "../../../testdata/examples/asmpvlconfig-invalid.yaml"
)

func TestRunValidate(t *testing.T) {
	tests := []struct {
		name     string
		tty      bool
		opts     Options
		code     int
		contains []string
		absent   []string
	}{
		{"valid, plain", false, Options{Files: []string{validFile}, Output: cmdutil.OutputText}, cmdutil.ExitOK,
			[]string{validFile + ": valid (2 clusters, 2 ASM vSwitches)\n"}, []string{"\x1b["}},
		{"valid, colour", true, Options{Files: []string{validFile}, Output: cmdutil.OutputText, Color: true}, cmdutil.ExitOK,
			[]string{"\x1b["}, nil},
		{"invalid, plain", false, Options{Files: []string{invalidFile}, Output: cmdutil.OutputText}, cmdutil.ExitChecks,
			[]string{invalidFile + ":24: error PVL018 spec.asmVpcEndpoint.vSwitches[0].vSwitchId: ", "\n    hint: "}, []string{"\x1b[", "✗"}},
		{"invalid, colour", true, Options{Files: []string{invalidFile}, Output: cmdutil.OutputText, Color: true}, cmdutil.ExitChecks,
			[]string{"✗ error", "\x1b["}, nil},
		{"invalid, JSON on a terminal stays plain", true, Options{Files: []string{invalidFile}, Output: cmdutil.OutputJSON, Color: true}, cmdutil.ExitChecks,
			[]string{`"code": "PVL018"`, `"valid": false`}, []string{"\x1b[", "✗"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			io, _, out, errOut := cmdutil.TestStreams(tt.tty)
			tt.opts.IO = io
			err := runValidate(context.Background(), &tt.opts)
			if code := cmdutil.CodeOf(err); code != tt.code {
				t.Fatalf("exit %d, want %d (%v)", code, tt.code, err)
			}
			if err != nil && !errors.Is(err, cmdutil.ErrSilent) {
				t.Errorf("failed checks should exit silently after the report, got %v", err)
			}
			for _, s := range tt.contains {
				if !strings.Contains(out.String(), s) {
					t.Errorf("stdout lacks %q:\n%s", s, out)
				}
			}
			for _, s := range tt.absent {
				if strings.Contains(out.String(), s) {
					t.Errorf("stdout has %q:\n%s", s, out)
				}
			}
			if tt.opts.Output == cmdutil.OutputJSON && errOut.Len() != 0 {
				t.Errorf("JSON mode should leave stderr empty, got %q", errOut)
			}
		})
	}
}
