package setup_test

import (
	"strings"
	"testing"

	"github.com/asmlink/asmlink/ui/cmd/root"
	"github.com/asmlink/asmlink/ui/cmdutil"
)

func TestDemoBadInputIsAUsageError(t *testing.T) {
	for name, tc := range map[string]struct {
		args []string
		want string
	}{
		"unknown world": {[]string{"demo", "--world", "no-such-world"}, "no-such-world"},
		"zero delay":    {[]string{"demo", "--delay", "0s"}, "--delay"},
		"bad delay":     {[]string{"demo", "--delay", "soon"}, "--delay"},
	} {
		t.Run(name, func(t *testing.T) {
			io, _, out, errOut := cmdutil.TestStreams(true)
			if code := root.Main(io, tc.args); code != cmdutil.ExitUsage {
				t.Fatalf("exit code %d, want %d; stderr:\n%s", code, cmdutil.ExitUsage, errOut)
			}
			if !strings.Contains(errOut.String(), tc.want) || out.Len() != 0 {
				t.Errorf("stderr %q should name %q, stdout %q should be empty", errOut, tc.want, out)
			}
		})
	}
}
