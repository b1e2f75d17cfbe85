// Package wizard is the Bubble Tea wizard that leads an engineer from an ASM
// instance to an ACK cluster running in the mesh. Decisions live in flow;
// this package only turns them into screens and keys, and runs every piece
// of I/O in commands, never in Update or View.
package wizard

import (
	"context"
	"time"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/flow/session"
)

// Deps is how the wizard reaches the world. The setup command builds them
// from the global flags; the demo builds them on the simulated cloud.
type Deps struct {
	// Cloud returns the cloud client for a region; "" is the default region
	// of the flags, environment and profile.
	Cloud func(ctx context.Context, region string) (cloud.API, error)
	// Server connects to the API server of an ASM instance.
	Server session.Connect
	// WriteFile writes the reviewed ASMPvlConfig to a file: atomically, and
	// never over a file that is not an ASMPvlConfig (cmdutil.WriteConfigFile).
	WriteFile func(path string, data []byte) error
	// Demo shows the demo banner.
	Demo bool
	// DefaultFile is the file name the write action proposes.
	DefaultFile string
	// Refresh is how often the dashboard cross-checks the PrivateLink APIs
	// and the SAN step polls the cluster; default 2s.
	Refresh time.Duration
	// Now is the clock, for elapsed times; default time.Now.
	Now func() time.Time
}

func (d Deps) refresh() time.Duration {
	if d.Refresh <= 0 {
		return 2 * time.Second
	}
	return d.Refresh
}

func (d Deps) now() time.Time {
	if d.Now == nil {
		return time.Now()
	}
	return d.Now()
}
