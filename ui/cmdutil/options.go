// Package cmdutil is what every command shares: streams and global
// options, the cloud and API server connections, exit codes, prompting,
// file writing, and the command-side halves of the use cases that several
// commands run (the target flags, the preflight report, writing a change,
// waiting for the links), so that no command package imports another.
package cmdutil

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/spf13/pflag"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/cloud/kube"
	"github.com/asmlink/asmlink/ui/prompt"
)

// Output formats understood by commands that report.
const (
	OutputText = "text"
	OutputJSON = "json"
	OutputYAML = "yaml"
)

// GlobalOptions are the flags every command shares. Commands read them through
// the Factory; none of them is a secret.
type GlobalOptions struct {
	Region     string
	Profile    string
	Kubeconfig string
	Context    string
	Endpoint   string
	Output     string
	NoColor    bool
	Accessible bool
	Debug      bool
	// PrivateAddress asks ASM for the kubeconfig with the API server's
	// private address, for machines inside the mesh's VPC.
	PrivateAddress bool
	// RequestTimeout bounds one request to the ASM API server and one
	// attempt of a cloud call; 0 means their defaults (kube.RequestTimeout,
	// cloud's 20s).
	RequestTimeout time.Duration
}

// Bind registers the global flags on fs.
func (o *GlobalOptions) Bind(fs *pflag.FlagSet) {
	fs.StringVar(&o.Region, "region", "", "Alibaba Cloud region ID (default: $ALIBABA_CLOUD_REGION_ID, then the profile's region_id)")
	fs.StringVar(&o.Profile, "profile", "", "profile in ~/.aliyun/config.json to take credentials and region from")
	fs.StringVar(&o.Kubeconfig, "kubeconfig", "", "kubeconfig of the ASM instance's API server (default: $KUBECONFIG, else fetched from ASM)")
	fs.StringVar(&o.Context, "context", "", "context in the kubeconfig to use")
	fs.StringVar(&o.Endpoint, "endpoint", "", "base URL that every cloud API call goes to, e.g. the simulator (default: $ASMLINK_ENDPOINT)")
	fs.StringVarP(&o.Output, "output", "o", OutputText, "output format: text, json or yaml")
	fs.BoolVar(&o.NoColor, "no-color", false, "never use colour (also: NO_COLOR=1, TERM=dumb)")
	fs.BoolVar(&o.Accessible, "accessible", false, "plain prompts and line output for screen readers (also: ACCESSIBLE=1, TERM=dumb)")
	fs.BoolVar(&o.PrivateAddress, "private-address", false, "when fetching the ASM instance's kubeconfig from ASM, use the API server's private address")
	fs.BoolVar(&o.Debug, "debug", false, "log each cloud and Kubernetes call to stderr (secrets are never logged)")
	fs.DurationVar(&o.RequestTimeout, "request-timeout", 0, "longest wait for one answer of the ASM API server or one cloud call attempt (default 30s and 20s)")
}

// ValidateOutput checks -o against the formats a command supports. Every
// command calls it first, so -o is accepted or refused alike everywhere:
// a format the command does not write is a usage error (exit 2) that names
// the ones it does. An unset -o (a command built without the global
// flags, in tests) is text.
func (o *GlobalOptions) ValidateOutput(allowed ...string) error {
	if o.Output == "" {
		o.Output = OutputText
	}
	for _, a := range allowed {
		if o.Output == a {
			return nil
		}
	}
	return UsageErrorf("--output %q is not supported here: use one of %s", o.Output, strings.Join(allowed, ", "))
}

// Color tells whether output to a stream should be coloured. NO_COLOR (any
// non-empty value), --no-color and TERM=dumb all turn colour off, and colour
// is only ever sent to a terminal.
func (f *Factory) Color(tty bool) bool {
	if f.Options.NoColor || f.IO.Getenv("NO_COLOR") != "" || f.IO.Getenv("TERM") == "dumb" {
		return false
	}
	return tty
}

// Accessible tells whether to use plain prompts and line output.
func (f *Factory) Accessible() bool {
	if f.Options.Accessible || f.IO.Getenv("TERM") == "dumb" {
		return true
	}
	switch strings.ToLower(f.IO.Getenv("ACCESSIBLE")) {
	case "", "0", "false", "no":
		return false
	}
	return true
}

// Factory gives commands what they share: streams and global options. Later
// parts (cloud client, API server connection) hang off it so tests can
// replace them.
type Factory struct {
	IO      *IOStreams
	Options *GlobalOptions

	// CloudFunc, when set, replaces how Cloud builds the cloud client (tests
	// and the demo set it).
	CloudFunc func(ctx context.Context) (cloud.API, error)
	cloud     cloudCache
	// CloudForRegion, when set, builds the cloud client for a region the
	// person switches to in the wizard (the demo sets it).
	CloudForRegion func(ctx context.Context, region string) (cloud.API, error)

	// KubeFunc, when set, replaces how Kube connects to a mesh's API server
	// (tests and the demo set it).
	KubeFunc func(ctx context.Context, meshID string) (*kube.Client, error)

	prompter     *prompt.Prompter
	prompterOnce sync.Once
}

// Debugf writes a debug line to stderr when --debug is set. Callers must never
// pass a secret.
func (f *Factory) Debugf(format string, args ...any) {
	if f.Options.Debug {
		fmt.Fprintf(f.IO.ErrOut, "debug: "+format+"\n", args...)
	}
}
