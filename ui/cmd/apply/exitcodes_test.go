package apply_test

import (
	"encoding/base64"
	"fmt"
	"testing"
)

// TestAPIServerRefusalsExit4 points status, plan and apply at the real API
// server with a token it does not know (401) and with a user RBAC grants
// nothing (403): both are credentials or permission problems, exit 4, as
// the README's table says.
func TestAPIServerRefusalsExit4(t *testing.T) {
	w := startWorld(t, "demo", meshProd)
	noRights, err := kubeSrv.KubeconfigFor("asmlink-no-rights")
	if err != nil {
		t.Fatal(err)
	}
	cfg := kubeSrv.Config
	unknownToken := []byte(fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: s
  cluster: {server: %q, certificate-authority-data: %s}
users:
- name: u
  user: {token: not-a-token-this-server-knows}
contexts:
- name: c
  context: {cluster: s, user: u}
current-context: c
`, cfg.Host, base64.StdEncoding.EncodeToString(cfg.CAData)))
	for name, kubeconfig := range map[string][]byte{"401 unknown token": unknownToken, "403 no RBAC rights": noRights} {
		w.kubeconfig = kubeconfig
		for _, args := range [][]string{
			{"status", "--mesh", meshProd},
			{"plan", "--mesh", meshProd, "--cluster", shopProd},
			{"apply", "--mesh", meshProd, "--cluster", shopProd, "--dry-run"},
		} {
			t.Run(name+"/"+args[0], func(t *testing.T) {
				r := w.run(false, "", args...)
				if r.code != 4 {
					t.Errorf("exit %d, want 4\nstdout:\n%s\nstderr:\n%s", r.code, r.out, r.errOut)
				}
			})
		}
	}
}
