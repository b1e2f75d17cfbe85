package apply_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// pvlFile writes a one-cluster ASMPvlConfig: the cluster's vSwitch with
// the zone of the ASM vSwitch, and the ASM vSwitch with the zone of the
// cluster's, as the zone rule wants.
func pvlFile(t *testing.T, clusterID, ackVSW, ackZone, asmVSW, asmZone string) string {
	t.Helper()
	body := fmt.Sprintf(`apiVersion: istio.alibabacloud.com/v1beta1
kind: ASMPvlConfig
metadata:
  name: default
spec:
  ackVpcEndpoint:
  - clusterId: %s
    vSwitches:
    - vSwitchId: %s
      zoneId: %s
  asmVpcEndpoint:
    vSwitches:
    - vSwitchId: %s
      zoneId: %s
`, clusterID, ackVSW, asmZone, asmVSW, ackZone)
	path := filepath.Join(t.TempDir(), "pvl.yaml")
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestApplyFileRunsThePreflightChecks proves that apply -f checks each of
// the file's entries against the cloud as plan checks its own choice: a
// cluster not in the mesh, a cluster the cloud does not list and a vSwitch
// with no free IP are refused with exit 3 and the check's code, and
// nothing is written.
func TestApplyFileRunsThePreflightChecks(t *testing.T) {
	w := startWorld(t, "demo", meshProd)
	cases := []struct {
		name, file, code, says string
	}{
		{name: "cluster not added to the mesh", code: "PVL103", says: "(inventory) has not",
			file: pvlFile(t, "cf2fbdaa35adf9c1e2a8a3c0ed16bfe17", "vsw-bp1mqc1a78mx1evuht6t0", "cn-hangzhou-h", "vsw-bp1msnd8dudd467kd6fle", "cn-hangzhou-h")},
		{name: "cluster the cloud does not list", code: "PVL101", says: "c0123456789abcdef0123456789abcdef is not listed by",
			file: pvlFile(t, "c0123456789abcdef0123456789abcdef", "vsw-bp128t7a9tgiqhg9jrsnv", "cn-hangzhou-j", "vsw-bp13uea3ge8n6qiwepxsk", "cn-hangzhou-j")},
		{name: "vSwitch without a free IP", code: "PVL106", says: "vsw-bp19ahej8cx9j1ictxcwn (zone cn-hangzhou-k, 10.10.32.0/28)",
			file: pvlFile(t, shopProd, "vsw-bp19ahej8cx9j1ictxcwn", "cn-hangzhou-k", "vsw-bp13uea3ge8n6qiwepxsk", "cn-hangzhou-j")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, args := range [][]string{{"--dry-run"}, {"--yes"}} {
				r := w.run(false, "", append([]string{"apply", "-f", tc.file, "--mesh", meshProd}, args...)...)
				r.expect(t, 3, "stderr", tc.code)
				if !strings.Contains(r.errOut, tc.says) {
					t.Errorf("apply -f %s does not say %q:\n%s", args, tc.says, r.errOut)
				}
				if strings.Contains(r.errOut, "Change to") {
					t.Errorf("apply -f %s showed a change after a failed check:\n%s", args, r.errOut)
				}
			}
			if live := w.get(); live != nil && len(live.Spec.AckVpcEndpoint) > 0 {
				t.Errorf("a refused file was applied: %v", live.ClusterIDs())
			}
		})
	}
	// A file that passes every check is applied as before.
	ok := pvlFile(t, shopProd, "vsw-bp128t7a9tgiqhg9jrsnv", "cn-hangzhou-j", "vsw-bp13uea3ge8n6qiwepxsk", "cn-hangzhou-j")
	w.run(false, "", "apply", "-f", ok, "--mesh", meshProd, "--yes").expect(t, 0, "stderr", "Applied")
}
