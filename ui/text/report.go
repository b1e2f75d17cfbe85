package text

// ReportWords are the words of the reports the wizard and the commands share
// (ui/render): check results, diagnoses and the links. They are part of the
// catalogue so that a translation covers every screen.
type ReportWords struct {
	// Categories are the headings of check categories, by category name.
	Categories map[string]string

	// Kinds names the kinds of finding codes (flow.CodeDoc.Kind and
	// "file" for spec's), as the code tables of the READMEs head them.
	Kinds map[string]string

	// RefKinds are the words of the kinds of resource a message names
	// (flow.Ref), RefNamedf and Reff such a reference with and without a
	// name: the kind, the ID and the name; RefLinkf one of a cluster's
	// links: the cluster, then A or B.
	RefKinds                  map[string]string
	RefNamedf, Reff, RefLinkf string

	// Status words of a check and severity words of a finding.
	Pass, Warn, Fail, Skip string
	Error, Warning, Info   string

	// Labels under a check or diagnosis.
	Hint, Fix, Run, Docs, WaitingFor string
	// ChangesCloud follows a fix that changes the account.
	ChangesCloud string

	// Counts of a check run, each around its number (Sprintf picks the
	// plural form).
	// CountSep joins them.
	CountPassedf, CountWarningsf, CountFailedf, CountSkippedf string
	CountSep, NoChecks                                        string
	ChecksFailed, ChecksWarned, ChecksPassed                  string

	NoProblem string

	// The links.
	StatusHeader, NotReportedYet, NotEveryLinkHealthy, NoClusterConnected string
	Clusterf, BeingRemoved, LinksHealthy, LinksNotHealthy                 string
	MeshState, MeshError, MeshNotHolding                                  string
	LinkA, LinkAWhat, LinkB, LinkBWhat, NotReportedByASM                  string
	Endpoint, EndpointService, ServiceName, Domain, NotReported           string
	PrivateLinkSaysf                                                      string
	// LinksSettling and LinksFailed are a cluster's verdict while
	// PrivateLink disagrees with a healthy status, and on a failed state;
	// FailedLabel heads each failed state; NotEveryLinkAgrees follows an
	// Available status that PrivateLink does not confirm.
	LinksSettling, LinksFailed, FailedLabel, NotEveryLinkAgrees string

	// A wait's progress lines: time spent, then what for or the cause that
	// will end it.
	WaitWaitingf, WaitRetryingf, WaitTerminalf, WaitDonef string
	// The closing verdict of status and doctor: Next heads the command to
	// run next.
	Next                                                   string
	VerdictRunningf, VerdictAvailablef, VerdictNotRunningf string
	VerdictNoCluster, VerdictChecksf, VerdictChecksFailedf string

	// The one-line form of the links (status --watch, logs).
	// LineHealthyf is around a number of clusters (Sprintf picks the
	// plural form).
	LineStatusf, LineWaitingForf, LineHealthyf string
	LineClusterInMeshf, LineNotInMesh          string
}

var englishReport = ReportWords{
	Categories: map[string]string{
		"credentials": "Credentials and region",
		"mesh":        "Mesh state",
		"cluster":     "Cluster membership, region and VPC",
		"privatelink": "PrivateLink activation and quota",
		"vswitches":   "Zones, free IPs and the zone rule",
		"apiserver":   "ASM API server",
		"links":       "Links, SAN and the cluster in the mesh",
		"network":     "CIDR overlaps and CEN",
		"edge":        "Edge endpoint services and zones",
		"onprem":      "On-premises CIDR blocks",
	},
	Kinds:    map[string]string{"file": "file", "check": "check", "diagnosis": "diagnosis"},
	RefKinds: map[string]string{"cluster": "cluster"}, RefNamedf: "%s %s (%s)", Reff: "%s %s", RefLinkf: "%s link %s",
	Pass: "pass", Warn: "warn", Fail: "fail", Skip: "skip",
	Error: "error", Warning: "warning", Info: "info",
	Hint: "hint", Fix: "fix", Run: "run", Docs: "docs", WaitingFor: "waiting for",
	ChangesCloud: " (changes the cloud)",
	CountPassedf: "%d passed", CountWarningsf: "%d warnings", CountFailedf: "%d failed", CountSkippedf: "%d skipped", CountSep: ", ",
	NoChecks:     "no checks ran",
	ChecksFailed: "Checks failed:", ChecksWarned: "Checks passed with warnings:", ChecksPassed: "All checks passed:",
	NoProblem: "No problem found in the status.",

	StatusHeader: "ASMPvlConfig status:", NotReportedYet: "(not reported yet)",
	NotEveryLinkHealthy: " (not every link is healthy)", NoClusterConnected: "No cluster is connected over PrivateLink.",
	Clusterf: "cluster %s", BeingRemoved: "being removed", LinksHealthy: "links healthy", LinksNotHealthy: "links not healthy yet",
	MeshState: "mesh state", MeshError: "mesh error", MeshNotHolding: "(the mesh does not hold the cluster)",
	LinkA: "link A", LinkAWhat: "ASM control plane → ACK API server",
	LinkB: "link B", LinkBWhat: "ACK data plane → ASM Pilot", NotReportedByASM: "not reported by ASM yet",
	Endpoint: "endpoint", EndpointService: "endpoint service", ServiceName: "service name", Domain: "domain",
	NotReported:      "(not reported)",
	PrivateLinkSaysf: "(PrivateLink: %s)",
	LinksSettling:    "links settling", LinksFailed: "link failed",
	FailedLabel: "failed", NotEveryLinkAgrees: " (PrivateLink does not agree yet)",

	WaitWaitingf:  "[%s] waiting for %s",
	WaitRetryingf: "[%s] retrying after an error: %s",
	WaitTerminalf: "[%s] %s; only a person can fix this: giving up in %s unless it changes",
	WaitDonef:     "[%s] done: %s",

	Next:            "next:",
	VerdictRunningf: "%d of %d cluster(s) have both links up and are running in the mesh", VerdictAvailablef: "%d of %d cluster(s) have both links up",
	VerdictNotRunningf: "%d of %d cluster(s) are not up and running", VerdictNoCluster: "no cluster is connected over PrivateLink",
	VerdictChecksf: "%d check(s) passed, none failed", VerdictChecksFailedf: "%d of %d check(s) failed",

	LineStatusf: "status %s", LineWaitingForf: "waiting for %s",
	LineHealthyf:       "both links healthy for %d clusters",
	LineClusterInMeshf: "cluster %s %s in the mesh", LineNotInMesh: "not in the mesh",
}

// active is the catalogue of this run; English unless Use chose another.
var active = &English

// Active returns the catalogue of this run.
func Active() *Catalog { return active }

// Use makes c the catalogue of this run, for a translation chosen at start.
func Use(c *Catalog) { active = c }
