package flow

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/spec"
)

// healthyStatus returns the status ASM writes when cluster idB's links work.
func healthyStatus() *spec.Status {
	return &spec.Status{
		Status: spec.StatusAvailable,
		Clusters: []spec.ClusterLink{{
			ClusterID:          idB,
			PvlEndpoint:        &spec.PvlEndpoint{ID: "ep-a", Status: "Active", ConnectionStatus: "Connected", DomainName: "ep-a.epsrv-a.cn-hangzhou.privatelink.aliyuncs.com"},
			PvlEndpointService: &spec.EndpointService{ID: "epsrv-a", Name: "com.aliyuncs.privatelink.cn-hangzhou.epsrv-a", Status: "Active"},
		}},
		Pilot: &spec.PilotLink{
			Clusters:           []spec.ClusterLink{{ClusterID: idB, PvlEndpoint: &spec.PvlEndpoint{ID: "ep-b", Status: "Active", ConnectionStatus: "Connected", DomainName: "ep-b.epsrv-p.cn-hangzhou.privatelink.aliyuncs.com"}}},
			PvlEndpointService: &spec.EndpointService{ID: "epsrv-p", Name: "com.aliyuncs.privatelink.cn-hangzhou.epsrv-p", Status: "Active"},
		},
	}
}

// observation returns a healthy observation of the fixture: B connected,
// running in the mesh, with the link A domain in its SANs.
func observation() Observation {
	env := fixture()
	env.Config.Status = healthyStatus()
	clusters := slices.Clone(env.Clusters)
	for i := range clusters {
		if clusters[i].ID == idB {
			clusters[i].ExtraSANs = []string{"EP-A.epsrv-a.cn-hangzhou.privatelink.aliyuncs.com"}
		}
	}
	return Observation{
		Config:               env.Config,
		PrivateLinkListed:    true,
		EndpointServices:     []cloud.EndpointService{{ID: "epsrv-a", Status: "Active"}, {ID: "epsrv-p", Status: "Active"}},
		Endpoints:            []cloud.Endpoint{{ID: "ep-a", Status: "Active", ConnectionStatus: "Connected"}, {ID: "ep-b", Status: "Active", ConnectionStatus: "Connected"}},
		PrivateLinkActivated: true,
		MeshClusters:         env.MeshClusters,
		Clusters:             clusters,
		Facts:                env.Facts(),
		MeshID:               "m1",
	}
}

func diagCodes(ds []Diagnosis) []spec.Code {
	var out []spec.Code
	for _, d := range ds {
		out = append(out, d.Code)
	}
	return out
}

func TestDiagnoseHealthy(t *testing.T) {
	o := observation()
	if ds := Diagnose(o); len(ds) != 0 {
		t.Errorf("a healthy status was diagnosed: %+v", ds)
	}
	if ds := Diagnose(Observation{}); ds != nil {
		t.Errorf("no ASMPvlConfig was diagnosed: %+v", ds)
	}
}

func TestDiagnose(t *testing.T) {
	for _, tc := range []struct {
		name    string
		change  func(o *Observation)
		want    []spec.Code
		message string
		detail  string
		wait    string
		fix     string
	}{
		{
			name: "still provisioning",
			change: func(o *Observation) {
				o.Config.Status.Status = "Provisioning"
				o.Config.Status.Pilot.Clusters[0].PvlEndpoint.Status = "Creating"
				o.Config.Status.Pilot.Clusters[0].PvlEndpoint.ConnectionStatus = "Disconnected"
				o.Endpoints[1].Status, o.Endpoints[1].ConnectionStatus = "Creating", "Disconnected"
			},
			want:    []spec.Code{CodeProvisioning},
			message: "status is Provisioning: ASM is still provisioning the PrivateLink resources",
			wait:    "cluster " + idB + " link B: endpoint ep-b Creating",
		},
		{
			name: "nothing reported yet",
			change: func(o *Observation) {
				o.Config.Status = nil
			},
			want:    []spec.Code{CodeProvisioning},
			message: "status is (not reported): ASM is still provisioning",
			wait:    "cluster " + idB + " link A: endpoint and endpoint service not reported yet; cluster " + idB + " link B: endpoint and endpoint service not reported yet",
		},
		{
			name: "zone rule broken",
			change: func(o *Observation) {
				o.Config.Status.Status = "Failed"
				o.Config.Spec.AckVpcEndpoint[0].VSwitches[0].ZoneID = zoneJ
				o.Config.Status.Pilot.Clusters[0].PvlEndpoint.ConnectionStatus = "Disconnected"
				o.Endpoints[1].ConnectionStatus = "Disconnected"
			},
			want:    []spec.Code{CodeZoneMismatch},
			message: "cluster " + idB + " link B: connection is Disconnected because the zone IDs break the zone rule",
			detail:  "PVL033 error spec.ackVpcEndpoint[0].vSwitches[0].zoneId: zoneId \"cn-hangzhou-j\" is not a zone where an ASM vSwitch resides",
		},
		{
			name: "connection down although the zones look right",
			change: func(o *Observation) {
				o.Config.Status.Pilot.Clusters[0].PvlEndpoint.ConnectionStatus = "Disconnected"
				o.Endpoints[1].ConnectionStatus = "Disconnected"
			},
			want:    []spec.Code{CodeZoneMismatch},
			message: "the zone IDs follow the zone rule by the cloud's listing",
		},
		{
			name: "PrivateLink not activated",
			change: func(o *Observation) {
				o.PrivateLinkActivated = false
				o.Config.Status.Status = "Failed"
				o.Config.Status.Pilot.PvlEndpointService.Status = "Inactive"
				o.Config.Status.Clusters[0].PvlEndpointService.Status = "Inactive"
				o.EndpointServices[0].Status, o.EndpointServices[1].Status = "Inactive", "Inactive"
			},
			want:    []spec.Code{CodePrivateLinkOff},
			message: "PrivateLink is not activated for this account (cluster " + idB + " link A: endpoint service epsrv-a is Inactive)",
			fix:     "aliyun privatelink OpenPrivateLinkService",
		},
		{
			name: "quota",
			change: func(o *Observation) {
				o.Config.Status.Status = "Failed"
				o.Config.Status.Pilot.Clusters[0].PvlEndpoint.Status = "Failed"
				o.Endpoints[1].Status = "Failed"
			},
			want:    []spec.Code{CodeQuota},
			message: "cluster " + idB + " link B: endpoint ep-b is Failed although PrivateLink is activated: the endpoint quota may be reached",
			fix:     "aliyun privatelink ListVpcEndpoints --MaxResults 1000",
		},
		{
			name: "SAN missing",
			change: func(o *Observation) {
				o.MeshClusters[1].State, o.MeshClusters[1].ErrorMessage = "failed", "x509: certificate is valid for kubernetes, not ep-a..."
				for i := range o.Clusters {
					o.Clusters[i].ExtraSANs = nil
				}
			},
			want:    []spec.Code{CodeSANMissing},
			message: "domain ep-a.epsrv-a.cn-hangzhou.privatelink.aliyuncs.com is not in its API server certificate's SANs",
			detail:  "x509: certificate is valid for kubernetes, not ep-a...",
			fix:     `aliyun cs PUT /api/v2/clusters/` + idB + ` --header "Content-Type=application/json" --body '{"api_server_custom_cert_sans":{"action":"append","subject_alternative_names":["ep-a.epsrv-a.cn-hangzhou.privatelink.aliyuncs.com"]}}'`,
		},
		{
			name: "SAN unknown because the detail was not read",
			change: func(o *Observation) {
				o.MeshClusters[1].State = "failed"
				o.Clusters = nil
			},
			want:    []spec.Code{CodeSANMissing},
			message: "is probably not in its API server certificate's SANs",
		},
		{
			name: "cluster still updating after the SAN change",
			change: func(o *Observation) {
				o.MeshClusters[1].State = "updating"
				for i := range o.Clusters {
					if o.Clusters[i].ID == idB {
						o.Clusters[i].State = "updating"
					}
				}
			},
			want:    []spec.Code{CodeClusterNotReady},
			message: "although domain ep-a.epsrv-a.cn-hangzhou.privatelink.aliyuncs.com is in its SANs",
			wait:    "cluster " + idB + " to be running (ACK updating, mesh updating)",
		},
		{
			name: "status names an endpoint PrivateLink does not know",
			change: func(o *Observation) {
				o.Endpoints = o.Endpoints[:1]
			},
			want:    []spec.Code{CodeUnknownID},
			message: "cluster " + idB + " link B: status names endpoint ep-b, which PrivateLink does not list",
		},
		{
			name: "states disagree",
			change: func(o *Observation) {
				o.EndpointServices[1].Status = "Deleting"
			},
			want:    []spec.Code{CodeStateMismatch},
			message: "cluster " + idB + " link B: status and PrivateLink disagree",
			detail:  "endpoint service epsrv-p: status says Active, PrivateLink says Deleting",
		},
		{
			name: "PrivateLink has not caught up yet",
			change: func(o *Observation) {
				o.Endpoints[1].ConnectionStatus = "Connecting"
			},
			want:    []spec.Code{CodeStateMismatch},
			message: "cluster " + idB + " link B: status and PrivateLink disagree",
			detail:  "endpoint ep-b connection: status says Connected, PrivateLink says Connecting",
			wait:    "status and PrivateLink to agree on cluster " + idB + " link B",
		},
		{
			name: "a removed cluster is still in status",
			change: func(o *Observation) {
				o.Config.Status.Clusters = append(o.Config.Status.Clusters, spec.ClusterLink{ClusterID: idA})
			},
			want:    []spec.Code{CodeStaleStatus},
			message: "status still lists cluster " + idA,
			wait:    "ASM to delete the endpoints of cluster " + idA,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := observation()
			tc.change(&o)
			ds := Diagnose(o)
			if !slices.Equal(diagCodes(ds), tc.want) {
				t.Fatalf("codes = %v, want %v: %+v", diagCodes(ds), tc.want, ds)
			}
			d := ds[0]
			if !strings.Contains(d.Message, tc.message) {
				t.Errorf("message = %q, want it to contain %q", d.Message, tc.message)
			}
			if tc.detail != "" && !slices.Contains(d.Details, tc.detail) {
				t.Errorf("details = %q, want %q", d.Details, tc.detail)
			}
			if d.Wait != tc.wait {
				t.Errorf("wait = %q, want %q", d.Wait, tc.wait)
			}
			if d.Terminal != (tc.wait == "") {
				t.Errorf("terminal = %v with wait %q: a diagnosis is terminal exactly when nothing is waited for", d.Terminal, d.Wait)
			}
			if tc.fix != "" && (d.Fix == nil || d.Fix.Command != tc.fix) {
				t.Errorf("fix = %+v, want command %s", d.Fix, tc.fix)
			}
			if d.Hint == "" || d.DocURL != DocBaseURL+strings.ToLower(string(d.Code)) {
				t.Errorf("diagnosis hint %q, doc URL %q", d.Hint, d.DocURL)
			}
			if f := d.Finding(); f.Code != d.Code || f.Severity != d.Severity {
				t.Errorf("finding = %+v", f)
			}
		})
	}
}

func TestDiagnoseSANFixRunsOnlyWhenApplied(t *testing.T) {
	api := &fakeAPI{}
	o := observation()
	o.API = api
	o.MeshClusters[1].State = "failed"
	o.Clusters = nil
	ds := Diagnose(o)
	if len(ds) != 1 || ds[0].Fix == nil || !ds[0].Fix.Mutating {
		t.Fatalf("diagnoses = %+v", ds)
	}
	if len(api.sans) != 0 {
		t.Fatal("Diagnose changed the certificate by itself")
	}
	if err := ds[0].Fix.Apply(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := api.sans[idB]; !slices.Equal(got, []string{"ep-a.epsrv-a.cn-hangzhou.privatelink.aliyuncs.com"}) {
		t.Errorf("SANs appended = %v", got)
	}
}

func TestLinks(t *testing.T) {
	o := observation()
	o.Config.Status.Clusters = append(o.Config.Status.Clusters, spec.ClusterLink{ClusterID: idA,
		PvlEndpoint: &spec.PvlEndpoint{ID: "ep-x", Status: "Deleting"}})
	o.Endpoints[0].ConnectionStatus = "Connecting"
	v := Links(o.Config, o.EndpointServices, o.Endpoints, o.MeshClusters)
	if v.Status != spec.StatusAvailable || len(v.Clusters) != 2 {
		t.Fatalf("view = %+v", v)
	}
	b, ok := v.Cluster(idB)
	if !ok || !b.InSpec || b.MeshState != "running" {
		t.Fatalf("cluster B = %+v", b)
	}
	wantA := LinkEnd{EndpointID: "ep-a", EndpointStatus: "Active", ConnectionStatus: "Connected",
		Domain: "ep-a.epsrv-a.cn-hangzhou.privatelink.aliyuncs.com", ServiceID: "epsrv-a",
		ServiceName: "com.aliyuncs.privatelink.cn-hangzhou.epsrv-a", ServiceStatus: "Active",
		CrossChecked: true, EndpointListed: true, ServiceListed: true, APIEndpointStatus: "Active", APIConnectionStatus: "Connecting", APIServiceStatus: "Active"}
	if b.A != wantA {
		t.Errorf("link A =\n%+v\nwant\n%+v", b.A, wantA)
	}
	// Status says Connected, PrivateLink Connecting: settling, never up.
	if b.A.Health() != HealthSettling || b.A.Healthy() || b.Healthy() || b.Health() != HealthSettling {
		t.Errorf("link A health %s, cluster health %s: want settling while PrivateLink disagrees", b.A.Health(), b.Health())
	}
	if b.B.ServiceID != "epsrv-p" || b.B.EndpointID != "ep-b" || !b.B.Healthy() {
		t.Errorf("link B = %+v", b.B)
	}
	a := v.Clusters[1]
	if a.ClusterID != idA || a.InSpec || a.B.Reported() {
		t.Errorf("removed cluster = %+v", a)
	}
	if v.Available() || v.Settled() {
		t.Errorf("available %v settled %v: a link PrivateLink disagrees with is not available", v.Available(), v.Settled())
	}
	if p := v.Pending(); !slices.Equal(p, []string{
		"cluster " + idB + " link A: PrivateLink to report endpoint ep-a Active Connected (it says Active Connecting)",
		"cluster " + idA + ": entries of a removed cluster still in status"}) {
		t.Errorf("pending = %v", p)
	}
	o.Endpoints[0].ConnectionStatus = "Connected"
	v = Links(o.Config, o.EndpointServices, o.Endpoints, o.MeshClusters)
	if !v.Available() || v.Settled() {
		t.Errorf("available %v settled %v: a removed cluster left in status should keep the view unsettled", v.Available(), v.Settled())
	}
	if v := Links(nil, nil, nil, nil); len(v.Clusters) != 0 || !v.Settled() {
		t.Errorf("empty view = %+v", v)
	}
}
