package flow

import (
	"fmt"

	"github.com/asmlink/asmlink/cloud"
)

// Said is a message as the message catalogue keys it: its English format
// and the arguments, the run's facts. A Result's Message holds it said in
// English, what JSON carries; a screen says it in its own language from
// Said (ui/text), so no message is assembled from fragments whose order a
// translation would need to change.
type Said struct {
	Format string
	Args   []any
}

// String is the message in English.
func (s Said) String() string { return fmt.Sprintf(s.Format, s.Args...) }

// say is the result of status with the message format and args.
func say(status Status, format string, args ...any) Result {
	s := Said{Format: format, Args: args}
	return Result{Status: status, Message: s.String(), Said: s}
}

// passf, problemf and skipf are pass, problem and skip with a message
// format and its arguments.
func passf(format string, args ...any) Result    { return say(StatusPass, format, args...) }
func problemf(format string, args ...any) Result { return say(StatusFail, format, args...) }
func skipf(format string, args ...any) Result    { return say(StatusSkip, format, args...) }

// fixf is a fix whose description is format with args.
func fixf(format string, args ...any) *Fix {
	s := Said{Format: format, Args: args}
	return &Fix{Description: s.String(), Said: s}
}

// with is r with details.
func (r Result) with(details ...string) Result {
	r.Details = details
	return r
}

// Ref names a resource among a message's arguments: its kind, ID and name,
// and for a cluster's link which one. In English it reads "cluster c…
// (shop-prod)" or "cluster c… link A"; a screen says the kind in its own
// language.
type Ref struct {
	Kind, ID, Name string
	Link           string
}

// String is the reference in English.
func (r Ref) String() string {
	s := r.Kind + " " + r.ID
	if r.Name != "" && r.Name != r.ID {
		s += " (" + r.Name + ")"
	}
	if r.Link != "" {
		s += " link " + r.Link
	}
	return s
}

// clusterRef is an ACK cluster as a message names it.
func clusterRef(c cloud.Cluster) Ref { return Ref{Kind: "cluster", ID: c.ID, Name: c.Name} }
