package sim_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/privatelink"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/servicemesh"

	"github.com/asmlink/asmlink/cloud/sim"
)

// TestAddAndRemoveClusterChangeTheMesh checks that adding and removing a
// cluster are asynchronous, as Terraform's wait for "running" after each
// shows: the mesh is updating and the new cluster connecting for the
// world's mesh_update delay (demo: 10s), and no other add or remove is
// accepted meanwhile.
func TestAddAndRemoveClusterChangeTheMesh(t *testing.T) {
	clk := newFakeClock()
	s := startWorld(t, "demo", sim.Options{Clock: clk.Now})
	c := mainClients(t, s)
	add := servicemesh.CreateAddClusterIntoServiceMeshRequest()
	add.ServiceMeshId, add.ClusterId = meshProd, inventory
	resp, err := c.mesh.AddClusterIntoServiceMesh(add)
	if err != nil || resp.Code != "200" {
		t.Fatalf("add: %v %+v", err, resp)
	}
	if m, _ := s.State().Mesh(meshProd); !slices.Contains(m.ClusterIDs, inventory) || m.State != "updating" {
		t.Fatalf("after add: mesh %s with %v, want updating with inventory", m.State, m.ClusterIDs)
	}
	if st := memberState(t, c, meshProd, inventory); st != "connecting" {
		t.Errorf("inventory is %q right after the add, want connecting", st)
	}
	_, err = c.mesh.AddClusterIntoServiceMesh(add)
	serverError(t, err, "Conflict.ClusterAlreadyAdded", 400)
	add.ClusterId = shopStaging
	_, err = c.mesh.AddClusterIntoServiceMesh(add)
	serverError(t, err, "IncorrectStatus.ServiceMesh", 400)

	clk.Advance(10 * time.Second)
	if m, _ := s.State().Mesh(meshProd); m.State != "running" {
		t.Fatalf("mesh %s after the delay, want running", m.State)
	}
	if st := memberState(t, c, meshProd, inventory); st != "running" {
		t.Errorf("inventory is %q after the delay, want running", st)
	}
	_, err = c.mesh.AddClusterIntoServiceMesh(add)
	se := serverError(t, err, "InvalidParameter.CidrConflict", 400)
	if !strings.Contains(se.Message(), "172.20.0.0/16") {
		t.Errorf("conflict message %q does not name the CIDR", se.Message())
	}

	rm := servicemesh.CreateRemoveClusterFromServiceMeshRequest()
	rm.ServiceMeshId, rm.ClusterId = meshProd, inventory
	if _, err := c.mesh.RemoveClusterFromServiceMesh(rm); err != nil {
		t.Fatal(err)
	}
	if m, _ := s.State().Mesh(meshProd); slices.Contains(m.ClusterIDs, inventory) || m.State != "updating" {
		t.Fatalf("after removal: mesh %s with %v, want updating without inventory", m.State, m.ClusterIDs)
	}
	clk.Advance(10 * time.Second)
	_, err = c.mesh.RemoveClusterFromServiceMesh(rm)
	serverError(t, err, "InvalidParameter.ClusterNotInServiceMesh", 400)
}

// memberState is how DescribeClustersInServiceMesh reports a cluster of
// the mesh.
func memberState(t *testing.T, c clients, meshID, clusterID string) string {
	t.Helper()
	r := servicemesh.CreateDescribeClustersInServiceMeshRequest()
	r.ServiceMeshId = meshID
	resp, err := c.mesh.DescribeClustersInServiceMesh(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, cl := range resp.Clusters {
		if cl.ClusterId == clusterID {
			return cl.State
		}
	}
	return "absent"
}

func TestPrivateLinkActivationAndQuota(t *testing.T) {
	clock := newFakeClock()
	s := startWorld(t, "privatelink-off", sim.Options{Clock: clock.Now})
	c := mainClients(t, s)
	st := s.State()
	w := s.World()
	mesh := w.Meshes[0]
	cluster := w.Clusters[0]

	open, err := c.pl.CheckProductOpen(privatelink.CreateCheckProductOpenRequest())
	if err != nil || open.Success {
		t.Fatalf("CheckProductOpen = %v, %v; want false", open.Success, err)
	}
	_, err = st.CreateEndpointService(sim.EndpointServiceSpec{RegionID: "cn-hangzhou", ResourceType: "slb", ResourceID: mesh.PilotLB, Zones: []string{"cn-hangzhou-i"}})
	var ae *sim.APIError
	if !errors.As(err, &ae) || ae.Code != "PrivateLinkServiceNotOpen" {
		t.Fatalf("endpoint service before activation: %v", err)
	}

	if _, err := c.pl.OpenPrivateLinkService(privatelink.CreateOpenPrivateLinkServiceRequest()); err != nil {
		t.Fatal(err)
	}
	_, err = c.pl.OpenPrivateLinkService(privatelink.CreateOpenPrivateLinkServiceRequest())
	serverError(t, err, "OrderOpend", 400)
	if !st.PrivateLinkActivated() {
		t.Fatal("State does not see the activation")
	}

	svc, err := st.CreateEndpointService(sim.EndpointServiceSpec{RegionID: "cn-hangzhou", ResourceType: "slb", ResourceID: mesh.PilotLB, Zones: []string{"cn-hangzhou-i"}})
	if err != nil {
		t.Fatal(err)
	}
	create := func(dryRun bool) (*privatelink.CreateVpcEndpointResponse, error) {
		r := privatelink.CreateCreateVpcEndpointRequest()
		r.VpcId, r.ServiceId, r.EndpointName = cluster.VPC, svc.ID, "asm-pilot"
		r.SecurityGroupId = &[]string{cluster.SecurityGroup}
		r.Zone = &[]privatelink.CreateVpcEndpointZone{{ZoneId: "cn-hangzhou-i", VSwitchId: cluster.VSwitches[0]}}
		r.DryRun = requests.NewBoolean(dryRun)
		return c.pl.CreateVpcEndpoint(r)
	}
	_, err = create(true)
	serverError(t, err, "DryRunOperation", 400)
	if limit, used := st.EndpointQuota("cn-hangzhou"); limit != 1 || used != 0 {
		t.Fatalf("dry run created an endpoint: quota %d used %d", limit, used)
	}
	ep, err := create(false)
	if err != nil {
		t.Fatal(err)
	}
	wantDomain := ep.EndpointId + "." + svc.ID + ".cn-hangzhou.privatelink.aliyuncs.com"
	if !strings.HasPrefix(ep.EndpointId, "ep-bp1") || ep.EndpointDomain != wantDomain || ep.EndpointStatus != "Creating" || ep.ServiceName != svc.Name {
		t.Fatalf("created endpoint %+v", ep)
	}
	_, err = create(false)
	serverError(t, err, "QuotaExceeded.Endpoint", 400)
	_, err = create(true)
	serverError(t, err, "QuotaExceeded.Endpoint", 400)
}

func TestEndpointProgressesWithTheClock(t *testing.T) {
	clock := newFakeClock()
	s := startWorld(t, "demo", sim.Options{Clock: clock.Now})
	c := mainClients(t, s)
	st := s.State()

	// Link B of the guide: Pilot's service in the ASM VPC, an endpoint in shop-prod's VPC.
	svc, err := st.CreateEndpointService(sim.EndpointServiceSpec{RegionID: "cn-hangzhou", ResourceType: "slb", ResourceID: "lb-bp11dstwg6nj4ogw9xhr",
		Zones: []string{"cn-hangzhou-i", "cn-hangzhou-j"}})
	if err != nil {
		t.Fatal(err)
	}
	if svc.Status != "Creating" || svc.Name != "com.aliyuncs.privatelink.cn-hangzhou."+svc.ID || svc.Domain != svc.ID+".cn-hangzhou.privatelink.aliyuncs.com" {
		t.Fatalf("service %+v", svc)
	}
	before, _ := st.VSwitch(vswShopProdI)
	ep, err := st.CreateEndpoint(sim.EndpointSpec{RegionID: "cn-hangzhou", VpcID: vpcShopProd, ServiceID: svc.ID, SecurityGroupIDs: []string{"sg-bp14efff1gxi9d99vh0w"},
		Zones: []sim.EndpointZone{{ZoneID: "cn-hangzhou-i", VSwitchID: vswShopProdI}}})
	if err != nil {
		t.Fatal(err)
	}
	if after, _ := st.VSwitch(vswShopProdI); after.FreeIPs != before.FreeIPs-1 {
		t.Errorf("endpoint did not take an IP: %d -> %d", before.FreeIPs, after.FreeIPs)
	}

	get := func() *privatelink.GetVpcEndpointAttributeResponse {
		r := privatelink.CreateGetVpcEndpointAttributeRequest()
		r.EndpointId = ep.ID
		resp, err := c.pl.GetVpcEndpointAttribute(r)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	// A new endpoint is Creating and Disconnected, as CreateVpcEndpoint
	// answers, then Connecting, then Active and Connected.
	if a := get(); a.EndpointStatus != "Creating" || a.ConnectionStatus != "Disconnected" || a.EndpointDomain != ep.Domain {
		t.Fatalf("at t0: %+v", a)
	}
	clock.Advance(19 * time.Second)
	if a := get(); a.EndpointStatus != "Creating" || a.ConnectionStatus != "Connecting" {
		t.Fatalf("at 19s: %s/%s", a.EndpointStatus, a.ConnectionStatus)
	}
	clock.Advance(time.Second)
	if a := get(); a.EndpointStatus != "Active" || a.ConnectionStatus != "Connected" {
		t.Fatalf("at 20s: %s/%s", a.EndpointStatus, a.ConnectionStatus)
	}

	zr := privatelink.CreateListVpcEndpointZonesRequest()
	zr.EndpointId = ep.ID
	zones, err := c.pl.ListVpcEndpointZones(zr)
	if err != nil || len(zones.Zones) != 1 || zones.Zones[0].ZoneStatus != "Connected" || zones.Zones[0].VSwitchId != vswShopProdI || zones.Zones[0].EniIp == "" {
		t.Fatalf("zones: %v %+v", err, zones)
	}

	sr := privatelink.CreateGetVpcEndpointServiceAttributeRequest()
	sr.ServiceId = svc.ID
	sa, err := c.pl.GetVpcEndpointServiceAttribute(sr)
	if err != nil || sa.ServiceStatus != "Active" || !slices.Equal(sa.Zones, []string{"cn-hangzhou-i", "cn-hangzhou-j"}) {
		t.Fatalf("service attribute: %v %+v", err, sa)
	}

	// An endpoint in a zone the service does not serve never connects.
	second, err := st.CreateEndpoint(sim.EndpointSpec{RegionID: "cn-hangzhou", VpcID: vpcShopProd, ServiceID: svc.ID,
		Zones: []sim.EndpointZone{{ZoneID: "cn-hangzhou-j", VSwitchID: vswShopProdJ}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.DeleteEndpointService(svc.ID); err == nil {
		t.Fatal("deleted a service that endpoints still use")
	}
	narrow, _ := st.CreateEndpointService(sim.EndpointServiceSpec{RegionID: "cn-hangzhou", ResourceType: "slb", ResourceID: "lb-bp19n12o0v3z0gu1uqxj", Zones: []string{"cn-hangzhou-h"}})
	wrong, err := st.CreateEndpoint(sim.EndpointSpec{RegionID: "cn-hangzhou", VpcID: vpcShopProd, ServiceID: narrow.ID,
		Zones: []sim.EndpointZone{{ZoneID: "cn-hangzhou-j", VSwitchID: vswShopProdJ}}})
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Minute)
	if e, _ := st.Endpoint(second.ID); e.ConnectionStatus != "Connected" {
		t.Errorf("endpoint in a served zone: %s", e.ConnectionStatus)
	}
	if e, _ := st.Endpoint(wrong.ID); e.Status != "Active" || e.ConnectionStatus != "Connecting" || e.Zones[0].Status != "Wait" {
		t.Errorf("endpoint in an unserved zone: %s/%s/%s", e.Status, e.ConnectionStatus, e.Zones[0].Status)
	}

	for _, id := range []string{ep.ID, second.ID} {
		if err := st.DeleteEndpoint(id); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.DeleteEndpointService(svc.ID); err != nil {
		t.Fatal(err)
	}
	list, err := c.pl.ListVpcEndpointServices(privatelink.CreateListVpcEndpointServicesRequest())
	if err != nil || list.TotalCount != 1 || list.Services[0].ServiceId != narrow.ID {
		t.Fatalf("services after delete: %v %+v", err, list)
	}
}

func TestCreateEndpointChecksZonesAndVSwitches(t *testing.T) {
	s := startWorld(t, "demo", sim.Options{})
	st := s.State()
	svc, err := st.CreateEndpointService(sim.EndpointServiceSpec{RegionID: "cn-hangzhou", ResourceType: "slb", ResourceID: "lb-bp11dstwg6nj4ogw9xhr", Zones: []string{"cn-hangzhou-k"}})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		spec sim.EndpointSpec
		code string
	}{
		{"full vSwitch", sim.EndpointSpec{VpcID: vpcShopProd, Zones: []sim.EndpointZone{{ZoneID: "cn-hangzhou-k", VSwitchID: vswShopProdK}}}, "QuotaExceeded.PrivateIpAddress"},
		{"vSwitch of another VPC", sim.EndpointSpec{VpcID: vpcShopProd, Zones: []sim.EndpointZone{{ZoneID: "cn-hangzhou-i", VSwitchID: vswASMProdI}}}, "InvalidVSwitchId.NotFound"},
		{"zone mismatch", sim.EndpointSpec{VpcID: vpcShopProd, Zones: []sim.EndpointZone{{ZoneID: "cn-hangzhou-j", VSwitchID: vswShopProdI}}}, "IllegalParam.ZoneId"},
		{"zone without PrivateLink", sim.EndpointSpec{VpcID: "vpc-bp1ogyr3xkxwnrek8pk3y", Zones: []sim.EndpointZone{{ZoneID: "cn-hangzhou-b", VSwitchID: "vsw-bp16z8vbhqlqcg1wu16hy"}}}, "IllegalParam.ZoneId"},
		{"unknown VPC", sim.EndpointSpec{VpcID: "vpc-bp1nosuchvpc0000000000"}, "InvalidVpcId.NotFound"},
		{"unknown service", sim.EndpointSpec{VpcID: vpcShopProd, ServiceID: "epsrv-bp1nosuchservice00000"}, "EndpointServiceNotFound"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			spec := tc.spec
			spec.RegionID = "cn-hangzhou"
			if spec.ServiceID == "" {
				spec.ServiceID = svc.ID
			}
			_, err := st.CreateEndpoint(spec)
			var ae *sim.APIError
			if !errors.As(err, &ae) || ae.Code != tc.code {
				t.Fatalf("want %s, got %v", tc.code, err)
			}
		})
	}
}

func TestModifyClusterAppendsSANsAfterTheUpdateDelay(t *testing.T) {
	clock := newFakeClock()
	s := startWorld(t, "demo", sim.Options{Clock: clock.Now})
	c := mainClients(t, s)
	domain := "ep-bp1abc.epsrv-bp1def.cn-hangzhou.privatelink.aliyuncs.com"
	resp, err := c.cs.ModifyCluster(modifyRequest(shopProd, `{"api_server_custom_cert_sans":{"action":"append","subject_alternative_names":["`+domain+`"]}}`))
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		ClusterID string `json:"cluster_id"`
		TaskID    string `json:"task_id"`
		RequestID string `json:"request_id"`
	}
	if err := json.Unmarshal(resp.GetHttpContentBytes(), &out); err != nil || out.ClusterID != shopProd || !strings.HasPrefix(out.TaskID, "T-") || out.RequestID == "" {
		t.Fatalf("ModifyCluster answer %s", resp.GetHttpContentString())
	}
	detail := func() (string, []string) {
		r, err := c.cs.DescribeClusterDetail(detailRequest(shopProd))
		if err != nil {
			t.Fatal(err)
		}
		var d struct {
			State     string   `json:"state"`
			ExtraSANs []string `json:"extra_sans"`
		}
		_ = json.Unmarshal(r.GetHttpContentBytes(), &d)
		return d.State, d.ExtraSANs
	}
	if state, sans := detail(); state != "updating" || slices.Contains(sans, domain) {
		t.Fatalf("right after ModifyCluster: %s %v", state, sans)
	}
	_, err = c.cs.ModifyCluster(modifyRequest(shopProd, `{"api_server_custom_cert_sans":{"action":"append","subject_alternative_names":["x.example.com"]}}`))
	if se := serverError(t, err, "", 400); !strings.Contains(se.Message(), "ErrorClusterState") {
		t.Fatalf("modify while updating: %s", se.Message())
	}
	clock.Advance(30 * time.Second)
	if state, sans := detail(); state != "running" || !slices.Equal(sans, []string{"shop-api.internal.example.com", domain}) {
		t.Fatalf("after the delay: %s %v", state, sans)
	}
	if f, _ := s.State().Cluster(shopProd); !slices.Contains(f.ExtraSANs, domain) {
		t.Fatalf("State does not see the SANs: %v", f.ExtraSANs)
	}

	if _, err := c.cs.ModifyCluster(modifyRequest(shopProd, `{"api_server_custom_cert_sans":{"action":"overwrite","subject_alternative_names":["only.example.com"]}}`)); err != nil {
		t.Fatal(err)
	}
	clock.Advance(30 * time.Second)
	if _, sans := detail(); !slices.Equal(sans, []string{"only.example.com"}) {
		t.Fatalf("overwrite: %v", sans)
	}
	_, err = c.cs.ModifyCluster(modifyRequest(shopProd, `{"api_server_custom_cert_sans":{"action":"replace","subject_alternative_names":["a"]}}`))
	serverError(t, err, "", 400)
}

func TestServersFromOneWorldDoNotShareState(t *testing.T) {
	w, err := sim.LoadWorld("demo")
	if err != nil {
		t.Fatal(err)
	}
	a, err := sim.New(w, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := sim.New(w, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	svc, err := a.State().CreateEndpointService(sim.EndpointServiceSpec{RegionID: "cn-hangzhou", ResourceType: "slb", ResourceID: "lb-bp11dstwg6nj4ogw9xhr", Zones: []string{"cn-hangzhou-i"}})
	if err != nil {
		t.Fatal(err)
	}
	ep, err := a.State().CreateEndpoint(sim.EndpointSpec{RegionID: "cn-hangzhou", VpcID: vpcShopProd, ServiceID: svc.ID,
		Zones: []sim.EndpointZone{{ZoneID: "cn-hangzhou-i", VSwitchID: vswShopProdI}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := a.State().Endpoints(); len(got) != 1 || got[0].ID != ep.ID {
		t.Fatalf("a's endpoints %+v", got)
	}
	if got := a.State().EndpointServices(); len(got) != 1 || got[0].ID != svc.ID {
		t.Fatalf("a's services %+v", got)
	}
	if len(b.State().Endpoints()) != 0 || len(b.State().EndpointServices()) != 0 {
		t.Fatal("b sees a's PrivateLink resources")
	}
	va, _ := a.State().VSwitch(vswShopProdI)
	vb, _ := b.State().VSwitch(vswShopProdI)
	if va.FreeIPs != vb.FreeIPs-1 || w.VPCs[1].VSwitches[1].FreeIPs != vb.FreeIPs {
		t.Fatalf("free IPs a=%d b=%d world=%d", va.FreeIPs, vb.FreeIPs, w.VPCs[1].VSwitches[1].FreeIPs)
	}
}

// TestPendingConnectionsStayPending: in a world whose services do not
// accept connections by themselves, an endpoint becomes Active but its
// connection sits in Pending.
func TestPendingConnectionsStayPending(t *testing.T) {
	clock := newFakeClock()
	w, err := sim.LoadWorld("demo")
	if err != nil {
		t.Fatal(err)
	}
	w.PrivateLink.PendingConnections = true
	s, err := sim.New(w, sim.Options{Clock: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	st := s.State()
	svc, err := st.CreateEndpointService(sim.EndpointServiceSpec{RegionID: "cn-hangzhou", ResourceType: "slb", ResourceID: "lb-bp11dstwg6nj4ogw9xhr", Zones: []string{"cn-hangzhou-i"}})
	if err != nil {
		t.Fatal(err)
	}
	ep, err := st.CreateEndpoint(sim.EndpointSpec{RegionID: "cn-hangzhou", VpcID: vpcShopProd, ServiceID: svc.ID,
		Zones: []sim.EndpointZone{{ZoneID: "cn-hangzhou-i", VSwitchID: vswShopProdI}}})
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Hour)
	if got, _ := st.Endpoint(ep.ID); got.Status != "Active" || got.ConnectionStatus != "Pending" {
		t.Fatalf("endpoint an hour later: %s/%s, want Active/Pending", got.Status, got.ConnectionStatus)
	}
}
