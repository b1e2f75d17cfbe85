// Package text is the catalogue of every word the terminal UI shows a
// person. Views take their words from here and never spell them out
// themselves, so a translation is one new Catalog value.
package text

// Catalog holds the UI's words. Fields ending in "f" are format strings.
type Catalog struct {
	KeyBack, KeyHelp, KeyQuit, KeyRetry        string
	KeyMove, KeyChoose, KeyClearFilter, KeyFix string
	KeyRegion, KeyContinue, KeyScroll          string
	AppTitle                                   string
	DemoBanner                                 string
	Identityf                                  string
	IdentityProfilef                           string
	// IdentityEndpointf follows the identity when an endpoint override
	// (--endpoint: the simulator, a private endpoint) is in use.
	IdentityEndpointf string
	Loadingf          string
	ErrorOpf          string
	RetryHint         string
	QuitInFlight      string
	// Yes and No are the buttons of a consent question.
	Yes, No                                   string
	StepTitles                                map[string]string
	StepOfTotalf                              string
	RegionPrompt                              string
	LoadingMeshes, LoadingMesh, LoadingChecks string
	LoadingPlan, Applying, FixRunning         string
	LoadingPairs                              string
	AppendingSAN, Writing                     string
	MeshColumns                               []string
	NoMeshes                                  string
	ClusterColumns                            []string
	NoClusters                                string
	EdgeLabel                                 string
	IntentQuestionf                           string
	IntentConnect, IntentChange, IntentRemove string
	// The pair list's headings, and its cells: a pair's VERDICT is a few
	// words, PairReasons by finding code.
	PairASM, PairACK, PairZone, PairFree, PairVerdict string
	PairReasons                                       map[string]string
	// PairChoicef is both vSwitches of a pair whole, with their zones and
	// free IPs: the selected row's detail line and the accessible choice.
	PairChoicef string
	// PairRefusedf says why the pair enter was pressed on cannot be chosen.
	PairRefusedf string
	// ZoneYes and ZoneNo say whether PrivateLink works in a zone;
	// ZoneVSwitchf is a vSwitch with its free IPs.
	ZoneYes, ZoneNo, ZoneVSwitchf string
	// MeshChoicef and ClusterChoicef are an ASM instance and an ACK
	// cluster as the accessible questions offer them; ClusterChoicef is
	// also the selected cluster whole, under the list.
	MeshChoicef, ClusterChoicef string
	// CannotChoosef says why the cluster enter was pressed on cannot be
	// chosen.
	CannotChoosef string
	// HeaderMeshf and HeaderClusterf follow the step title once chosen.
	HeaderMeshf, HeaderClusterf            string
	ZoneViewTitle                          string
	ZoneColumns                            []string
	NoSharedZone                           string
	Recommended                            string
	VerdictOK, VerdictWarn, VerdictRefused string
	PreflightAllPass                       string
	PreflightWarnings                      string
	PreflightFailures                      string
	FixConfirmf                            string
	ReviewNoChange                         string
	ReviewDiffTitle, ReviewYAMLTitle       string
	ReviewContinue                         string
	ActionTitle                            string
	ActionApply, ActionApplyWrite          string
	ActionWrite, ActionPrint               string
	ApplyConfirmf                          string
	FilePrompt                             string
	// FileRetry follows a failed write, above the file prompt.
	FileRetry string
	// ReplaceFilef asks before a file holding another ASMPvlConfig is
	// replaced, around its name and the diff.
	ReplaceFilef        string
	ConflictForcef      string
	DashboardTitlef     string
	DashElapsedf        string
	DashWaitingf        string
	DashAvailable       string
	DashSettledContinue string
	SANTitle            string
	SANConfirmf         string
	// SANEnterf says what enter does on the SAN step; SANWaiting that
	// the step waits for the cloud.
	SANEnterf, SANWaiting          string
	SummaryTitle                   string
	SummaryWrotef, SummaryAppliedf string
	SummaryRemovedf, SummarySANf   string
	// SummarySidef is one side of the connection: the mesh or the cluster,
	// its VPC, and the vSwitch in its zone, names beside IDs.
	SummarySidef       string
	SummaryPrintOnExit string
	SummaryNextSteps   string
	SummaryNothing     string
	// The comments beside the summary's next commands.
	SummaryKubectlNote, SummaryGatewayNote, SummaryInjectNote string
	Plain                                                     PlainCatalog
	Inject                                                    InjectCatalog
	Report                                                    ReportWords
	NotInteractivef                                           string
}

// InjectCatalog is the words of the wizard's sidecar injection screen.
type InjectCatalog struct {
	Titlef, Loading, Applying, KeyToggle, On, Off string
	// KeyOpen is the summary's key that opens the screen.
	KeyOpen                             string
	PolicyLabelled, PolicyDefault, Hint string
	// Confirmf asks for consent around the changes and the mesh.
	Confirmf string
	// Didf is the summary's line for a change: on/off, namespace, cluster.
	Didf               string
	Restart, NoRestart string
	// Offer is the summary's line that opens the screen.
	Offer string
}

// PlainCatalog is the words of the accessible, line-by-line mode.
type PlainCatalog struct {
	ChooseMesh, ChooseCluster, ChoosePair string
	ChooseAction                          string
	// Forcef asks for the consent the screen's "Press F" gives, around a
	// *kube.ConflictError.
	Forcef string
	// NotEligible says why a cluster cannot be chosen; the choice's own
	// label says the details.
	NotEligible string
	// PreflightFailed asks what to do about failed checks: run a fix
	// (FixChoicef), check again after fixing by hand, or stop.
	PreflightFailed, FixChoicef, CheckAgain, Stop string
	// Retry asks whether to try a failed step again.
	Retry string
}

// English is the catalogue in English.
var English = Catalog{
	KeyBack: "back", KeyHelp: "keys", KeyQuit: "quit", KeyRetry: "retry",
	KeyMove: "move", KeyChoose: "choose", KeyClearFilter: "clear filter", KeyFix: "run fix",
	KeyRegion: "change region", KeyContinue: "continue", KeyScroll: "scroll",

	AppTitle:          "asmlink: connect an ASM instance to an ACK cluster over PrivateLink",
	DemoBanner:        "DEMO: simulated cloud and ASM API server, nothing real is changed",
	Identityf:         "credentials: %s   region: %s",
	IdentityProfilef:  "credentials: %s (profile %s)   region: %s",
	IdentityEndpointf: "   endpoint: %s (override)",
	Loadingf:          "%s…",
	ErrorOpf:          "%s failed: %v",
	RetryHint:         "press r to retry, esc to go back",
	Yes:               "Yes",
	No:                "No",
	QuitInFlight:      "A change is in flight. Quit anyway? The change goes on without asmlink watching it. (y/N)",
	StepTitles: map[string]string{
		"mesh": "ASM instance", "cluster": "ACK cluster", "pairing": "vSwitch pair",
		"preflight": "Preflight checks", "review": "Review", "action": "Action",
		"dashboard": "Links", "san": "API server certificate", "summary": "Summary",
	},
	StepOfTotalf:  "step %d of %d: %s",
	RegionPrompt:  "region ID (for example cn-hangzhou), enter to switch: ",
	LoadingMeshes: "listing ASM instances", LoadingMesh: "listing clusters, VPCs, vSwitches and zones",
	LoadingChecks: "running preflight checks", LoadingPairs: "ranking vSwitch pairs", LoadingPlan: "reading the ASM API server and computing the change",
	Applying: "applying the ASMPvlConfig", FixRunning: "running the fix",
	AppendingSAN:    "appending the domain to the certificate SANs",
	Writing:         "writing the file",
	MeshColumns:     []string{"NAME", "ID", "STATE", "VPC", "VERSION", "CLUSTERS"},
	NoMeshes:        "no ASM instance in this region: press ctrl+g to change region",
	ClusterColumns:  []string{"NAME", "ID", "VPC", "STATE", "WHAT"},
	NoClusters:      "no ACK cluster matches",
	EdgeLabel:       "edge",
	IntentQuestionf: "Cluster %s is already connected. What do you want to do?",
	IntentConnect:   "connect", IntentChange: "change its vSwitches", IntentRemove: "remove it from the ASMPvlConfig",
	PairASM: "ASM VSWITCH", PairACK: "ACK VSWITCH", PairZone: "ZONE", PairFree: "FREE", PairVerdict: "VERDICT",
	PairReasons: map[string]string{
		"cross-zone": "cross-zone", "PVL035": "cross-zone", "PVL105": "no PrivateLink", "PVL106": "no free IP",
		"PVL033": "zone rule", "PVL034": "zone rule", "PVL030": "unknown vSwitch", "PVL031": "wrong VPC", "PVL032": "wrong VPC",
		"PVL037": "same VPC", "PVL017": "vSwitch twice", "PVL018": "used by both sides",
	},
	PairChoicef:    "ASM %s (%s, %d free)  ACK %s (%s, %d free)",
	PairRefusedf:   "This pair cannot be chosen: %s",
	ZoneYes:        "yes",
	ZoneNo:         "no",
	ZoneVSwitchf:   "%s (%d free)",
	MeshChoicef:    "%s (%s) %s, VPC %s, %d clusters",
	ClusterChoicef: "%s (%s), VPC %s: %s",
	CannotChoosef:  "Cluster %s cannot be chosen: %s",
	HeaderMeshf:    "   mesh %s",
	HeaderClusterf: "   cluster %s",
	ZoneViewTitle:  "Zones of both VPCs",
	ZoneColumns:    []string{"ZONE", "PRIVATELINK", "MESH VPC", "CLUSTER VPC"},
	NoSharedZone:   "The two VPCs share no zone where PrivateLink works. Create one of these vSwitches, then press ctrl+r:",
	Recommended:    "recommended",
	VerdictOK:      "same zone", VerdictWarn: "warning", VerdictRefused: "refused",
	PreflightAllPass:    "Every check passed. Press enter to review the change.",
	PreflightWarnings:   "No check failed, but some warn: read them above. Press enter to review the change anyway.",
	PreflightFailures:   "Some checks failed. Select one with a fix and press f, or fix it by hand and press r.",
	FixConfirmf:         "%s\nThis changes your cloud account. Run it now? (y/N)",
	ReviewNoChange:      "The ASM API server already has exactly this. Nothing to apply.",
	ReviewDiffTitle:     "Change to the ASMPvlConfig in the ASM API server",
	ReviewYAMLTitle:     "The resulting ASMPvlConfig",
	ReviewContinue:      "enter: choose what to do with it",
	ActionTitle:         "What do you want to do with this ASMPvlConfig?",
	ActionApply:         "apply it to the ASM instance",
	ActionApplyWrite:    "apply it and write it to a file",
	ActionWrite:         "write it to a file only (for GitOps review)",
	ActionPrint:         "print it on stdout when asmlink exits",
	ApplyConfirmf:       "Apply the ASMPvlConfig to ASM instance %s with server-side apply? (y/N)",
	FilePrompt:          "file: ",
	FileRetry:           "enter writes again, or change the name first; esc goes back",
	ReplaceFilef:        "%s already holds another ASMPvlConfig; replacing it changes:\n%s\nReplace it? (y/N)",
	ConflictForcef:      "%v\nPress F to take these fields over (force), or esc to go back.",
	DashboardTitlef:     "ASMPvlConfig default of %s: status %s",
	DashElapsedf:        "elapsed %s",
	DashWaitingf:        "waiting for: %s",
	DashAvailable:       "Both links are up.",
	DashSettledContinue: "press enter to continue",
	SANTitle:            "The API server certificate must name the link A endpoint domain",
	SANConfirmf:         "Append %s to the API server certificate SANs of cluster %s? (y/N)",
	SANEnterf:           "enter: %s",
	SANWaiting:          "waiting for the cloud…",
	SummaryTitle:        "Done",
	SummaryWrotef:       "wrote %s",
	SummaryAppliedf:     "applied the ASMPvlConfig to ASM instance %s; status %s",
	SummaryRemovedf:     "removed cluster %s from the ASMPvlConfig",
	SummarySidef:        "%s: VPC %s, vSwitch %s in %s",
	SummarySANf:         "appended %s to the certificate SANs of cluster %s",
	SummaryPrintOnExit:  "the ASMPvlConfig is printed on stdout when you quit",
	SummaryNextSteps:    "Next steps:",
	SummaryNothing:      "nothing was changed",
	SummaryKubectlNote:  "with the ASM instance's kubeconfig",
	SummaryGatewayNote:  "an ingress gateway",
	SummaryInjectNote:   "automatic sidecar injection",
	Report:              englishReport,
	Inject: InjectCatalog{
		Titlef: "Automatic sidecar injection in cluster %s", Loading: "reading the cluster's namespaces",
		Applying: "changing sidecar injection", KeyToggle: "on/off", On: "on", Off: "off", KeyOpen: "sidecar injection",
		PolicyLabelled: "The mesh injects only namespaces labelled istio-injection=enabled.",
		PolicyDefault:  "The mesh injects every namespace not labelled istio-injection=disabled.",
		Hint:           "space turns a namespace on or off, enter reviews the change, esc goes back to the summary",
		Confirmf:       "Turn sidecar injection %s in ASM instance %s? (a global namespace: every cluster of the mesh with it follows) (y/N)",
		Didf:           "turned sidecar injection %s for namespace %s of cluster %s",
		Restart:        "A sidecar is added or removed when a pod is created: restart these workloads for the change to reach them:",
		NoRestart:      "No workload runs in the changed namespaces: new pods get the change.",
		Offer:          "press i to set up automatic sidecar injection here",
	},
	Plain: PlainCatalog{
		ChooseMesh: "ASM instance", ChooseCluster: "ACK cluster",
		ChoosePair: "vSwitch pair (ASM + ACK)", ChooseAction: "Action",
		Forcef:          "%v\nTake these fields over (force)?",
		NotEligible:     "see the reason above",
		PreflightFailed: "Some checks failed. What now?",
		FixChoicef:      "run the fix: %s",
		CheckAgain:      "check again (after fixing it by hand)",
		Stop:            "stop here",
		Retry:           "Try again?",
	},
	NotInteractivef: "%s needs a terminal, and none is reachable (stdin and stdout are not terminals, and /dev/tty cannot be opened). Run it non-interactively: asmlink plan --mesh <mesh> --cluster <cluster> > asmpvlconfig.yaml, then asmlink apply -f asmpvlconfig.yaml --mesh <mesh>; watch it with asmlink status and asmlink doctor (see asmlink --help)",
}
