package step

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
	// PrintReviewed prints the reviewed (or applied) ASMPvlConfig on
	// stdout once the wizard has exited at its summary, whatever the
	// action (asmlink setup -o yaml).
	PrintReviewed bool
	// Refresh is how often the dashboard cross-checks the PrivateLink APIs
	// and the SAN step polls the cluster; default 2s.
	Refresh time.Duration
	// Now is the clock, for elapsed times; default time.Now.
	Now func() time.Time
}

// RefreshEvery is how often the links and the SAN step look at the cloud.
func (d Deps) RefreshEvery() time.Duration {
	if d.Refresh <= 0 {
		return 2 * time.Second
	}
	return d.Refresh
}

// Clock is the time now, by the Deps' clock.
func (d Deps) Clock() time.Time {
	if d.Now == nil {
		return time.Now()
	}
	return d.Now()
}
