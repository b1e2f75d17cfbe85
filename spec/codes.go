package spec

// The codes of spec decoding and validation, PVL001 to PVL049. Other
// packages number their checks from PVL100 upward. A code never changes
// meaning; retired codes are not reused.
const (
	// Decoding: the file is not an ASMPvlConfig that kubectl would accept.
	CodeSyntax       Code = "PVL001"
	CodeMultiDoc     Code = "PVL002"
	CodeUnknownField Code = "PVL003"
	CodeWrongType    Code = "PVL004"
	CodeDuplicateKey Code = "PVL005"
	CodeAPIVersion   Code = "PVL006"
	CodeKind         Code = "PVL007"
	CodeEmpty        Code = "PVL008"
	CodeIgnored      Code = "PVL009"

	// Offline rules: what can be checked from the file alone.
	CodeName             Code = "PVL010"
	CodeRequired         Code = "PVL011"
	CodeClusterID        Code = "PVL012"
	CodeVSwitchID        Code = "PVL013"
	CodeZoneID           Code = "PVL014"
	CodeRegion           Code = "PVL015"
	CodeClusterTwice     Code = "PVL016"
	CodeVSwitchTwice     Code = "PVL017"
	CodeVSwitchBothSides Code = "PVL018"
	CodeNoACKVSwitches   Code = "PVL019"
	CodeNoASMVSwitches   Code = "PVL020"
	CodeMetadata         Code = "PVL021"
	CodeLarge            Code = "PVL022"
	CodeTooLarge         Code = "PVL023"

	// Rules that need the cloud's facts (vSwitch zones and VPCs).
	CodeUnknownVSwitch    Code = "PVL030"
	CodeACKVSwitchVPC     Code = "PVL031"
	CodeASMVSwitchVPC     Code = "PVL032"
	CodeACKZoneRule       Code = "PVL033"
	CodeASMZoneRule       Code = "PVL034"
	CodeCrossZone         Code = "PVL035"
	CodeClusterVPCUnknown Code = "PVL036"
	CodeSameVPC           Code = "PVL037"
)

// CodeInfo describes a finding code: its fixed severity and what it means.
type CodeInfo struct {
	Code     Code     `json:"code"`
	Severity Severity `json:"severity"`
	Summary  string   `json:"summary"`
}

// Codes is the one table of spec finding codes, in code order. Findings take
// their severity from it, and documentation is generated from it.
var Codes = []CodeInfo{
	{CodeSyntax, Error, "the input is not YAML or JSON"},
	{CodeMultiDoc, Error, "the file holds more than one YAML document"},
	{CodeUnknownField, Error, "a field that ASMPvlConfig does not have"},
	{CodeWrongType, Error, "a field has the wrong type (for example a number or a list where text is expected)"},
	{CodeDuplicateKey, Error, "a field is given twice in the same object"},
	{CodeAPIVersion, Error, "apiVersion is not istio.alibabacloud.com/v1beta1"},
	{CodeKind, Error, "kind is not ASMPvlConfig"},
	{CodeEmpty, Error, "the file holds no object"},
	{CodeIgnored, Info, "a field that asmlink does not know under status, ignored"},
	{CodeName, Error, "metadata.name is not default, the only name ASM reads"},
	{CodeRequired, Error, "a clusterId, vSwitchId or zoneId is empty"},
	{CodeClusterID, Error, "a clusterId is not shaped like an ACK cluster ID (c and 32 lower-case hex digits)"},
	{CodeVSwitchID, Error, "a vSwitchId is not shaped like a vSwitch ID (vsw- and lower-case letters and digits)"},
	{CodeZoneID, Error, "a zoneId is not shaped like a zone ID (for example cn-hangzhou-j)"},
	{CodeRegion, Error, "zones of more than one region, or of a region other than the ASM instance's"},
	{CodeClusterTwice, Error, "a cluster has more than one ackVpcEndpoint entry"},
	{CodeVSwitchTwice, Error, "a vSwitch is listed twice in the same list"},
	{CodeVSwitchBothSides, Error, "an ASM vSwitch is also listed as an ACK cluster's vSwitch"},
	{CodeNoACKVSwitches, Error, "an ackVpcEndpoint entry has no vSwitches"},
	{CodeNoASMVSwitches, Error, "clusters are listed but asmVpcEndpoint.vSwitches is empty"},
	{CodeMetadata, Error, "a label or annotation the API server refuses: a key that is not a qualified name, a label value that is not valid"},
	{CodeLarge, Warning, "the object is 1 MiB or more encoded, near the size etcd stores (1.5 MiB by default)"},
	{CodeTooLarge, Error, "the object is larger than the API server's etcd stores (--max-request-bytes, 1.5 MiB by default; --max-object-size)"},
	{CodeUnknownVSwitch, Error, "a vSwitch does not exist in the region"},
	{CodeACKVSwitchVPC, Error, "an ACK cluster's vSwitch is not in that cluster's VPC"},
	{CodeASMVSwitchVPC, Error, "an ASM vSwitch is not in the ASM instance's VPC"},
	{CodeACKZoneRule, Error, "an ackVpcEndpoint zoneId is not a zone where an ASM vSwitch resides"},
	{CodeASMZoneRule, Error, "an asmVpcEndpoint zoneId is not a zone where an ACK vSwitch of a listed cluster resides"},
	{CodeCrossZone, Warning, "a zoneId differs from its own vSwitch's zone: a cross-zone pair"},
	{CodeClusterVPCUnknown, Info, "the cluster's VPC is not known, so its vSwitches' VPC was not checked"},
	{CodeSameVPC, Error, "the cluster is in the ASM instance's own VPC and needs no PrivateLink"},
}

var codeIndex = func() map[Code]CodeInfo {
	m := make(map[Code]CodeInfo, len(Codes))
	for _, c := range Codes {
		m[c.Code] = c
	}
	return m
}()

// Describe returns the table entry of a spec finding code.
func Describe(c Code) (CodeInfo, bool) {
	info, ok := codeIndex[c]
	return info, ok
}

// newFinding builds a finding whose severity comes from the code table.
func newFinding(code Code, path, message, hint string) Finding {
	info, ok := codeIndex[code]
	if !ok {
		panic("spec: finding code " + string(code) + " is not in the Codes table")
	}
	return Finding{Code: code, Severity: info.Severity, Path: path, Message: message, Hint: hint}
}
