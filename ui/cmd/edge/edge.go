// Package edge is `asmlink edge`: what ACK Edge clusters need beyond the
// mesh link. Its endpoints command creates the PrivateLink endpoints that
// give on-premises edge nodes stable private addresses for the system
// Container Registry and the ACK control plane (seed 003), and prints the
// DNS records the data center needs; gateway and inject carry an edge
// cluster of a mesh on to traffic (seed 004): an ingress gateway, and
// automatic sidecar injection.
package edge

import (
	"github.com/spf13/cobra"

	"github.com/asmlink/asmlink/ui/cmdutil"
)

// NewCmdEdge builds `asmlink edge` and its subcommands.
func NewCmdEdge(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "edge <command>",
		Short: "What ACK Edge clusters need: PrivateLink endpoints, an ingress gateway, sidecar injection",
		Long: `Commands for ACK Edge clusters whose edge nodes sit in an on-premises data
center and reach the cloud over a leased line.

Edge clusters join a mesh like any other ACK cluster (asmlink setup, and the
cluster listings mark them "edge"). What they need beyond that is for their
edge nodes to reach the system Container Registry and the ACK control plane
at stable private addresses outside 100.64.0.0/10: asmlink edge endpoints
creates those PrivateLink endpoints and prints the DNS records. Once the
cluster runs in the mesh, asmlink edge gateway gives it an ingress gateway
and asmlink edge inject turns on automatic sidecar injection for its
namespaces (steps 3 and 4 of ASM's guide for ACK edge clusters).`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(NewCmdEndpoints(f, nil), NewCmdGateway(f, nil), NewCmdInject(f, nil))
	return cmd
}
