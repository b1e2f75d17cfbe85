package sim

// The simulated ASM controller's own model of ASMPvlConfig, written from
// the PrivateLink guide (seeds 000 and 001: the example resource, the
// status fields of "Verify the connection" and the troubleshooting table),
// not from asmlink's spec package, so that a mistake in asmlink's model
// cannot pass its tests.

// pvlConfig is ASMPvlConfig/default as the controller reads it.
type pvlConfig struct {
	Metadata struct {
		Name            string `json:"name"`
		ResourceVersion string `json:"resourceVersion"`
	} `json:"metadata"`
	Spec   pvlSpec    `json:"spec"`
	Status *pvlStatus `json:"status,omitempty"`
}

// pvlSpec lists, per ACK cluster, vSwitches in the cluster's VPC
// (ackVpcEndpoint) and, shared by all clusters, vSwitches in the ASM
// instance's VPC (asmVpcEndpoint).
type pvlSpec struct {
	AckVpcEndpoint []ackEndpoint `json:"ackVpcEndpoint,omitempty"`
	AsmVpcEndpoint struct {
		VSwitches []pvlVSwitch `json:"vSwitches,omitempty"`
	} `json:"asmVpcEndpoint"`
}

type ackEndpoint struct {
	ClusterID string       `json:"clusterId"`
	VSwitches []pvlVSwitch `json:"vSwitches,omitempty"`
}

type pvlVSwitch struct {
	VSwitchID string `json:"vSwitchId"`
	ZoneID    string `json:"zoneId"`
}

// pvlStatus is what ASM reports: link A per cluster (clusters), link B
// (pilot) and the overall status, Available once everything works.
type pvlStatus struct {
	Clusters []linkStatus `json:"clusters,omitempty"`
	Pilot    *pilotStatus `json:"pilot,omitempty"`
	Status   string       `json:"status,omitempty"`
}

type linkStatus struct {
	ClusterID          string         `json:"clusterId"`
	PvlEndpoint        *endpointState `json:"pvlEndpoint,omitempty"`
	PvlEndpointService *serviceState  `json:"pvlEndpointService,omitempty"`
}

type pilotStatus struct {
	Clusters           []linkStatus  `json:"clusters,omitempty"`
	PvlEndpointService *serviceState `json:"pvlEndpointService,omitempty"`
}

type endpointState struct {
	ConnectionStatus string `json:"connectionStatus,omitempty"`
	DomainName       string `json:"domainName,omitempty"`
	ID               string `json:"id,omitempty"`
	Status           string `json:"status,omitempty"`
}

type serviceState struct {
	ID     string `json:"id,omitempty"`
	Name   string `json:"name,omitempty"`
	Status string `json:"status,omitempty"`
}

// The values the guide's status shows.
const (
	pvlAvailable = "Available"
	pvlActive    = "Active"
	pvlConnected = "Connected"
)

// zoneRuleKeepers applies the guide's zone rule to one cluster's entry:
// "Under ackVpcEndpoint, set zoneId to a zone where the ASM instance's
// vSwitch resides. Under asmVpcEndpoint, set zoneId to a zone where the ACK
// cluster's vSwitch resides" (seed 000, "cross-VPC zone matching"). zoneOf
// gives the zone a vSwitch really is in ("" when unknown). It returns the
// indices of the ASM vSwitches and of the entry's vSwitches whose zoneId
// keeps the rule.
func zoneRuleKeepers(asm []pvlVSwitch, e ackEndpoint, zoneOf func(vSwitchID string) string) (asmOK, ackOK []int) {
	asmZones, ackZones := map[string]bool{}, map[string]bool{}
	for _, v := range asm {
		if z := zoneOf(v.VSwitchID); z != "" {
			asmZones[z] = true
		}
	}
	for _, v := range e.VSwitches {
		if z := zoneOf(v.VSwitchID); z != "" {
			ackZones[z] = true
		}
	}
	for k, v := range e.VSwitches {
		if asmZones[v.ZoneID] {
			ackOK = append(ackOK, k)
		}
	}
	for j, v := range asm {
		if ackZones[v.ZoneID] {
			asmOK = append(asmOK, j)
		}
	}
	return asmOK, ackOK
}
