package wizard_test

import (
	"context"
	"testing"

	"github.com/asmlink/asmlink/cloud/sim/demoenv"
	"github.com/asmlink/asmlink/spec"
)

// liveSpec is the mesh-prod ASMPvlConfig's spec in env, as YAML.
func liveSpec(t *testing.T, env *demoenv.Env) string {
	t.Helper()
	kc, err := env.Kube(t.Context(), meshProd)
	if err != nil {
		t.Fatal(err)
	}
	live, err := kc.Get(t.Context())
	if err != nil || live == nil {
		t.Fatalf("no ASMPvlConfig in the mesh: %v", err)
	}
	cfg := spec.ForFile(live, nil)
	return string(spec.Encode(cfg, spec.EncodeOptions{}))
}

// TestBothModesApplyTheSameASMPvlConfig gives the screen and the
// accessible driver the same answers (mesh-prod, shop-prod, the
// recommended pair, apply, yes) on two fresh demo worlds: both walk the
// same steps to the same ASMPvlConfig in the mesh.
func TestBothModesApplyTheSameASMPvlConfig(t *testing.T) {
	d, screenEnv := start(t, "demo", false, 120, 40)
	toLinks(d)

	s, _, _, plainEnv := startPlainEnv(t, context.Background())
	const ask = "Enter a number between"
	s.answer(numberOf(t, s.await(ask, 1), "mesh-prod ("))
	s.answer(numberOf(t, s.await(ask, 2), "shop-prod ("))
	s.await(ask, 3)
	s.answer("")
	s.answer(numberOf(t, s.await(ask, 4), "apply it to the ASM instance"))
	s.await("[y/N]", 1)
	s.answer("y")
	s.await("Both links", 1)

	screen, plain := liveSpec(t, screenEnv), liveSpec(t, plainEnv)
	if screen != plain {
		t.Fatalf("the modes applied different objects:\nscreen:\n%s\naccessible:\n%s", screen, plain)
	}
	if cfg, err := spec.Decode([]byte(screen)); err != nil || len(cfg.ClusterIDs()) != 1 || cfg.ClusterIDs()[0] != shopProd {
		t.Fatalf("the applied object is not shop-prod's connection: %v\n%s", err, screen)
	}
}
