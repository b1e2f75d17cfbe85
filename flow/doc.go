// Package flow holds the wizard's decisions without rendering: which ACK
// clusters can be connected to a mesh, which vSwitch pair to use, the
// preflight checks and status diagnoses as data, the SAN step, the wizard's
// steps, and a wait primitive. The Bubble Tea UI and the scriptable commands
// both call it; it never prints and never runs a mutating fix by itself.
package flow
