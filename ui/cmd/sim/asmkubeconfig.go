package sim

import (
	"context"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"sync"

	"k8s.io/client-go/tools/clientcmd"

	"github.com/asmlink/asmlink/cloud/kube"
	cloudsim "github.com/asmlink/asmlink/cloud/sim"
	"github.com/asmlink/asmlink/ui/cmdutil"
)

// meshIDShape is an ASM instance ID: 32 lower-case hex characters.
var meshIDShape = regexp.MustCompile(`^[0-9a-f]{32}$`)

// asmKubeconfig is one --asm-kubeconfig value: the mesh whose Kubernetes API
// the kubeconfig file at Path points to.
type asmKubeconfig struct {
	MeshID, Path string
}

// parseASMKubeconfig reads "[MESH_ID=]PATH"; without a mesh ID it names the
// world's first mesh.
func parseASMKubeconfig(value string, world *cloudsim.World) (asmKubeconfig, error) {
	mesh, path, found := strings.Cut(value, "=")
	if !found || !meshIDShape.MatchString(mesh) {
		if len(world.Meshes) == 0 {
			return asmKubeconfig{}, cmdutil.UsageErrorf("--asm-kubeconfig %s: world %s has no ASM instance", value, world.Name)
		}
		mesh, path = world.Meshes[0].ID, value
	}
	if path == "" {
		return asmKubeconfig{}, cmdutil.UsageErrorf("--asm-kubeconfig %s: give the kubeconfig file, as [MESH_ID=]PATH", value)
	}
	return asmKubeconfig{MeshID: mesh, Path: path}, nil
}

// startASMControllers makes each mesh named by --asm-kubeconfig use the
// Kubernetes API its kubeconfig points to: DescribeServiceMeshKubeconfig
// returns that kubeconfig, and the simulated ASM controller reconciles
// ASMPvlConfig there until ctx is done. The returned wait blocks until the
// controllers have stopped.
func startASMControllers(ctx context.Context, srv *cloudsim.Server, values []string, log io.Writer) (wait func(), err error) {
	var wg sync.WaitGroup
	for _, v := range values {
		a, err := parseASMKubeconfig(v, srv.World())
		if err != nil {
			return wg.Wait, err
		}
		data, err := os.ReadFile(a.Path)
		if err != nil {
			return wg.Wait, cmdutil.UsageErrorf("--asm-kubeconfig %s: %v", v, err)
		}
		if len(data) == 0 {
			return wg.Wait, cmdutil.UsageErrorf("--asm-kubeconfig %s: the file is empty; give a kubeconfig", v)
		}
		c, err := kube.Connect(ctx, kube.Source{Kubeconfig: data})
		if err != nil {
			return wg.Wait, cmdutil.UsageErrorf("--asm-kubeconfig %s: %v", v, err)
		}
		cfg, err := clientcmd.RESTConfigFromKubeConfig(data)
		if err != nil {
			return wg.Wait, cmdutil.UsageErrorf("--asm-kubeconfig %s: %v", v, err)
		}
		ctrl, err := cloudsim.NewController(srv.State(), a.MeshID, cfg, cloudsim.ControllerOptions{Log: log})
		if err != nil {
			return wg.Wait, cmdutil.UsageErrorf("--asm-kubeconfig %s: %v", v, err)
		}
		gwCtrl, err := cloudsim.NewGatewayController(srv.State(), a.MeshID, cfg, cloudsim.ControllerOptions{Log: log})
		if err != nil {
			return wg.Wait, cmdutil.UsageErrorf("--asm-kubeconfig %s: %v", v, err)
		}
		if err := srv.State().SetMeshKubeconfig(a.MeshID, data); err != nil {
			return wg.Wait, err
		}
		wg.Add(2)
		go func() { defer wg.Done(); ctrl.Run(ctx) }()
		go func() { defer wg.Done(); gwCtrl.Run(ctx) }()
		fmt.Fprintf(log, "ASM instance %s: Kubernetes API at %s, with the simulated ASM controller and gateway controller.\n", a.MeshID, c.Server())
	}
	return wg.Wait, nil
}
