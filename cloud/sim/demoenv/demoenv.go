// Package demoenv runs a whole simulated world in one process: the
// simulated Alibaba Cloud on loopback, an in-memory API server for each ASM
// instance, and the simulated ASM controller reconciling each one. It is
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
	// endpoint service, cluster update, mesh update), so a demo or a test moves at the
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

	ctx      context.Context
	cancel   context.CancelFunc
	mu       sync.Mutex
	kubes    map[string]*kube.Client
	interval time.Duration
}

// Start loads the world and starts the simulated cloud. The API servers of
// the meshes start on first use (Kube).
func Start(ctx context.Context, opts Options) (*Env, error) {
	name := opts.World
	if name == "" {
		name = "demo"
	}
	w, err := sim.LoadWorld(name)
	if err != nil {
		return nil, err
	}
	if opts.Delay > 0 {
		d := sim.Duration(opts.Delay)
		w.Delays.Endpoint, w.Delays.EndpointService, w.Delays.ClusterUpdate, w.Delays.MeshUpdate = d, d, d, d
	}
	srv, err := sim.New(w, sim.Options{})
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	return &Env{Server: srv, ctx: ctx, cancel: cancel, kubes: map[string]*kube.Client{}, interval: opts.ControllerInterval}, nil
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

// Kube returns the in-memory API server of meshID, starting it and its
// simulated ASM controller on first use.
func (e *Env) Kube(_ context.Context, meshID string) (*kube.Client, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if c, ok := e.kubes[meshID]; ok {
		return c, nil
	}
	if _, ok := e.Server.State().Mesh(meshID); !ok {
		return nil, fmt.Errorf("the simulated world has no ASM instance %s", meshID)
	}
	c, err := kube.NewInMemory()
	if err != nil {
		return nil, err
	}
	ctrl, err := sim.NewController(e.Server.State(), meshID, c, sim.ControllerOptions{Interval: e.interval})
	if err != nil {
		return nil, err
	}
	go ctrl.Run(e.ctx)
	e.kubes[meshID] = c
	return c, nil
}

// Close stops the controllers and the simulated cloud.
func (e *Env) Close() error {
	e.cancel()
	return e.Server.Close()
}
