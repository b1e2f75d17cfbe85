// Package demoenv runs a whole simulated world in one process: the
// simulated Alibaba Cloud on loopback, which also serves an in-memory
// Kubernetes API for each ASM instance with the simulated ASM controller
// reconciling it. It is
// what `asmlink demo` and the wizard's tests stand on, so the product can be
// used end to end with no credentials and no network.
package demoenv

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/cloud/kube"
	"github.com/asmlink/asmlink/cloud/sim"
)

// Options choose the world and how fast it moves.
type Options struct {
	// World is a built-in world name or a world file; default "demo".
	World string
	// Delay, when set, replaces the world's provisioning delays (endpoint,
	// endpoint service, cluster update, mesh update, gateway), so a demo or a test moves at the
	// pace it needs.
	Delay time.Duration
	// ControllerInterval is how often the simulated ASM controllers look
	// at the cloud again; default the controller's own.
	ControllerInterval time.Duration
}

// Env is a running simulated world.
type Env struct {
	// Server is the simulated cloud.
	Server *sim.Server

	mu    sync.Mutex
	kubes map[string]*kube.Client
}

// Start loads the world and starts the simulated cloud. The API servers of
// the meshes start on first use (Kube).
func Start(_ context.Context, opts Options) (*Env, error) {
	name := opts.World
	if name == "" {
		name = "demo"
	}
	w, err := sim.LoadWorld(name)
	if err != nil {
		return nil, err
	}
	if opts.Delay > 0 {
		w.SetDelays(opts.Delay)
	}
	srv, err := sim.New(w, sim.Options{ControllerInterval: opts.ControllerInterval})
	if err != nil {
		return nil, err
	}
	return &Env{Server: srv, kubes: map[string]*kube.Client{}}, nil
}

// Cloud returns a client of the simulated cloud for region ("" is the
// world's region), signed with the world's key.
func (e *Env) Cloud(ctx context.Context, region string) (cloud.API, error) {
	if region == "" {
		region = e.Server.Region()
	}
	id, secret := e.Server.AccessKey()
	return cloud.New(ctx, cloud.Config{
		Region:      region,
		Endpoint:    e.Server.URL(),
		Credentials: credentials.NewStaticAKCredentialsProvider(id, secret),
	})
}

// Kube returns a client of meshID's Kubernetes API, which the simulator
// serves over HTTP with the simulated ASM controller reconciling it,
// connected with the kubeconfig ASM returns, as asmlink connects to a real
// ASM instance.
func (e *Env) Kube(ctx context.Context, meshID string) (*kube.Client, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if c, ok := e.kubes[meshID]; ok {
		return c, nil
	}
	if _, ok := e.Server.State().Mesh(meshID); !ok {
		return nil, fmt.Errorf("the simulated world has no ASM instance %s", meshID)
	}
	api, err := e.Cloud(ctx, "")
	if err != nil {
		return nil, err
	}
	kubeconfig, err := api.MeshKubeconfig(ctx, meshID, false)
	if err != nil {
		return nil, err
	}
	c, err := kube.Connect(ctx, kube.Source{Kubeconfig: kubeconfig})
	if err != nil {
		return nil, err
	}
	e.kubes[meshID] = c
	return c, nil
}

// Close stops the controllers and the simulated cloud.
func (e *Env) Close() error {
	return e.Server.Close()
}
