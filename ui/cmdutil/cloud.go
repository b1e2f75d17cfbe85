package cmdutil

import (
	"context"
	"errors"
	"io"
	"sync"

	"github.com/asmlink/asmlink/cloud"
)

// cloudCache holds the client Cloud built, so that every caller of one
// Factory shares its connections and concurrency limit.
type cloudCache struct {
	mu  sync.Mutex
	api cloud.API
}

// Cloud returns the Alibaba Cloud client of this invocation: CloudFunc when
// set, else a client built from --region, --profile, --endpoint (or
// $ASMLINK_ENDPOINT) and --debug, built once per Factory. A missing or
// malformed region is a usage error naming where it came from; credential
// errors exit with code 4.
func (f *Factory) Cloud(ctx context.Context) (cloud.API, error) {
	if f.CloudFunc != nil {
		return f.CloudFunc(ctx)
	}
	f.cloud.mu.Lock()
	defer f.cloud.mu.Unlock()
	if f.cloud.api != nil {
		return f.cloud.api, nil
	}
	c, err := cloud.New(ctx, f.CloudConfig())
	if errors.Is(err, cloud.ErrNoRegion) || errors.Is(err, cloud.ErrBadRegion) {
		return nil, WithCode(ExitUsage, err)
	}
	if err != nil {
		return nil, err
	}
	f.cloud.api = c
	return c, nil
}

// CloudConfig is the cloud client configuration that the global options and
// the environment give. Debug lines go to stderr.
func (f *Factory) CloudConfig() cloud.Config {
	endpoint := f.Options.Endpoint
	if endpoint == "" {
		endpoint = f.IO.Getenv("ASMLINK_ENDPOINT")
	}
	var debug io.Writer
	if f.Options.Debug {
		debug = f.IO.ErrOut
	}
	return cloud.Config{
		Region:   f.Options.Region,
		Profile:  f.Options.Profile,
		Endpoint: endpoint,
		Debug:    debug,
		Retry:    cloud.RetryPolicy{CallTimeout: f.Options.RequestTimeout},
	}
}

// cloudExitCode maps cloud errors to exit codes: credentials and permission
// problems exit 4, every other cloud failure 1, a call that timed out too
// (124 is for a wait that ran out of time, not for one call).
func cloudExitCode(err error) (int, bool) {
	var e *cloud.Error
	if !errors.As(err, &e) {
		return 0, false
	}
	switch e.Kind {
	case cloud.KindCredentials, cloud.KindPermission:
		return ExitCredentials, true
	}
	return ExitError, true
}
