package cmdutil

import (
	"fmt"
	"io"
	"strings"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/ui/render"
	"github.com/asmlink/asmlink/ui/text"
)

// SayIdentity is flow.DescribeIdentity in the language of this run: which
// credentials, region and endpoint are used.
func SayIdentity(id cloud.Identity) string {
	var parts []string
	for _, p := range flow.IdentityParts(id) {
		parts = append(parts, render.Say(p, p.String()))
	}
	return strings.Join(parts, text.Active().Report.CountSep)
}

// AnnounceIdentity says on w which credentials, region and endpoint a
// command uses, as every command that calls the cloud does first.
func AnnounceIdentity(w io.Writer, id cloud.Identity) {
	fmt.Fprintln(w, text.Sprintf("Using %s.", SayIdentity(id)))
}
