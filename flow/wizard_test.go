package flow

import (
	"errors"
	"strings"
	"testing"
)

func mustAdvance(t *testing.T, w *Wizard, want Step) {
	t.Helper()
	if err := w.Advance(); err != nil {
		t.Fatalf("Advance from %s: %v", w.Step(), err)
	}
	if w.Step() != want {
		t.Fatalf("step = %s, want %s", w.Step(), want)
	}
}

func passingPreflight() []Result {
	c, _ := CheckByCode(CodeMeshRunning)
	return []Result{{Check: &c, Status: StatusPass}}
}

func TestWizardConnectPath(t *testing.T) {
	var w Wizard
	if w.Step() != StepMesh {
		t.Fatalf("zero wizard starts at %s", w.Step())
	}
	if _, err := w.Next(); err == nil || !strings.Contains(err.Error(), "ASM instance") {
		t.Errorf("Next without a mesh: %v", err)
	}
	w.ChooseMesh("m1")
	mustAdvance(t, &w, StepCluster)
	w.ChooseCluster(idA, IntentConnect)
	mustAdvance(t, &w, StepPairing)
	if err := w.Advance(); err == nil {
		t.Error("advanced without a pair")
	}
	w.ChoosePair(Pair{ASM: vsw("vsw-m", "vpc-m", zoneI, "", 1), ACK: vsw("vsw-a", "vpc-a", zoneI, "", 1)})
	mustAdvance(t, &w, StepPreflight)
	if _, err := w.Next(); err == nil || !strings.Contains(err.Error(), "not run yet") {
		t.Errorf("Next before preflight: %v", err)
	}
	c, _ := CheckByCode(CodeClusterInMesh)
	w.SetPreflight([]Result{{Check: &c, Status: StatusFail, Message: "cluster not added"}})
	if _, err := w.Next(); err == nil || !strings.Contains(err.Error(), "PVL103 failed: cluster not added") {
		t.Errorf("Next with a failed check: %v", err)
	}
	w.SetPreflight(passingPreflight())
	mustAdvance(t, &w, StepReview)
	if err := w.Advance(); err == nil {
		t.Error("advanced without consent")
	}
	w.Confirm()
	mustAdvance(t, &w, StepAction)
	if w.CanBack() {
		t.Error("Back is offered once the change is being applied")
	}
	w.StartApply()
	if !w.InFlight() {
		t.Error("an apply is not in flight")
	}
	w.ApplyDone(nil)
	mustAdvance(t, &w, StepDashboard)
	if !w.InFlight() || !w.Applied() {
		t.Error("provisioning is not in flight after a successful apply")
	}
	if err := w.Advance(); err == nil {
		t.Error("left the dashboard before Available")
	}
	w.LinkAvailable(true)
	if w.InFlight() {
		t.Error("still in flight once Available")
	}
	mustAdvance(t, &w, StepSAN)
	w.StartSAN()
	if _, err := w.Next(); err == nil || !w.InFlight() {
		t.Error("left the SAN step while the change is in flight")
	}
	w.SANDone(nil)
	mustAdvance(t, &w, StepSummary)
	if _, err := w.Next(); err == nil {
		t.Error("a step after the summary")
	}
}

func TestWizardRemoveSkipsPairingAndSAN(t *testing.T) {
	var w Wizard
	w.ChooseMesh("m1")
	mustAdvance(t, &w, StepCluster)
	w.ChooseCluster(idB, IntentRemove)
	mustAdvance(t, &w, StepReview)
	w.Confirm()
	mustAdvance(t, &w, StepAction)
	w.StartApply()
	w.ApplyDone(nil)
	mustAdvance(t, &w, StepDashboard)
	w.LinkAvailable(true)
	mustAdvance(t, &w, StepSummary)
}

func TestWizardFailedApply(t *testing.T) {
	var w Wizard
	w.ChooseMesh("m1")
	mustAdvance(t, &w, StepCluster)
	w.ChooseCluster(idB, IntentRemove)
	mustAdvance(t, &w, StepReview)
	w.Confirm()
	mustAdvance(t, &w, StepAction)
	w.StartApply()
	w.ApplyDone(errors.New("conflict"))
	if w.InFlight() || w.Applied() {
		t.Error("a failed apply left a change in flight")
	}
	if err := w.Advance(); err == nil {
		t.Error("advanced after a failed apply")
	}
}

func TestWizardBackKeepsChoices(t *testing.T) {
	var w Wizard
	w.ChooseMesh("m1")
	mustAdvance(t, &w, StepCluster)
	w.ChooseCluster(idA, IntentConnect)
	mustAdvance(t, &w, StepPairing)
	p := Pair{ASM: vsw("vsw-m", "vpc-m", zoneI, "", 1), ACK: vsw("vsw-a", "vpc-a", zoneI, "", 1)}
	w.ChoosePair(p)
	mustAdvance(t, &w, StepPreflight)
	w.SetPreflight(passingPreflight())
	mustAdvance(t, &w, StepReview)
	w.Confirm()

	if !w.Back() || w.Step() != StepPreflight {
		t.Fatalf("Back to %s", w.Step())
	}
	for range 2 {
		if !w.Back() {
			t.Fatalf("Back from %s refused", w.Step())
		}
	}
	if w.Step() != StepCluster {
		t.Fatalf("Back twice more to %s", w.Step())
	}
	if w.MeshID() != "m1" || w.ClusterID() != idA || w.Pair() == nil || *w.Pair() != p || len(w.Preflight()) != 1 {
		t.Error("going back lost a choice")
	}
	// Choosing the same cluster again keeps the pair and the results.
	w.ChooseCluster(idA, IntentConnect)
	if w.Pair() == nil || len(w.Preflight()) != 1 {
		t.Error("re-choosing the same cluster cleared its pair")
	}
	mustAdvance(t, &w, StepPairing)
	mustAdvance(t, &w, StepPreflight)
	mustAdvance(t, &w, StepReview)
	if err := w.Advance(); err == nil {
		t.Error("consent given before going back was reused for a new review")
	}
	// Choosing another cluster clears what depended on the old one.
	w.Back()
	w.Back()
	w.Back()
	w.ChooseCluster(idG, IntentConnect)
	if w.Pair() != nil || w.Preflight() != nil {
		t.Error("a new cluster kept the old cluster's pair or checks")
	}
	w.Back()
	w.ChooseMesh("m2")
	if w.ClusterID() != "" {
		t.Error("a new mesh kept the old mesh's cluster")
	}
	if w.Back() {
		t.Error("Back from the first step")
	}
}

func TestStepAndIntentNames(t *testing.T) {
	names := []string{}
	for s := StepMesh; s <= StepSummary; s++ {
		names = append(names, s.String())
	}
	if strings.Join(names, ",") != "mesh,cluster,pairing,preflight,review,action,dashboard,san,summary" {
		t.Errorf("steps = %v", names)
	}
	if IntentChange.String() != "change" || Step(99).String() != "step(99)" || Intent(9).String() != "intent(9)" {
		t.Error("names")
	}
}

func TestWizardExportEndsAtSummaryWithoutApplying(t *testing.T) {
	var w Wizard
	w.Export()
	if w.Step() != StepMesh {
		t.Fatalf("Export before StepAction moved the wizard to %s", w.Step())
	}
	w.ChooseMesh("m1")
	mustAdvance(t, &w, StepCluster)
	w.ChooseCluster(idA, IntentConnect)
	mustAdvance(t, &w, StepPairing)
	w.ChoosePair(Pair{ASM: vsw("vsw-m", "vpc-m", zoneI, "", 1), ACK: vsw("vsw-a", "vpc-a", zoneI, "", 1)})
	mustAdvance(t, &w, StepPreflight)
	w.SetPreflight(passingPreflight())
	mustAdvance(t, &w, StepReview)
	w.Confirm()
	mustAdvance(t, &w, StepAction)
	w.Export()
	if w.Step() != StepSummary || w.Applied() || w.InFlight() {
		t.Fatalf("after Export: step %s applied %v in flight %v, want summary, false, false", w.Step(), w.Applied(), w.InFlight())
	}
}

func TestWizardReviewAgainOnlyBeforeAnythingIsApplied(t *testing.T) {
	var w Wizard
	if w.ReviewAgain() {
		t.Fatal("ReviewAgain moved a wizard at StepMesh")
	}
	w.ChooseMesh("m1")
	mustAdvance(t, &w, StepCluster)
	w.ChooseCluster(idA, IntentConnect)
	mustAdvance(t, &w, StepPairing)
	w.ChoosePair(Pair{ASM: vsw("vsw-m", "vpc-m", zoneI, "", 1), ACK: vsw("vsw-a", "vpc-a", zoneI, "", 1)})
	mustAdvance(t, &w, StepPreflight)
	w.SetPreflight(passingPreflight())
	mustAdvance(t, &w, StepReview)
	w.Confirm()
	mustAdvance(t, &w, StepAction)
	if !w.ReviewAgain() || w.Step() != StepReview {
		t.Fatalf("ReviewAgain at StepAction: step %s, want review", w.Step())
	}
	if _, err := w.Next(); err == nil {
		t.Error("the review is confirmed again after ReviewAgain: it must be confirmed anew")
	}
	w.Confirm()
	mustAdvance(t, &w, StepAction)
	w.StartApply()
	if w.ReviewAgain() {
		t.Error("ReviewAgain moved a wizard whose apply is in flight")
	}
	w.ApplyDone(nil)
	if w.ReviewAgain() || w.Step() != StepAction {
		t.Errorf("ReviewAgain moved an applied wizard to %s", w.Step())
	}
}
