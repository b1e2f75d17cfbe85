package spec

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/util/validation"
)

// Facts are what the cloud says about the vSwitches and clusters a
// configuration names. With them Validate also checks the zone rule and that
// every vSwitch is in the right VPC.
type Facts struct {
	// Region is the region of the ASM instance; every zone must be in it.
	Region string
	// AsmVpcID is the ASM instance's VPC.
	AsmVpcID string
	// ClusterVpcIDs maps an ACK cluster ID to its VPC ID.
	ClusterVpcIDs map[string]string
	// VSwitches maps a vSwitch ID to where it is. A vSwitch missing from the
	// map does not exist in the region.
	VSwitches map[string]VSwitchFact
	// ListedAt is when the vSwitches were listed, for the review header.
	ListedAt time.Time
}

// VSwitchFact is where the cloud says a vSwitch is.
type VSwitchFact struct {
	ZoneID string
	VpcID  string
}

var (
	clusterIDShape = regexp.MustCompile(`^c[0-9a-f]{32}$`)
	vSwitchIDShape = regexp.MustCompile(`^vsw-[0-9a-z]+$`)
	// A zone is its region and a letter: cn-hangzhou-j, ap-southeast-1a.
	zoneDashLetter  = regexp.MustCompile(`^([a-z]{2}(?:-[a-z]+)+)-[a-z]$`)
	zoneDigitLetter = regexp.MustCompile(`^([a-z]{2}(?:-[a-z]+)*-[0-9]+)[a-z]$`)
)

// ZoneRegion returns the region a zone ID belongs to (cn-hangzhou for
// cn-hangzhou-j, ap-southeast-1 for ap-southeast-1a), and false when zone
// is not shaped like a zone ID.
func ZoneRegion(zone string) (string, bool) {
	if m := zoneDashLetter.FindStringSubmatch(zone); m != nil {
		return m[1], true
	}
	if m := zoneDigitLetter.FindStringSubmatch(zone); m != nil {
		return m[1], true
	}
	return "", false
}

// IsClusterID tells whether id is shaped like an ACK cluster ID.
func IsClusterID(id string) bool { return clusterIDShape.MatchString(id) }

// IsVSwitchID tells whether id is shaped like a vSwitch ID.
func IsVSwitchID(id string) bool { return vSwitchIDShape.MatchString(id) }

// Validate checks cfg and returns every finding at once, sorted in document
// order. Without facts (nil) it runs the offline rules: the name, ID and
// zone shapes, one region, nothing listed twice, no empty lists. With facts
// it also checks that every vSwitch exists and is in the right VPC, and the
// zone rule: under ackVpcEndpoint each zoneId must be a zone where an ASM
// vSwitch resides, and under asmVpcEndpoint each zoneId must be a zone where
// an ACK vSwitch of a listed cluster resides. A zoneId that differs from its
// own vSwitch's zone is a warning (a cross-zone pair, which the 2024 guide no
// longer describes). The configuration is valid when HasErrors is false.
func Validate(cfg *ASMPvlConfig, facts *Facts) []Finding {
	if cfg == nil {
		return []Finding{newFinding(CodeEmpty, "", "there is no ASMPvlConfig", "")}
	}
	v := &validator{cfg: cfg, facts: facts}
	v.name()
	v.metadata()
	v.clusters()
	v.asmVSwitches()
	v.regions()
	if facts != nil {
		v.cloudFacts()
	}
	SortFindings(v.out)
	return v.out
}

type validator struct {
	cfg   *ASMPvlConfig
	facts *Facts
	out   []Finding
}

func (v *validator) add(code Code, path, message, hint string) {
	v.out = append(v.out, newFinding(code, path, message, hint))
}

// vSwitchRef is a vSwitch entry with its path.
type vSwitchRef struct {
	VSwitch
	path    string
	cluster string // the ACK cluster it belongs to; empty for ASM vSwitches
}

func (v *validator) ackRefs() []vSwitchRef {
	var refs []vSwitchRef
	for i, e := range v.cfg.Spec.AckVpcEndpoint {
		for j, s := range e.VSwitches {
			refs = append(refs, vSwitchRef{s, fmt.Sprintf("spec.ackVpcEndpoint[%d].vSwitches[%d]", i, j), e.ClusterID})
		}
	}
	return refs
}

func (v *validator) asmRefs() []vSwitchRef {
	var refs []vSwitchRef
	for j, s := range v.cfg.Spec.AsmVpcEndpoint.VSwitches {
		refs = append(refs, vSwitchRef{s, fmt.Sprintf("spec.asmVpcEndpoint.vSwitches[%d]", j), ""})
	}
	return refs
}

func (v *validator) name() {
	switch v.cfg.Metadata.Name {
	case Name:
	case "":
		v.add(CodeName, "metadata.name", "metadata.name is missing", "set metadata.name: "+Name+" (ASM reads only the ASMPvlConfig named "+Name+")")
	default:
		v.add(CodeName, "metadata.name", fmt.Sprintf("metadata.name is %s; ASM reads only the ASMPvlConfig named %s", Quote(v.cfg.Metadata.Name), Name),
			"set metadata.name: "+Name+", and keep every cluster in that one object")
	}
}

// metadata checks labels and annotations as the API server does
// (apimachinery's ValidateLabels and ValidateAnnotations, which
// kube-apiserver runs on every object's metadata): keys are qualified
// names (an optional DNS subdomain prefix and "/", then up to 63
// letters, digits, "-", "_", "."), label values are empty or such a name
// part, and annotations total at most 256 KiB.
func (v *validator) metadata() {
	m := v.cfg.Metadata
	for _, k := range slices.Sorted(maps.Keys(m.Labels)) {
		p := "metadata.labels[" + Quote(k) + "]"
		for _, msg := range validation.IsQualifiedName(k) {
			v.add(CodeMetadata, p, fmt.Sprintf("label key %s is refused by the API server: %s", Quote(k), msg), "use a key such as app.example.com/team")
		}
		for _, msg := range validation.IsValidLabelValue(m.Labels[k]) {
			v.add(CodeMetadata, p, fmt.Sprintf("label value %s is refused by the API server: %s", Quote(m.Labels[k]), msg), "use at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit; put longer text in an annotation")
		}
	}
	total := 0
	for _, k := range slices.Sorted(maps.Keys(m.Annotations)) {
		total += len(k) + len(m.Annotations[k])
		for _, msg := range validation.IsQualifiedName(strings.ToLower(k)) {
			v.add(CodeMetadata, "metadata.annotations["+Quote(k)+"]", fmt.Sprintf("annotation key %s is refused by the API server: %s", Quote(k), msg), "use a key such as example.com/note")
		}
	}
	if total > totalAnnotationSize {
		v.add(CodeMetadata, "metadata.annotations", fmt.Sprintf("the annotations take %d bytes, more than the %d the API server accepts", total, totalAnnotationSize), "move large values out of the annotations")
	}
}

// totalAnnotationSize is apimachinery's TotalAnnotationSizeLimitB.
const totalAnnotationSize = 256 * 1024

func (v *validator) clusters() {
	firstAt := map[string]string{}
	for i, e := range v.cfg.Spec.AckVpcEndpoint {
		p := fmt.Sprintf("spec.ackVpcEndpoint[%d]", i)
		switch {
		case e.ClusterID == "":
			v.add(CodeRequired, p+".clusterId", "clusterId is missing", "set clusterId to the ID of an ACK cluster added to the ASM instance")
		case !IsClusterID(e.ClusterID):
			v.add(CodeClusterID, p+".clusterId", fmt.Sprintf("%s is not an ACK cluster ID", Quote(e.ClusterID)),
				"an ACK cluster ID is c followed by 32 lower-case hex digits; copy it from the ACK console or `aliyun cs DescribeClustersV1`")
		}
		if e.ClusterID != "" {
			if first, dup := firstAt[e.ClusterID]; dup {
				v.add(CodeClusterTwice, p+".clusterId", fmt.Sprintf("cluster %s is listed again (first at %s)", Quote(e.ClusterID), first),
					"merge the two entries into one: each cluster has exactly one ackVpcEndpoint entry")
			} else {
				firstAt[e.ClusterID] = p
			}
		}
		if len(e.VSwitches) == 0 {
			v.add(CodeNoACKVSwitches, p+".vSwitches", "the cluster has no vSwitches",
				"add at least one vSwitch of the cluster's VPC, in a zone where an ASM vSwitch resides")
		}
		v.vSwitchList(e.VSwitches, p+".vSwitches")
	}
}

func (v *validator) asmVSwitches() {
	list := v.cfg.Spec.AsmVpcEndpoint.VSwitches
	p := "spec.asmVpcEndpoint.vSwitches"
	if len(list) == 0 && len(v.cfg.Spec.AckVpcEndpoint) > 0 {
		v.add(CodeNoASMVSwitches, p, "clusters are listed but the ASM instance has no vSwitches",
			"add at least one vSwitch of the ASM instance's VPC, in a zone where a cluster's vSwitch resides")
	}
	v.vSwitchList(list, p)
	ackAt := map[string]string{}
	for _, r := range v.ackRefs() {
		if _, ok := ackAt[r.VSwitchID]; !ok && r.VSwitchID != "" {
			ackAt[r.VSwitchID] = r.path
		}
	}
	for _, r := range v.asmRefs() {
		if at, ok := ackAt[r.VSwitchID]; ok {
			v.add(CodeVSwitchBothSides, r.path+".vSwitchId", fmt.Sprintf("%s is listed as an ASM vSwitch and as a cluster's vSwitch (%s)", Quote(r.VSwitchID), at),
				"the ASM instance and the ACK cluster are in different VPCs, so a vSwitch belongs to one side only: remove it from the wrong list")
		}
	}
}

// vSwitchList checks the shapes in one list of vSwitches and that none is
// listed twice in it.
func (v *validator) vSwitchList(list []VSwitch, p string) {
	firstAt := map[string]string{}
	for j, s := range list {
		sp := fmt.Sprintf("%s[%d]", p, j)
		switch {
		case s.VSwitchID == "":
			v.add(CodeRequired, sp+".vSwitchId", "vSwitchId is missing", "set vSwitchId to a vSwitch ID such as vsw-bp1jsgsanpvxpj32yai50")
		case !IsVSwitchID(s.VSwitchID):
			v.add(CodeVSwitchID, sp+".vSwitchId", fmt.Sprintf("%s is not a vSwitch ID", Quote(s.VSwitchID)),
				"a vSwitch ID is vsw- followed by lower-case letters and digits; copy it from the VPC console or `aliyun vpc DescribeVSwitches`")
		}
		if s.VSwitchID != "" {
			if first, dup := firstAt[s.VSwitchID]; dup {
				v.add(CodeVSwitchTwice, sp+".vSwitchId", fmt.Sprintf("%s is listed again (first at %s)", Quote(s.VSwitchID), first), "remove the repeated entry")
			} else {
				firstAt[s.VSwitchID] = sp
			}
		}
		switch {
		case s.ZoneID == "":
			v.add(CodeRequired, sp+".zoneId", "zoneId is missing", "set zoneId from the cloud's vSwitch listing; `asmlink connect` fills it for you")
		default:
			if _, ok := ZoneRegion(s.ZoneID); !ok {
				v.add(CodeZoneID, sp+".zoneId", fmt.Sprintf("%s is not a zone ID", Quote(s.ZoneID)), "a zone ID is a region and a letter, such as cn-hangzhou-j or ap-southeast-1a")
			}
		}
	}
}

// regions checks that every zone is in one region: the ASM instance's when
// the facts name it, otherwise the region most zones are in.
func (v *validator) regions() {
	refs := append(v.ackRefs(), v.asmRefs()...)
	want := ""
	if v.facts != nil {
		want = v.facts.Region
	}
	if want == "" {
		count := map[string]int{}
		for _, r := range refs {
			if region, ok := ZoneRegion(r.ZoneID); ok {
				count[region]++
				if want == "" || count[region] > count[want] {
					want = region
				}
			}
		}
	}
	for _, r := range refs {
		region, ok := ZoneRegion(r.ZoneID)
		if !ok || region == want {
			continue
		}
		msg := fmt.Sprintf("zone %s is in region %s, but the other zones are in %s", r.ZoneID, region, want)
		if v.facts != nil && v.facts.Region != "" {
			msg = fmt.Sprintf("zone %s is in region %s, but the ASM instance is in %s", r.ZoneID, region, want)
		}
		v.add(CodeRegion, r.path+".zoneId", msg,
			"PrivateLink connects VPCs of one region: use vSwitches and zones of "+want)
	}
}

// cloudFacts runs the rules that need the cloud's listings.
func (v *validator) cloudFacts() {
	f := v.facts
	ack, asm := v.ackRefs(), v.asmRefs()

	for i, e := range v.cfg.Spec.AckVpcEndpoint {
		vpc, known := f.ClusterVpcIDs[e.ClusterID]
		p := fmt.Sprintf("spec.ackVpcEndpoint[%d].clusterId", i)
		switch {
		case !known && e.ClusterID != "":
			v.add(CodeClusterVPCUnknown, p, fmt.Sprintf("the VPC of cluster %s is not known, so its vSwitches' VPC was not checked", Quote(e.ClusterID)),
				"check that the cluster is added to the ASM instance")
		case known && f.AsmVpcID != "" && vpc == f.AsmVpcID:
			v.add(CodeSameVPC, p, fmt.Sprintf("cluster %s is in the ASM instance's own VPC %s, which needs no PrivateLink", Quote(e.ClusterID), Quote(vpc)),
				"remove this entry: clusters in the ASM instance's VPC reach it directly")
		}
	}

	// Zones where each side's vSwitches really are, by the cloud's listing.
	// When a side has a vSwitch the cloud does not know, its zones are not
	// all known and the other side's zone rule is not checked: the unknown
	// vSwitch is already an error.
	asmZones, ackZones := map[string][]string{}, map[string][]string{}
	ackKnown, asmKnown := true, true
	for _, r := range ack {
		fact, ok := f.VSwitches[r.VSwitchID]
		if !ok {
			ackKnown = false
			v.unknownVSwitch(r)
			continue
		}
		if vpc, known := f.ClusterVpcIDs[r.cluster]; known && fact.VpcID != vpc {
			v.add(CodeACKVSwitchVPC, r.path+".vSwitchId", fmt.Sprintf("%s is in VPC %s, not in VPC %s of cluster %s", Quote(r.VSwitchID), Quote(fact.VpcID), Quote(vpc), Quote(r.cluster)),
				"use a vSwitch of the cluster's own VPC")
		}
		ackZones[fact.ZoneID] = appendUnique(ackZones[fact.ZoneID], r.VSwitchID)
		v.crossZone(r, fact)
	}
	for _, r := range asm {
		fact, ok := f.VSwitches[r.VSwitchID]
		if !ok {
			asmKnown = false
			v.unknownVSwitch(r)
			continue
		}
		if f.AsmVpcID != "" && fact.VpcID != f.AsmVpcID {
			v.add(CodeASMVSwitchVPC, r.path+".vSwitchId", fmt.Sprintf("%s is in VPC %s, not in the ASM instance's VPC %s", Quote(r.VSwitchID), Quote(fact.VpcID), Quote(f.AsmVpcID)),
				"use a vSwitch of the ASM instance's VPC")
		}
		asmZones[fact.ZoneID] = appendUnique(asmZones[fact.ZoneID], r.VSwitchID)
		v.crossZone(r, fact)
	}

	if asmKnown && len(asmZones) > 0 {
		for _, r := range ack {
			if _, ok := asmZones[r.ZoneID]; !ok && r.ZoneID != "" {
				v.add(CodeACKZoneRule, r.path+".zoneId",
					fmt.Sprintf("zoneId %s is not a zone where an ASM vSwitch resides", Quote(r.ZoneID)),
					"under ackVpcEndpoint, zoneId must be a zone of the ASM instance's vSwitches: "+zoneChoices(asmZones)+"; best, pick a cluster vSwitch in that same zone")
			}
		}
	}
	if ackKnown && len(ackZones) > 0 {
		for _, r := range asm {
			if _, ok := ackZones[r.ZoneID]; !ok && r.ZoneID != "" {
				v.add(CodeASMZoneRule, r.path+".zoneId",
					fmt.Sprintf("zoneId %s is not a zone where an ACK vSwitch of a listed cluster resides", Quote(r.ZoneID)),
					"under asmVpcEndpoint, zoneId must be a zone of the clusters' vSwitches: "+zoneChoices(ackZones)+"; best, pick an ASM vSwitch in that same zone")
			}
		}
	}
}

func (v *validator) unknownVSwitch(r vSwitchRef) {
	if r.VSwitchID == "" || !IsVSwitchID(r.VSwitchID) {
		return // already reported as missing or misshapen
	}
	where := "the region"
	if v.facts.Region != "" {
		where = "region " + v.facts.Region
	}
	v.add(CodeUnknownVSwitch, r.path+".vSwitchId", fmt.Sprintf("vSwitch %s does not exist in %s", Quote(r.VSwitchID), where),
		"check the ID against `aliyun vpc DescribeVSwitches`, or let `asmlink connect` pick from the listing")
}

// crossZone warns when a zoneId is not the zone of its own vSwitch.
func (v *validator) crossZone(r vSwitchRef, fact VSwitchFact) {
	if r.ZoneID == "" || r.ZoneID == fact.ZoneID {
		return
	}
	v.add(CodeCrossZone, r.path+".zoneId",
		fmt.Sprintf("%s is in zone %s, but its zoneId is %s: a cross-zone pair", Quote(r.VSwitchID), Quote(fact.ZoneID), Quote(r.ZoneID)),
		"the 2024 guide asks for vSwitches in the same zone on both sides; prefer a pair in one shared zone")
}

// zoneChoices lists zones and the vSwitches in them: "cn-hangzhou-i (vsw-a), cn-hangzhou-j (vsw-b)".
func zoneChoices(zones map[string][]string) string {
	names := make([]string, 0, len(zones))
	for z := range zones {
		names = append(names, z)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, z := range names {
		parts[i] = fmt.Sprintf("%s (%s)", z, strings.Join(zones[z], ", "))
	}
	return strings.Join(parts, ", ")
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}
