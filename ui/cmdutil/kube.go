package cmdutil

import (
	"context"
	"errors"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"github.com/asmlink/asmlink/cloud/kube"
)

// Kube connects to the API server of the ASM instance meshID: KubeFunc when
// set (tests, demo), else --kubeconfig/--context, else $KUBECONFIG, else the
// kubeconfig ASM itself returns (DescribeServiceMeshKubeconfig), held in
// memory only. A server without the ASMPvlConfig kind is reported as
// probably not an ASM instance's kubeconfig.
func (f *Factory) Kube(ctx context.Context, meshID string) (*kube.Client, error) {
	if f.KubeFunc != nil {
		return f.KubeFunc(ctx, meshID)
	}
	src := kube.Source{Path: f.Options.Kubeconfig, Env: f.IO.Getenv("KUBECONFIG"), Context: f.Options.Context, Timeout: f.Options.RequestTimeout}
	c, err := kube.Connect(ctx, src)
	if !errors.Is(err, kube.ErrNoKubeconfig) {
		return c, err
	}
	if f.Options.Context != "" {
		return nil, UsageErrorf("--context %q needs --kubeconfig or KUBECONFIG: the kubeconfig fetched from ASM has a single context", f.Options.Context)
	}
	api, err := f.Cloud(ctx)
	if err != nil {
		return nil, err
	}
	raw, err := api.MeshKubeconfig(ctx, meshID, f.Options.PrivateAddress)
	if err != nil {
		return nil, fmt.Errorf("fetching the kubeconfig of ASM instance %s: %w", meshID, err)
	}
	return kube.Connect(ctx, kube.Source{Kubeconfig: raw, Timeout: f.Options.RequestTimeout})
}

// kubeExitCode maps the ASM API server's answers to exit codes, as the
// README's table says: a rejected or forbidden identity (401, 403) exits
// 4; a change the server or another field manager refuses (a conflict, 409,
// an invalid object, 422) exits 3. A request that did not answer in time
// (*kube.TimeoutError) is an error like any other, 1: 124 is for waits.
func kubeExitCode(err error) (int, bool) {
	var conflict *kube.ConflictError
	switch {
	case apierrors.IsUnauthorized(err), apierrors.IsForbidden(err):
		return ExitCredentials, true
	case errors.As(err, &conflict), apierrors.IsConflict(err), apierrors.IsInvalid(err):
		return ExitChecks, true
	}
	var te *kube.TimeoutError
	if errors.As(err, &te) {
		return ExitError, true
	}
	return 0, false
}
