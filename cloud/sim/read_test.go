package sim_test

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/cbn"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/cs"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/privatelink"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/servicemesh"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/asmlink/asmlink/cloud/sim"
)

func TestMeshDetailKubeconfigAndClusters(t *testing.T) {
	s := startWorld(t, "demo", sim.Options{})
	c := mainClients(t, s)

	d := servicemesh.CreateDescribeServiceMeshDetailRequest()
	d.ServiceMeshId = meshProd
	detail, err := c.mesh.DescribeServiceMeshDetail(d)
	if err != nil {
		t.Fatal(err)
	}
	m := detail.ServiceMesh
	if m.Spec.Network.VpcId != vpcASMProd || !slices.Equal(m.Spec.Network.VSwitches, []string{vswASMProdH}) ||
		m.Endpoints.IntranetPilotEndpoint != "192.168.0.19:15011" || m.ServiceMeshInfo.State != "running" || len(m.Clusters) != 5 {
		t.Fatalf("unexpected mesh detail %+v", m)
	}

	k := servicemesh.CreateDescribeServiceMeshKubeconfigRequest()
	k.ServiceMeshId = meshProd
	k.PrivateIpAddress = requests.NewBoolean(true)
	kc, err := c.mesh.DescribeServiceMeshKubeconfig(k)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(kc.Kubeconfig, "API server would be https://192.168.0.18:6443") ||
		!strings.Contains(kc.Kubeconfig, "/meshes/"+meshProd+"\n") {
		t.Errorf("private kubeconfig should name the intranet API server and point at the simulator's own API of the mesh:\n%s", kc.Kubeconfig)
	}
	if err := s.State().SetMeshKubeconfig(meshProd, []byte("apiVersion: v1\nkind: Config\n# test apiserver\n")); err != nil {
		t.Fatal(err)
	}
	kc, err = c.mesh.DescribeServiceMeshKubeconfig(k)
	if err != nil || kc.Kubeconfig != "apiVersion: v1\nkind: Config\n# test apiserver\n" {
		t.Fatalf("SetMeshKubeconfig not served: %v %q", err, kc.Kubeconfig)
	}

	in := servicemesh.CreateDescribeClustersInServiceMeshRequest()
	in.ServiceMeshId = meshProd
	members, err := c.mesh.DescribeClustersInServiceMesh(in)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, cl := range members.Clusters {
		ids = append(ids, cl.ClusterId)
	}
	if !slices.Equal(ids, []string{shopProd, payments, asmProdLocal, edgeFactory, billing}) {
		t.Fatalf("members %v", ids)
	}

	// The simulated controller marks a cluster failed; the mesh reports it.
	msg := "x509: certificate is valid for 10.10.0.12, not ep-x.epsrv-y.cn-hangzhou.privatelink.aliyuncs.com"
	if err := s.State().SetMeshClusterState(meshProd, shopProd, "failed", msg); err != nil {
		t.Fatal(err)
	}
	members, err = c.mesh.DescribeClustersInServiceMesh(in)
	if err != nil || members.Clusters[0].State != "failed" || members.Clusters[0].ErrorMessage != msg {
		t.Fatalf("cluster state not reported: %v %+v", err, members.Clusters[0])
	}

	cens := servicemesh.CreateDescribeCensRequest()
	cens.ServiceMeshId = meshProd
	cr, err := c.mesh.DescribeCens(cens)
	if err != nil {
		t.Fatal(err)
	}
	// payments is CEN-connected, asm-prod-local shares the mesh's VPC.
	if !slices.Equal(cr.Clusters, []string{shopProd, edgeFactory, billing}) {
		t.Fatalf("clusters without CEN %v", cr.Clusters)
	}
}

type addable struct {
	NumberOfClusters int
	Clusters         []struct {
		ClusterId, ServiceMeshId, ForbiddenInfo, RegionId string
		ForbiddenFlag                                     int
	}
}

func describeAddable(t *testing.T, c clients, meshID string, limit, offset int) addable {
	t.Helper()
	r := requests.NewCommonRequest()
	r.Method, r.Version, r.ApiName = "POST", "2020-01-11", "DescribeServiceMeshClusters"
	r.QueryParams["ServiceMeshId"] = meshID
	r.FormParams["Limit"] = strconv.Itoa(limit)
	r.FormParams["Offset"] = strconv.Itoa(offset)
	resp, err := c.mesh.ProcessCommonRequest(r)
	if err != nil {
		t.Fatal(err)
	}
	var out addable
	if err := json.Unmarshal(resp.GetHttpContentBytes(), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestAddableClustersFlagsAsDocumented checks ForbiddenFlag against the API
// reference's meanings: 2 for another VPC with no CEN (the simulator used
// to say 0, and 2 for "in another mesh"), 3 with the clashing CIDRs for a
// CIDR conflict (it used to say 1), and only clusters of the mesh's region.
func TestAddableClustersFlagsAsDocumented(t *testing.T) {
	s := startWorld(t, "demo", sim.Options{})
	c := mainClients(t, s)
	got := describeAddable(t, c, meshProd, 50, 0)
	flags := map[string]int{}
	meshes := map[string]string{}
	for _, cl := range got.Clusters {
		flags[cl.ClusterId] = cl.ForbiddenFlag
		meshes[cl.ClusterId] = cl.ServiceMeshId
		if cl.ClusterId == shopStaging && !strings.Contains(cl.ForbiddenInfo, `"object":"Pod"`) {
			t.Errorf("shop-staging ForbiddenInfo %q does not name the pod CIDR", cl.ForbiddenInfo)
		}
	}
	want := map[string]int{inventory: 2, shopStaging: 3, stagingApps: 2}
	if got.NumberOfClusters != 3 || len(flags) != 3 {
		t.Fatalf("addable %+v, want only the three cn-hangzhou clusters outside mesh-prod", got)
	}
	for id, f := range want {
		if flags[id] != f {
			t.Errorf("cluster %s ForbiddenFlag %d, want %d", id, flags[id], f)
		}
	}
	if meshes[stagingApps] != meshStaging || meshes[inventory] != "" {
		t.Errorf("ServiceMeshId = %v, want staging-apps in mesh-staging only", meshes)
	}
}

// TestAddableClustersEachFlag reads the forbidden world, which has one
// cluster per documented ForbiddenFlag, and adds each: ASM refuses 1, 3 and
// 4 (4 unless IgnoreNamespaceCheck) and adds 0 and 2.
func TestAddableClustersEachFlag(t *testing.T) {
	clk := newFakeClock()
	s := startWorld(t, "forbidden", sim.Options{Clock: clk.Now})
	c := mainClients(t, s)
	mesh := s.World().Meshes[0].ID
	byName := map[string]string{}
	for _, wc := range s.World().Clusters {
		byName[wc.Name] = wc.ID
	}
	got := describeAddable(t, c, mesh, 50, 0)
	flags := map[string]int{}
	for _, cl := range got.Clusters {
		flags[cl.ClusterId] = cl.ForbiddenFlag
		if (cl.ForbiddenInfo != "") != (cl.ForbiddenFlag == 3) {
			t.Errorf("%s: ForbiddenFlag %d with ForbiddenInfo %q", cl.ClusterId, cl.ForbiddenFlag, cl.ForbiddenInfo)
		}
	}
	want := map[string]int{"flag0-with-cen": 0, "flag1-no-admin": 1, "flag2-no-cen": 2, "flag3-cidr": 3, "flag4-istio-system": 4}
	if len(flags) != len(want) {
		t.Fatalf("flags %v, want one cluster per flag and none of cn-shanghai", flags)
	}
	for name, f := range want {
		if flags[byName[name]] != f {
			t.Errorf("%s: ForbiddenFlag %d, want %d", name, flags[byName[name]], f)
		}
	}
	add := func(name string, extra map[string]string) error {
		r := servicemesh.CreateAddClusterIntoServiceMeshRequest()
		r.ServiceMeshId, r.ClusterId = mesh, byName[name]
		for k, v := range extra {
			r.FormParams[k] = v
		}
		_, err := c.mesh.AddClusterIntoServiceMesh(r)
		return err
	}
	for name, code := range map[string]string{"flag1-no-admin": "Forbidden.ClusterAdmin", "flag3-cidr": "InvalidParameter.CidrConflict", "flag4-istio-system": "Conflict.NamespaceExists"} {
		if err := add(name, nil); err == nil || !strings.Contains(err.Error(), code) {
			t.Errorf("adding %s: %v, want %s", name, err, code)
		}
	}
	for _, name := range []string{"flag0-with-cen", "flag2-no-cen"} {
		if err := add(name, nil); err != nil {
			t.Errorf("adding %s: %v", name, err)
		}
		clk.Advance(time.Hour) // the mesh is running again
	}
	if err := add("flag4-istio-system", map[string]string{"IgnoreNamespaceCheck": "true"}); err != nil {
		t.Errorf("adding flag4-istio-system with IgnoreNamespaceCheck: %v", err)
	}
}

func TestAddableClustersPageByLimitAndOffset(t *testing.T) {
	s := startWorld(t, "large", sim.Options{})
	c := mainClients(t, s)
	mesh := s.World().Meshes[0].ID
	seen := map[string]bool{}
	total := -1
	for offset := 0; total < 0 || offset < total; offset += 30 {
		page := describeAddable(t, c, mesh, 30, offset)
		total = page.NumberOfClusters
		if len(page.Clusters) == 0 || len(page.Clusters) > 30 {
			t.Fatalf("page at offset %d has %d clusters", offset, len(page.Clusters))
		}
		for _, cl := range page.Clusters {
			seen[cl.ClusterId] = true
		}
	}
	// 300 clusters, 30 of them in this mesh.
	if total != 270 || len(seen) != 270 {
		t.Fatalf("total %d, distinct %d; want 270", total, len(seen))
	}
}

func TestVSwitchesPageByNumberAcrossPages(t *testing.T) {
	s := startWorld(t, "large", sim.Options{})
	c := mainClients(t, s)
	seen := map[string]bool{}
	pages := 0
	for page := 1; ; page++ {
		r := vpc.CreateDescribeVSwitchesRequest()
		r.PageNumber, r.PageSize = requests.NewInteger(page), requests.NewInteger(50)
		resp, err := c.vpc.DescribeVSwitches(r)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if resp.PageNumber != page || resp.PageSize != 50 || resp.TotalCount != 2000 {
			t.Fatalf("page %d echoes %d/%d total %d", page, resp.PageNumber, resp.PageSize, resp.TotalCount)
		}
		for _, v := range resp.VSwitches.VSwitch {
			seen[v.VSwitchId] = true
		}
		if page*50 >= resp.TotalCount {
			break
		}
	}
	if pages != 40 || len(seen) != 2000 {
		t.Fatalf("%d pages, %d distinct vSwitches", pages, len(seen))
	}

	r := vpc.CreateDescribeVSwitchesRequest()
	r.PageSize = requests.NewInteger(51)
	_, err := c.vpc.DescribeVSwitches(r)
	serverError(t, err, "InvalidParameter", 400)
}

func TestVpcsAndVSwitchFilters(t *testing.T) {
	s := startWorld(t, "demo", sim.Options{})
	c := mainClients(t, s)
	r := vpc.CreateDescribeVpcsRequest()
	r.PageSize = requests.NewInteger(5)
	r.PageNumber = requests.NewInteger(2)
	resp, err := c.vpc.DescribeVpcs(r)
	if err != nil {
		t.Fatal(err)
	}
	// Eight VPCs in cn-hangzhou (the ninth is in cn-shanghai): page 2 of 5 has 3.
	if resp.TotalCount != 8 || len(resp.Vpcs.Vpc) != 3 {
		t.Fatalf("total %d, page 2 has %d", resp.TotalCount, len(resp.Vpcs.Vpc))
	}
	r = vpc.CreateDescribeVpcsRequest()
	r.VpcId = vpcASMProd
	resp, err = c.vpc.DescribeVpcs(r)
	if err != nil || len(resp.Vpcs.Vpc) != 1 || resp.Vpcs.Vpc[0].CidrBlock != "192.168.0.0/16" || len(resp.Vpcs.Vpc[0].VSwitchIds.VSwitchId) != 3 || resp.Vpcs.Vpc[0].CenStatus != "Attached" {
		t.Fatalf("asm-prod VPC: %v %+v", err, resp.Vpcs)
	}

	vs := vpc.CreateDescribeVSwitchesRequest()
	vs.VpcId = vpcShopProd
	vs.ZoneId = "cn-hangzhou-k"
	vr, err := c.vpc.DescribeVSwitches(vs)
	if err != nil || vr.TotalCount != 1 || vr.VSwitches.VSwitch[0].VSwitchId != vswShopProdK || vr.VSwitches.VSwitch[0].AvailableIpAddressCount != 0 {
		t.Fatalf("full vSwitch in zone k: %v %+v", err, vr.VSwitches)
	}

	sh := vpc.CreateDescribeVpcsRequest()
	sh.RegionId = "cn-shanghai"
	shr, err := c.vpc.DescribeVpcs(sh)
	if err != nil || shr.TotalCount != 1 {
		t.Fatalf("cn-shanghai VPCs: %v %+v", err, shr)
	}
}

func TestClustersPageFilterAndDetail(t *testing.T) {
	s := startWorld(t, "large", sim.Options{})
	c := mainClients(t, s)
	seen := map[string]bool{}
	for page := 1; page <= 3; page++ {
		r := cs.CreateDescribeClustersV1Request()
		r.PageNumber, r.PageSize = requests.NewInteger(page), requests.NewInteger(100)
		resp, err := c.cs.DescribeClustersV1(r)
		if err != nil {
			t.Fatal(err)
		}
		var body struct {
			Clusters []struct {
				ClusterID string `json:"cluster_id"`
			} `json:"clusters"`
			PageInfo struct{ PageNumber, PageSize, TotalCount int } `json:"page_info"`
		}
		if err := json.Unmarshal(resp.GetHttpContentBytes(), &body); err != nil {
			t.Fatal(err)
		}
		var info map[string]map[string]int
		_ = json.Unmarshal(resp.GetHttpContentBytes(), &info)
		if info["page_info"]["total_count"] != 300 || info["page_info"]["page_number"] != page || len(body.Clusters) != 100 {
			t.Fatalf("page %d: page_info %v, %d clusters", page, info["page_info"], len(body.Clusters))
		}
		for _, cl := range body.Clusters {
			seen[cl.ClusterID] = true
		}
	}
	if len(seen) != 300 {
		t.Fatalf("%d distinct clusters over 3 pages", len(seen))
	}

	r := cs.CreateDescribeClustersV1Request()
	r.QueryParams["profile"] = "Edge"
	r.PageSize = requests.NewInteger(100)
	resp, err := c.cs.DescribeClustersV1(r)
	if err != nil {
		t.Fatal(err)
	}
	var edge struct {
		Clusters []struct{ Profile string } `json:"clusters"`
	}
	_ = json.Unmarshal(resp.GetHttpContentBytes(), &edge)
	if len(edge.Clusters) != 17 {
		t.Fatalf("%d Edge clusters, want every 17th of 300", len(edge.Clusters))
	}
	for _, e := range edge.Clusters {
		if e.Profile != "Edge" {
			t.Errorf("profile filter let %q through", e.Profile)
		}
	}
}

func TestDemoClusterDetailAndKubeconfig(t *testing.T) {
	s := startWorld(t, "demo", sim.Options{})
	c := mainClients(t, s)
	resp, err := c.cs.DescribeClusterDetail(detailRequest(shopProd))
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		VpcID         string   `json:"vpc_id"`
		ExtraSANs     []string `json:"extra_sans"`
		MasterURL     string   `json:"master_url"`
		Profile       string   `json:"profile"`
		ContainerCIDR string   `json:"container_cidr"`
		VSwitchIDs    []string `json:"vswitch_ids"`
	}
	if err := json.Unmarshal(resp.GetHttpContentBytes(), &d); err != nil {
		t.Fatal(err)
	}
	var master map[string]string
	if err := json.Unmarshal([]byte(d.MasterURL), &master); err != nil || master["intranet_api_server_endpoint"] != "https://10.10.0.12:6443" {
		t.Fatalf("master_url %q is not a JSON string with the intranet endpoint", d.MasterURL)
	}
	if d.VpcID != vpcShopProd || !slices.Equal(d.ExtraSANs, []string{"shop-api.internal.example.com"}) || d.ContainerCIDR != "172.20.0.0/16" ||
		!slices.Equal(d.VSwitchIDs, []string{vswShopProdJ, vswShopProdI}) {
		t.Fatalf("detail %+v", d)
	}

	edge, err := c.cs.DescribeClusterDetail(detailRequest(edgeFactory))
	if err != nil || !strings.Contains(edge.GetHttpContentString(), `"profile":"Edge"`) {
		t.Fatalf("edge cluster detail: %v", err)
	}

	k := cs.CreateDescribeClusterUserKubeconfigRequest()
	k.ClusterId = shopProd
	kc, err := c.cs.DescribeClusterUserKubeconfig(k)
	if err != nil || !strings.Contains(kc.Config, "API server would be https://10.10.0.12:6443") || !strings.Contains(kc.Config, "server: https://127.0.0.1:1\n") {
		t.Fatalf("user kubeconfig: %v %q", err, kc.Config)
	}

	region := cs.CreateDescribeClustersV1Request()
	region.QueryParams["region_id"] = "cn-shanghai"
	rr, err := c.cs.DescribeClustersV1(region)
	if err != nil || !strings.Contains(rr.GetHttpContentString(), shAnalytics) || strings.Contains(rr.GetHttpContentString(), shopProd) {
		t.Fatalf("region filter: %v %s", err, rr.GetHttpContentString())
	}
}

func TestCenPaging(t *testing.T) {
	s := startWorld(t, "demo", sim.Options{})
	c := mainClients(t, s)
	cens, err := c.cbn.DescribeCens(cbn.CreateDescribeCensRequest())
	if err != nil || cens.TotalCount != 1 || cens.Cens.Cen[0].CenId != "cen-c0xp2s2o8pt4mx23sy" {
		t.Fatalf("DescribeCens: %v %+v", err, cens)
	}
	var children []string
	for page := 1; page <= 2; page++ {
		r := cbn.CreateDescribeCenAttachedChildInstancesRequest()
		r.CenId = "cen-c0xp2s2o8pt4mx23sy"
		r.PageNumber, r.PageSize = requests.NewInteger(page), requests.NewInteger(1)
		resp, err := c.cbn.DescribeCenAttachedChildInstances(r)
		if err != nil {
			t.Fatal(err)
		}
		if resp.TotalCount != 2 || len(resp.ChildInstances.ChildInstance) != 1 {
			t.Fatalf("page %d: %+v", page, resp)
		}
		children = append(children, resp.ChildInstances.ChildInstance[0].ChildInstanceId)
	}
	if !slices.Equal(children, []string{vpcASMProd, "vpc-bp1wwqc38hyf9sxmecosf"}) {
		t.Fatalf("attached VPCs %v", children)
	}
}

func TestEndpointListsPageByNextToken(t *testing.T) {
	s := startWorld(t, "large", sim.Options{})
	st := s.State()
	w := s.World()
	// The first generated VPC hosts a mesh; endpoints go in the second.
	consumer := w.VPCs[1]
	svc, err := st.CreateEndpointService(sim.EndpointServiceSpec{RegionID: "cn-hangzhou", ResourceType: "slb", ResourceID: w.Meshes[0].PilotLB,
		Zones: []string{"cn-hangzhou-h", "cn-hangzhou-i", "cn-hangzhou-j", "cn-hangzhou-k"}})
	if err != nil {
		t.Fatal(err)
	}
	var vsw sim.VSwitch
	for _, v := range consumer.VSwitches {
		if v.Zone != "cn-hangzhou-g" && v.FreeIPs > 130 {
			vsw = v
			break
		}
	}
	for i := range 120 {
		if _, err := st.CreateEndpoint(sim.EndpointSpec{RegionID: "cn-hangzhou", VpcID: consumer.ID, ServiceID: svc.ID,
			Name: "ep-" + strconv.Itoa(i), Zones: []sim.EndpointZone{{ZoneID: vsw.Zone, VSwitchID: vsw.ID}}}); err != nil {
			t.Fatal(err)
		}
	}
	c := mainClients(t, s)
	seen := map[string]bool{}
	token, pages := "", 0
	for {
		r := privatelink.CreateListVpcEndpointsRequest()
		r.MaxResults = requests.NewInteger(50)
		r.NextToken = token
		resp, err := c.pl.ListVpcEndpoints(r)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if resp.TotalCount != 120 || resp.MaxResults != 50 {
			t.Fatalf("TotalCount %d MaxResults %d", resp.TotalCount, resp.MaxResults)
		}
		for _, e := range resp.Endpoints {
			seen[e.EndpointId] = true
		}
		if token = resp.NextToken; token == "" {
			break
		}
	}
	if pages != 3 || len(seen) != 120 {
		t.Fatalf("%d pages, %d distinct endpoints", pages, len(seen))
	}

	bad := privatelink.CreateListVpcEndpointsRequest()
	bad.NextToken = "not-a-token"
	_, err = c.pl.ListVpcEndpoints(bad)
	serverError(t, err, "IllegalParam.NextToken", 400)

	byUser := privatelink.CreateListVpcEndpointServicesByEndUserRequest()
	byUser.ServiceName = svc.Name
	ur, err := c.pl.ListVpcEndpointServicesByEndUser(byUser)
	if err != nil || ur.TotalCount != "1" || ur.Services[0].ServiceId != svc.ID || ur.Services[0].ServiceDomain != svc.Domain {
		t.Fatalf("by end user: %v %+v", err, ur)
	}
}

func TestClustersForRegionPath(t *testing.T) {
	s := startWorld(t, "demo", sim.Options{})
	c := mainClients(t, s)
	r := requests.NewCommonRequest()
	r.Method, r.Product, r.Version = "GET", "CS", "2015-12-15"
	r.PathPattern = "/regions/cn-shanghai/clusters"
	resp, err := c.cs.ProcessCommonRequest(r)
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		Clusters []struct {
			ClusterID string `json:"cluster_id"`
		} `json:"clusters"`
	}
	if err := json.Unmarshal(resp.GetHttpContentBytes(), &body); err != nil || len(body.Clusters) != 1 || body.Clusters[0].ClusterID != shAnalytics {
		t.Fatalf("cn-shanghai clusters: %v %s", err, resp.GetHttpContentString())
	}
	r.PathPattern = "/regions/mars-north-1/clusters"
	_, err = c.cs.ProcessCommonRequest(r)
	if se := serverError(t, err, "", 400); !strings.Contains(se.Message(), `"code":"InvalidParameter"`) {
		t.Fatalf("unknown region: %s", se.Message())
	}
}

// TestMeshNotFoundAnswers checks that a world can answer a wrong mesh ID
// each way servicemesh does (404 ServiceMesh.NotFound, 403 StatusForbidden,
// 500, 503), on both the detail and the kubeconfig, and that a mesh of
// another region is not found either.
func TestMeshNotFoundAnswers(t *testing.T) {
	for answer, want := range map[string]struct {
		code   string
		status int
	}{
		"":                     {"ServiceMesh.NotFound", 404},
		"ServiceMesh.NotFound": {"ServiceMesh.NotFound", 404},
		"StatusForbidden":      {"StatusForbidden", 403},
		"InternalError":        {"InternalError", 500},
		"ServiceUnavailable":   {"ServiceUnavailable", 503},
	} {
		t.Run(answer, func(t *testing.T) {
			w, err := sim.LoadWorld("demo")
			if err != nil {
				t.Fatal(err)
			}
			w.MeshNotFound = answer
			s, err := sim.New(w, sim.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			c := mainClients(t, s)
			detail := servicemesh.CreateDescribeServiceMeshDetailRequest()
			detail.ServiceMeshId = "0000000000000000000000000000dead"
			_, err = c.mesh.DescribeServiceMeshDetail(detail)
			serverError(t, err, want.code, want.status)
			kc := servicemesh.CreateDescribeServiceMeshKubeconfigRequest()
			kc.ServiceMeshId = meshProd
			kc.RegionId = "cn-shanghai"
			_, err = c.mesh.DescribeServiceMeshKubeconfig(kc)
			serverError(t, err, want.code, want.status)
		})
	}
}
