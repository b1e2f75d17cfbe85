package flow

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/spec"
)

// Pair is one vSwitch in the mesh's VPC and one in the cluster's VPC, the
// places where the PrivateLink endpoints of both links go. Zones always
// come from the cloud's listing of these vSwitches.
type Pair struct {
	// ASM is the vSwitch in the ASM instance's VPC.
	ASM cloud.VSwitch
	// ACK is the vSwitch in the ACK cluster's VPC.
	ACK cloud.VSwitch
}

// SameZone tells whether both vSwitches are in one zone, the pairing every
// edition of the guide accepts.
func (p Pair) SameZone() bool { return p.ASM.ZoneID == p.ACK.ZoneID }

// FreeIPs is the free IP count of the fuller of the two vSwitches.
func (p Pair) FreeIPs() int64 { return min(p.ASM.FreeIPs, p.ACK.FreeIPs) }

// String names the pair, e.g. "vsw-a (cn-hangzhou-j) + vsw-b (cn-hangzhou-j)".
func (p Pair) String() string {
	return fmt.Sprintf("%s (%s) + %s (%s)", p.ASM.ID, p.ASM.ZoneID, p.ACK.ID, p.ACK.ZoneID)
}

// Verdict says whether a pair may be used.
type Verdict string

// The verdicts on a pair.
const (
	// VerdictOK is a same-zone pair in a PrivateLink zone with free IPs.
	VerdictOK Verdict = "ok"
	// VerdictWarn is a pair that may be used only with a visible warning,
	// such as a cross-zone pair.
	VerdictWarn Verdict = "warn"
	// VerdictRefused is a pair that breaks a rule and cannot be used.
	VerdictRefused Verdict = "refused"
)

// PairOption is a pair with its verdict and the findings that explain it.
type PairOption struct {
	Pair
	Verdict Verdict
	// Findings are the warnings and errors about the pair; empty for VerdictOK.
	Findings []spec.Finding
	// Listed tells how many of the pair's vSwitches the current
	// ASMPvlConfig already uses; reusing them changes less.
	Listed int
}

// ZoneView is one zone as both VPCs see it.
type ZoneView struct {
	ZoneID    string
	LocalName string
	// PrivateLink tells whether PrivateLink endpoints can be placed here.
	PrivateLink bool
	// Mesh and Cluster are the vSwitches of each VPC in this zone.
	Mesh    []cloud.VSwitch
	Cluster []cloud.VSwitch
}

// Shared tells whether both VPCs have a vSwitch in the zone.
func (z ZoneView) Shared() bool { return len(z.Mesh) > 0 && len(z.Cluster) > 0 }

// Side names one of the two VPCs.
type Side string

// The two sides of a link.
const (
	SideMesh    Side = "mesh"
	SideCluster Side = "cluster"
)

// VSwitchToCreate says which vSwitch to create so that a same-zone pair
// exists: in which VPC and zone, and which vSwitch of the other VPC it
// would pair with.
type VSwitchToCreate struct {
	Side   Side
	VpcID  string
	ZoneID string
	// PairsWith is the other VPC's vSwitch already in ZoneID.
	PairsWith cloud.VSwitch
	// CIDR is a free block of the VPC for the new vSwitch; "" when the
	// VPC's CIDR is not known or full.
	CIDR string
	// Message says it in one line for a person.
	Message string
	// Command is the copyable aliyun command that creates the vSwitch.
	Command string
}

// Pairing is the zone view of both VPCs and the ranked pairs.
type Pairing struct {
	// Zones lists every zone where either VPC has a vSwitch or PrivateLink
	// is offered, by zone ID.
	Zones []ZoneView
	// Options lists every pair: usable same-zone pairs first, then pairs
	// with warnings, then refused pairs.
	Options []PairOption
	// Create says what to create when no same-zone pair can be used.
	Create []VSwitchToCreate
}

// Recommend returns the pair to preselect: the best same-zone pair with
// no warning, and false when there is none (then Create says what to do).
func (p Pairing) Recommend() (Pair, bool) {
	for _, o := range p.Options {
		if o.Verdict == VerdictOK {
			return o.Pair, true
		}
	}
	return Pair{}, false
}

// Option returns the option for the pair of the two vSwitch IDs, for a
// manual choice such as --asm-vswitch and --ack-vswitch.
func (p Pairing) Option(asmVSwitchID, ackVSwitchID string) (PairOption, bool) {
	i := slices.IndexFunc(p.Options, func(o PairOption) bool { return o.ASM.ID == asmVSwitchID && o.ACK.ID == ackVSwitchID })
	if i < 0 {
		return PairOption{}, false
	}
	return p.Options[i], true
}

// PairInput is what PairVSwitches ranks.
type PairInput struct {
	// MeshVPC and ClusterVPC are the two VPCs; their CIDRs are used to
	// propose a free block when a vSwitch must be created.
	MeshVPC    cloud.VPC
	ClusterVPC cloud.VPC
	// MeshVSwitches and ClusterVSwitches are the vSwitches of each VPC.
	MeshVSwitches    []cloud.VSwitch
	ClusterVSwitches []cloud.VSwitch
	// PrivateLinkZones are the zones where PrivateLink is offered.
	PrivateLinkZones []cloud.Zone
	// Listed holds the IDs of vSwitches the current ASMPvlConfig uses.
	Listed []string
	// Check returns the findings about one pair (see Env.CheckPair); its
	// errors refuse the pair and its warnings warn. Nil applies only the
	// PrivateLink zone and free IP rules.
	Check func(Pair) []spec.Finding
}

// PairVSwitches builds the zone view of both VPCs and ranks every pair of
// one mesh vSwitch and one cluster vSwitch: usable same-zone pairs first
// (those reusing vSwitches the ASMPvlConfig already lists, then most free
// IPs), then pairs allowed with a warning such as cross-zone pairs, then
// refused pairs. When no same-zone pair is usable it says which vSwitch to
// create, where.
func PairVSwitches(in PairInput) Pairing {
	check := in.Check
	if check == nil {
		check = func(p Pair) []spec.Finding { return pairRules(p, in.PrivateLinkZones) }
	}
	var out Pairing
	out.Zones = zoneViews(in)
	for _, a := range in.MeshVSwitches {
		for _, k := range in.ClusterVSwitches {
			p := Pair{ASM: a, ACK: k}
			o := PairOption{Pair: p, Findings: check(p), Verdict: VerdictOK}
			for _, id := range []string{a.ID, k.ID} {
				if slices.Contains(in.Listed, id) {
					o.Listed++
				}
			}
			switch {
			case spec.HasErrors(o.Findings):
				o.Verdict = VerdictRefused
			case !p.SameZone() || hasSeverity(o.Findings, spec.Warning):
				o.Verdict = VerdictWarn
			}
			out.Options = append(out.Options, o)
		}
	}
	rank := map[Verdict]int{VerdictOK: 0, VerdictWarn: 1, VerdictRefused: 2}
	slices.SortStableFunc(out.Options, func(x, y PairOption) int {
		return cmp.Or(
			cmp.Compare(rank[x.Verdict], rank[y.Verdict]),
			boolFirst(x.SameZone(), y.SameZone()),
			cmp.Compare(y.Listed, x.Listed),
			cmp.Compare(y.FreeIPs(), x.FreeIPs()),
			cmp.Compare(x.ACK.ID, y.ACK.ID),
			cmp.Compare(x.ASM.ID, y.ASM.ID),
		)
	})
	if _, ok := out.Recommend(); !ok {
		out.Create = toCreate(in)
	}
	return out
}

func hasSeverity(findings []spec.Finding, s spec.Severity) bool {
	return slices.ContainsFunc(findings, func(f spec.Finding) bool { return f.Severity == s })
}

// boolFirst orders true before false.
func boolFirst(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return -1
	}
	return 1
}

func zoneViews(in PairInput) []ZoneView {
	byZone := map[string]*ZoneView{}
	get := func(id string) *ZoneView {
		z, ok := byZone[id]
		if !ok {
			z = &ZoneView{ZoneID: id}
			byZone[id] = z
		}
		return z
	}
	for _, z := range in.PrivateLinkZones {
		v := get(z.ID)
		v.PrivateLink, v.LocalName = true, z.LocalName
	}
	for _, v := range in.MeshVSwitches {
		z := get(v.ZoneID)
		z.Mesh = append(z.Mesh, v)
	}
	for _, v := range in.ClusterVSwitches {
		z := get(v.ZoneID)
		z.Cluster = append(z.Cluster, v)
	}
	out := make([]ZoneView, 0, len(byZone))
	for _, z := range byZone {
		out = append(out, *z)
	}
	slices.SortFunc(out, func(a, b ZoneView) int { return cmp.Compare(a.ZoneID, b.ZoneID) })
	return out
}

// pairRules are flow's own rules about a pair, beyond the ASMPvlConfig's
// validation: both zones must offer PrivateLink and both vSwitches need
// free IPs for the endpoint's network interface.
func pairRules(p Pair, privateLinkZones []cloud.Zone) []spec.Finding {
	var out []spec.Finding
	for _, v := range []cloud.VSwitch{p.ASM, p.ACK} {
		if !slices.ContainsFunc(privateLinkZones, func(z cloud.Zone) bool { return z.ID == v.ZoneID }) {
			out = append(out, checkFinding(CodePrivateLinkZones, fmt.Sprintf("%s is in zone %s, where PrivateLink is not offered", v.ID, v.ZoneID)))
		}
		if v.FreeIPs <= 0 {
			out = append(out, checkFinding(CodeFreeIPs, fmt.Sprintf("%s has no free IP address for the endpoint", v.ID)))
		}
	}
	return out
}

// usable tells whether a vSwitch can hold an endpoint.
func usable(v cloud.VSwitch, privateLinkZones []cloud.Zone) bool {
	return v.FreeIPs > 0 && slices.ContainsFunc(privateLinkZones, func(z cloud.Zone) bool { return z.ID == v.ZoneID })
}

// toCreate proposes, for every usable vSwitch of one VPC in a zone where
// the other VPC has no usable vSwitch, to create one there; vSwitches
// with the most free IPs first.
func toCreate(in PairInput) []VSwitchToCreate {
	var out []VSwitchToCreate
	propose := func(side Side, vpc cloud.VPC, own, other []cloud.VSwitch, otherVPC cloud.VPC) {
		candidates := slices.Clone(other)
		slices.SortStableFunc(candidates, func(a, b cloud.VSwitch) int {
			return cmp.Or(cmp.Compare(b.FreeIPs, a.FreeIPs), cmp.Compare(a.ID, b.ID))
		})
		seen := map[string]bool{}
		for _, o := range candidates {
			if !usable(o, in.PrivateLinkZones) || seen[o.ZoneID] {
				continue
			}
			if slices.ContainsFunc(own, func(v cloud.VSwitch) bool { return v.ZoneID == o.ZoneID && usable(v, in.PrivateLinkZones) }) {
				continue
			}
			seen[o.ZoneID] = true
			out = append(out, newVSwitchToCreate(side, vpc, own, o, otherVPC))
		}
	}
	propose(SideMesh, in.MeshVPC, in.MeshVSwitches, in.ClusterVSwitches, in.ClusterVPC)
	propose(SideCluster, in.ClusterVPC, in.ClusterVSwitches, in.MeshVSwitches, in.MeshVPC)
	return out
}

func newVSwitchToCreate(side Side, vpc cloud.VPC, own []cloud.VSwitch, pairsWith cloud.VSwitch, otherVPC cloud.VPC) VSwitchToCreate {
	sideName, otherName := "the mesh VPC", "the cluster's VPC"
	if side == SideCluster {
		sideName, otherName = otherName, sideName
	}
	c := VSwitchToCreate{Side: side, VpcID: vpc.ID, ZoneID: pairsWith.ZoneID, PairsWith: pairsWith, CIDR: freeBlock(vpc, own)}
	c.Message = fmt.Sprintf("create a vSwitch in zone %s in VPC %s (%s), a zone where %s (%s) already has %s",
		c.ZoneID, vpc.ID, sideName, otherVPC.ID, otherName, pairsWith.ID)
	region, _ := spec.ZoneRegion(c.ZoneID)
	cidr := c.CIDR
	if cidr == "" {
		cidr = "<free CIDR block of " + vpc.ID + ">"
	}
	c.Command = fmt.Sprintf("aliyun vpc CreateVSwitch --RegionId %s --VpcId %s --ZoneId %s --CidrBlock %s --VSwitchName asmlink-privatelink",
		region, vpc.ID, c.ZoneID, cidr)
	return c
}

// freeBlock proposes a block of the VPC's CIDRs that no vSwitch uses: a
// /24 in VPCs of /22 or larger, otherwise a quarter of the VPC, and ""
// when there is none.
func freeBlock(vpc cloud.VPC, vswitches []cloud.VSwitch) string {
	var used []netip.Prefix
	for _, v := range vswitches {
		if p, err := netip.ParsePrefix(v.CIDR); err == nil {
			used = append(used, p.Masked())
		}
	}
	for _, cidr := range append([]string{vpc.CIDR}, vpc.SecondaryCIDRs...) {
		base, err := netip.ParsePrefix(cidr)
		if err != nil || !base.Addr().Is4() || base.Bits() > 27 {
			continue
		}
		base = base.Masked()
		bits := 24
		if base.Bits() > 22 {
			bits = min(base.Bits()+2, 29)
		}
		step := uint32(1) << (32 - bits)
		start := ipv4ToUint(base.Addr())
		count := uint32(1) << (bits - base.Bits())
		for i := uint32(0); i < count; i++ {
			p := netip.PrefixFrom(uintToIPv4(start+i*step), bits)
			if !slices.ContainsFunc(used, p.Overlaps) {
				return p.String()
			}
		}
	}
	return ""
}

func ipv4ToUint(a netip.Addr) uint32 {
	b := a.As4()
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

func uintToIPv4(n uint32) netip.Addr {
	return netip.AddrFrom4([4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)})
}

// CheckPair returns the findings about using p for the chosen cluster:
// flow's PrivateLink zone and free IP rules, and spec.Validate (with the
// cloud's facts) of the ASMPvlConfig the pair would produce, limited to
// the chosen cluster's entry and the pair's ASM vSwitch. Errors mean the
// pair must be refused; warnings (a cross-zone pair) must be shown.
func (e *Env) CheckPair(p Pair) []spec.Finding {
	return e.checkPair(p, e.Facts())
}

// checkPair is CheckPair with the facts built once by the caller.
func (e *Env) checkPair(p Pair, facts *spec.Facts) []spec.Finding {
	out := pairRules(p, e.PrivateLinkZones)
	desired, err := Desired(e.Config, e.ClusterID, IntentConnect, []Pair{p}, nil)
	if err != nil {
		return append(out, checkFinding(CodeResourceValid, err.Error()))
	}
	return append(out, relevant(spec.Validate(desired, facts), desired, e.ClusterID, []string{p.ASM.ID})...)
}

// relevant keeps the findings about one cluster's entry, the given ASM
// vSwitches, or the whole object, dropping findings about other clusters'
// entries.
func relevant(findings []spec.Finding, cfg *spec.ASMPvlConfig, clusterID string, asmVSwitchIDs []string) []spec.Finding {
	var prefixes []string
	for i, en := range cfg.Spec.AckVpcEndpoint {
		if en.ClusterID == clusterID {
			prefixes = append(prefixes, fmt.Sprintf("spec.ackVpcEndpoint[%d]", i))
		}
	}
	for j, v := range cfg.Spec.AsmVpcEndpoint.VSwitches {
		if slices.Contains(asmVSwitchIDs, v.VSwitchID) {
			prefixes = append(prefixes, fmt.Sprintf("spec.asmVpcEndpoint.vSwitches[%d]", j))
		}
	}
	var out []spec.Finding
	for _, f := range findings {
		if f.Path == "" || f.Path == "metadata.name" || f.Path == "spec.asmVpcEndpoint.vSwitches" ||
			slices.ContainsFunc(prefixes, func(p string) bool { return f.Path == p || strings.HasPrefix(f.Path, p+".") }) {
			out = append(out, f)
		}
	}
	return out
}

// Pairing builds the zone view and ranked pairs for the chosen cluster,
// checking each pair with CheckPair.
func (e *Env) Pairing() (Pairing, error) {
	c, ok := e.Chosen()
	if !ok {
		return Pairing{}, fmt.Errorf("no ACK cluster is chosen: choose one of the clusters listed for mesh %s", e.Mesh.ID)
	}
	meshVPC, _ := e.vpc(e.Mesh.VpcID)
	clusterVPC, _ := e.vpc(c.VpcID)
	meshVPC.ID, clusterVPC.ID = e.Mesh.VpcID, c.VpcID
	facts := e.Facts()
	var listed []string
	if e.Config != nil {
		for _, v := range e.Config.Spec.AsmVpcEndpoint.VSwitches {
			listed = append(listed, v.VSwitchID)
		}
		if en, ok := e.Config.Entry(c.ID); ok {
			for _, v := range en.VSwitches {
				listed = append(listed, v.VSwitchID)
			}
		}
	}
	return PairVSwitches(PairInput{
		MeshVPC: meshVPC, ClusterVPC: clusterVPC,
		MeshVSwitches: e.VSwitches[e.Mesh.VpcID], ClusterVSwitches: e.VSwitches[c.VpcID],
		PrivateLinkZones: e.PrivateLinkZones, Listed: listed,
		Check: func(p Pair) []spec.Finding { return e.checkPair(p, facts) },
	}), nil
}
