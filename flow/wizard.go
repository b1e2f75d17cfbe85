package flow

import (
	"fmt"
	"slices"
)

// Step is one screen of the wizard. The steps run in the order declared.
type Step int

// The wizard's steps.
const (
	// StepMesh picks the ASM instance.
	StepMesh Step = iota
	// StepCluster picks the ACK cluster and what to do with it.
	StepCluster
	// StepPairing picks the vSwitch pair, one in each VPC.
	StepPairing
	// StepPreflight runs the preflight checks and offers their fixes.
	StepPreflight
	// StepReview shows the diff of the ASMPvlConfig and asks for consent.
	StepReview
	// StepAction applies the ASMPvlConfig.
	StepAction
	// StepDashboard watches both links until the status is Available.
	StepDashboard
	// StepSAN adds the endpoint domain to the API server certificate.
	StepSAN
	// StepSummary reports what was done and what is left.
	StepSummary
)

var stepNames = [...]string{"mesh", "cluster", "pairing", "preflight", "review", "action", "dashboard", "san", "summary"}

// String returns the step's lower-case name, e.g. "pairing".
func (s Step) String() string {
	if s < 0 || int(s) >= len(stepNames) {
		return fmt.Sprintf("step(%d)", int(s))
	}
	return stepNames[s]
}

// Intent is what the person wants to do with the chosen cluster.
type Intent int

// The intents.
const (
	// IntentConnect adds a new ackVpcEndpoint entry for the cluster.
	IntentConnect Intent = iota
	// IntentChange replaces the vSwitches of the cluster's existing entry.
	IntentChange
	// IntentRemove deletes the cluster's entry and keeps every other one.
	IntentRemove
)

var intentNames = [...]string{"connect", "change", "remove"}

// String returns "connect", "change" or "remove".
func (i Intent) String() string {
	if i < 0 || int(i) >= len(intentNames) {
		return fmt.Sprintf("intent(%d)", int(i))
	}
	return intentNames[i]
}

// Wizard is the wizard's state without rendering: the current step, the
// choices made so far and whether a change is in flight. Going back keeps
// every choice so a screen can preselect it; changing an earlier choice
// clears only the choices that depend on it. The zero value starts at
// StepMesh.
type Wizard struct {
	step    Step
	history []Step

	meshID    string
	clusterID string
	intent    Intent
	pair      *Pair

	preflight []Result
	ranChecks bool
	confirmed bool
	applied   bool
	available bool
	sanNeeded bool
	sanDone   bool
	inFlight  bool
}

// Step returns the current step.
func (w *Wizard) Step() Step { return w.step }

// MeshID returns the chosen ASM instance, or "".
func (w *Wizard) MeshID() string { return w.meshID }

// ClusterID returns the chosen ACK cluster, or "".
func (w *Wizard) ClusterID() string { return w.clusterID }

// Intent returns what the person wants to do with the chosen cluster.
func (w *Wizard) Intent() Intent { return w.intent }

// Pair returns the chosen vSwitch pair, or nil.
func (w *Wizard) Pair() *Pair { return w.pair }

// Pairs returns the chosen vSwitch pair as the list the use cases take:
// empty before the choice.
func (w *Wizard) Pairs() []Pair {
	if w.pair == nil {
		return nil
	}
	return []Pair{*w.pair}
}

// Preflight returns the results of the last preflight run.
func (w *Wizard) Preflight() []Result { return w.preflight }

// InFlight tells whether a change has been sent and not yet settled, so
// quitting must be confirmed: the ASMPvlConfig is being applied or
// provisioned, or the certificate SANs are being updated.
func (w *Wizard) InFlight() bool { return w.inFlight }

// Applied tells whether the ASMPvlConfig has been applied in this session.
func (w *Wizard) Applied() bool { return w.applied }

// ChooseMesh records the ASM instance. Choosing another mesh clears the
// cluster, pair and preflight choices, which belong to the old mesh.
func (w *Wizard) ChooseMesh(meshID string) {
	if meshID != w.meshID {
		w.clusterID, w.intent = "", IntentConnect
		w.clearPairing()
	}
	w.meshID = meshID
}

// ChooseCluster records the ACK cluster and the intent. Choosing another
// cluster clears the pair and the preflight results.
func (w *Wizard) ChooseCluster(clusterID string, intent Intent) {
	if clusterID != w.clusterID || intent != w.intent {
		w.clearPairing()
	}
	w.clusterID, w.intent = clusterID, intent
}

// ChoosePair records the vSwitch pair; a new pair clears the preflight
// results, which were computed for the old one.
func (w *Wizard) ChoosePair(p Pair) {
	if w.pair == nil || *w.pair != p {
		w.preflight, w.ranChecks = nil, false
	}
	w.pair = &p
}

// SetPreflight records the results of a preflight run.
func (w *Wizard) SetPreflight(results []Result) {
	w.preflight, w.ranChecks = results, true
}

// Confirm records consent to apply the change shown at StepReview.
func (w *Wizard) Confirm() { w.confirmed = true }

// StartApply marks the ASMPvlConfig as being applied: a change is in flight.
func (w *Wizard) StartApply() { w.inFlight = true }

// ApplyDone records the end of the apply. On error nothing was changed, so
// nothing is in flight; on success ASM now provisions the links.
func (w *Wizard) ApplyDone(err error) {
	if err != nil {
		w.inFlight = false
		return
	}
	w.applied = true
}

// LinkAvailable records that the status reached Available (or, for a
// removal, that the cluster's entries are gone) and whether the SAN step is
// needed (see SANNeeded). Provisioning is over, so nothing is in flight.
func (w *Wizard) LinkAvailable(sanNeeded bool) {
	w.available, w.sanNeeded, w.inFlight = true, sanNeeded, false
}

// StartSAN marks the certificate SAN update as sent: a change is in flight.
func (w *Wizard) StartSAN() { w.inFlight = true }

// SANDone records the end of the SAN step: the cluster is running in the
// mesh, or the wait ended with err and the summary will say so.
func (w *Wizard) SANDone(err error) {
	w.inFlight = false
	w.sanDone = err == nil
}

func (w *Wizard) clearPairing() {
	w.pair = nil
	w.preflight, w.ranChecks, w.confirmed = nil, false, false
}

// Next returns the step that follows the current one given the choices, or
// an error naming what is still missing before the wizard can go on.
func (w *Wizard) Next() (Step, error) {
	switch w.step {
	case StepMesh:
		if w.meshID == "" {
			return w.step, fmt.Errorf("choose an ASM instance first")
		}
		return StepCluster, nil
	case StepCluster:
		if w.clusterID == "" {
			return w.step, fmt.Errorf("choose an ACK cluster first")
		}
		if w.intent == IntentRemove {
			return StepReview, nil
		}
		return StepPairing, nil
	case StepPairing:
		if w.pair == nil {
			return w.step, fmt.Errorf("choose a vSwitch pair first")
		}
		return StepPreflight, nil
	case StepPreflight:
		if !w.ranChecks {
			return w.step, fmt.Errorf("the preflight checks have not run yet")
		}
		if failed := Failed(w.preflight); len(failed) > 0 {
			return w.step, fmt.Errorf("preflight check %s failed: %s", failed[0].Check.Code, failed[0].Message)
		}
		return StepReview, nil
	case StepReview:
		if !w.confirmed {
			return w.step, fmt.Errorf("confirm the change to apply it")
		}
		return StepAction, nil
	case StepAction:
		if !w.applied {
			return w.step, fmt.Errorf("the ASMPvlConfig has not been applied yet")
		}
		return StepDashboard, nil
	case StepDashboard:
		if !w.available {
			return w.step, fmt.Errorf("the links are not Available yet")
		}
		if w.sanNeeded && w.intent != IntentRemove {
			return StepSAN, nil
		}
		return StepSummary, nil
	case StepSAN:
		if w.inFlight {
			return w.step, fmt.Errorf("the certificate SANs are still being updated")
		}
		return StepSummary, nil
	}
	return w.step, fmt.Errorf("the wizard is finished")
}

// Export finishes the wizard at StepAction without applying: the reviewed
// ASMPvlConfig goes to a file or to stdout for GitOps review, and the
// summary says so.
func (w *Wizard) Export() {
	if w.step != StepAction {
		return
	}
	w.history = append(w.history, w.step)
	w.step = StepSummary
}

// Advance moves to the next step if the choices allow it.
func (w *Wizard) Advance() error {
	next, err := w.Next()
	if err != nil {
		return err
	}
	w.history = append(w.history, w.step)
	w.step = next
	if next == StepReview {
		w.confirmed = false
	}
	return nil
}

// ReviewAgain returns from StepAction to StepReview, before anything is
// applied, when what the server would store has changed and must be
// reviewed again: after a consent to take over another field manager's
// fields, say. It reports whether it moved.
func (w *Wizard) ReviewAgain() bool {
	if w.step != StepAction || w.inFlight || w.applied || len(w.history) == 0 || w.history[len(w.history)-1] != StepReview {
		return false
	}
	w.step = StepReview
	w.history = w.history[:len(w.history)-1]
	w.confirmed = false
	return true
}

// CanBack tells whether Back is possible: only before anything has been
// applied, since an applied change cannot be taken back by going back.
func (w *Wizard) CanBack() bool {
	return len(w.history) > 0 && w.step <= StepReview
}

// Back returns to the previous step, keeping every choice made.
func (w *Wizard) Back() bool {
	if !w.CanBack() {
		return false
	}
	w.step = w.history[len(w.history)-1]
	w.history = slices.Delete(w.history, len(w.history)-1, len(w.history))
	return true
}
