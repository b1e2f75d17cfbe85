package kube_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/asmlink/asmlink/cloud/kube"
)

func TestConnectFromKubeconfigBytes(t *testing.T) {
	srv.Reset(t)
	kc, err := srv.Kubeconfig("asm-admin")
	if err != nil {
		t.Fatal(err)
	}
	c, err := kube.Connect(ctx(t), kube.Source{Kubeconfig: kc})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := c.Get(ctx(t)); err != nil || got != nil {
		t.Fatalf("Get through a kubeconfig held in memory = %v, %v; want nil, nil", got, err)
	}
	if c.Server() != strings.TrimSuffix(srv.Config.Host, "/") {
		t.Errorf("Server() = %s, want %s", c.Server(), srv.Config.Host)
	}
}

func TestConnectFromFileContextAndKUBECONFIG(t *testing.T) {
	srv.Reset(t)
	kc, err := srv.Kubeconfig("asm-admin")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "asm.kubeconfig")
	if err := os.WriteFile(file, kc, 0o600); err != nil {
		t.Fatal(err)
	}
	for name, src := range map[string]kube.Source{
		"--kubeconfig":            {Path: file},
		"--kubeconfig --context":  {Path: file, Context: "envtest"},
		"KUBECONFIG list":         {Env: filepath.Join(dir, "missing") + string(os.PathListSeparator) + file},
		"bytes win over the file": {Kubeconfig: kc, Path: filepath.Join(dir, "missing")},
	} {
		t.Run(name, func(t *testing.T) {
			c, err := kube.Connect(ctx(t), src)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.Get(ctx(t)); err != nil {
				t.Fatal(err)
			}
		})
	}
	t.Run("unknown context", func(t *testing.T) {
		_, err := kube.Connect(ctx(t), kube.Source{Path: file, Context: "prod-asm"})
		if err == nil || !strings.Contains(err.Error(), "prod-asm") || !strings.Contains(err.Error(), file) {
			t.Fatalf("Connect with an unknown context = %v, want an error naming the context and the file", err)
		}
	})
	t.Run("missing file", func(t *testing.T) {
		_, err := kube.Connect(ctx(t), kube.Source{Path: filepath.Join(dir, "missing")})
		if err == nil || !strings.Contains(err.Error(), "--kubeconfig") {
			t.Fatalf("Connect with a missing --kubeconfig = %v, want an error naming the flag", err)
		}
	})
	t.Run("nothing given", func(t *testing.T) {
		if _, err := kube.Connect(ctx(t), kube.Source{}); !errors.Is(err, kube.ErrNoKubeconfig) {
			t.Fatalf("Connect without a kubeconfig = %v, want ErrNoKubeconfig", err)
		}
	})
}

func TestBrokenKubeconfigErrorHoldsNoCredential(t *testing.T) {
	const token = "s3cr3t-asm-token-value"
	kc := []byte("apiVersion: v1\nkind: Config\nusers:\n- name: asm\n  user:\n    token: " + token + "\n  : [unclosed\n")
	_, err := kube.Connect(ctx(t), kube.Source{Kubeconfig: kc})
	if err == nil {
		t.Fatal("Connect accepted a broken kubeconfig")
	}
	if strings.Contains(err.Error(), token) {
		t.Fatalf("the error shows the kubeconfig's token: %v", err)
	}
}

func TestConnectToAPIServerWithoutASMPvlConfig(t *testing.T) {
	srv.Reset(t)
	srv.WithoutASMPvlConfig(t)
	_, err := kube.NewForConfig(ctx(t), srv.Config)
	var notASM *kube.NotASMError
	if !errors.As(err, &notASM) {
		t.Fatalf("connecting to an API server without ASMPvlConfig = %v, want a *NotASMError", err)
	}
	msg := err.Error()
	for _, want := range []string{srv.Config.Host, "not an ASM instance's kubeconfig", "DescribeServiceMeshKubeconfig"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q does not say %q", msg, want)
		}
	}
}
