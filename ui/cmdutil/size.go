package cmdutil

import (
	"fmt"

	"github.com/spf13/cobra"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/asmlink/asmlink/spec"
)

// MaxObjectSize is --max-object-size: the largest ASMPvlConfig, in bytes of
// JSON, that the mesh's API server stores (spec.CheckSize). It defaults to
// etcd's default --max-request-bytes, 1.5 MiB; a server whose etcd runs
// with another limit is told so with this flag.
type MaxObjectSize struct{ Bytes int64 }

// BindMaxObjectSize registers --max-object-size on cmd.
func BindMaxObjectSize(cmd *cobra.Command, m *MaxObjectSize) {
	m.Bytes = spec.DefaultMaxBytes
	cmd.Flags().Var(m, "max-object-size", "largest object the API server's etcd stores (its --max-request-bytes), in bytes or with a suffix such as 1536Ki or 3Mi")
}

// String writes the limit as Kubernetes quantities are written (1536Ki).
func (m *MaxObjectSize) String() string {
	return resource.NewQuantity(m.Bytes, resource.BinarySI).String()
}

// Set reads a byte count, plain or with a Kubernetes quantity suffix (Ki,
// Mi, k, M); it must be a whole, positive number of bytes.
func (m *MaxObjectSize) Set(s string) error {
	q, err := resource.ParseQuantity(s)
	if err != nil {
		return fmt.Errorf("%q is not a size: give bytes, or a number with Ki, Mi, k or M, such as 1536Ki", s)
	}
	n, ok := q.AsInt64()
	if !ok || n <= 0 {
		return fmt.Errorf("%q is not a positive whole number of bytes", s)
	}
	m.Bytes = n
	return nil
}

// Type names the flag's value in --help.
func (m *MaxObjectSize) Type() string { return "size" }

// CheckSize measures the object a command is about to write or hand over
// (what names it in messages) against the limit: a warning goes to
// stderr; an object over the limit is refused, exit 3, with the finding,
// its hint, and nothing written.
func CheckSize(f *Factory, what string, cfg *spec.ASMPvlConfig, limit MaxObjectSize) error {
	for _, fd := range spec.CheckSize(cfg, limit.Bytes) {
		if fd.Severity == spec.Error {
			return WithCode(ExitChecks, fmt.Errorf("%s: %s\n    hint: %s", what, fd, fd.Hint))
		}
		fmt.Fprintf(f.IO.ErrOut, "%s: %s\n    hint: %s\n", what, fd, fd.Hint)
	}
	return nil
}
