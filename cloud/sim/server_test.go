package sim_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/cs"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/privatelink"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/servicemesh"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/asmlink/asmlink/cloud/sim"
)

var requestIDShape = regexp.MustCompile(`^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$`)

func TestRPCCallSignedWithTheWorldKeySucceeds(t *testing.T) {
	s := startWorld(t, "demo", sim.Options{})
	c := mainClients(t, s)
	resp, err := c.mesh.DescribeServiceMeshes(servicemesh.CreateDescribeServiceMeshesRequest())
	if err != nil {
		t.Fatal(err)
	}
	if !requestIDShape.MatchString(resp.RequestId) {
		t.Errorf("RequestId %q is not an upper-case UUID", resp.RequestId)
	}
	if len(resp.ServiceMeshes) != 2 || resp.ServiceMeshes[0].ServiceMeshInfo.ServiceMeshId != meshProd {
		t.Fatalf("want mesh-prod and mesh-staging, got %+v", resp.ServiceMeshes)
	}
	if s.Calls() != 1 {
		t.Errorf("Calls() = %d, want 1", s.Calls())
	}
}

func TestUnknownAccessKeyIsRejected(t *testing.T) {
	s := startWorld(t, "demo", sim.Options{})
	c := newClients(t, s, "LTAI5tNoSuchKey00000000", "whatever")
	_, err := c.vpc.DescribeVpcs(vpc.CreateDescribeVpcsRequest())
	serverError(t, err, "InvalidAccessKeyId.NotFound", 404)

	// ACK answers in its own lower-case shape: the V1 SDK leaves ErrorCode
	// empty and the code is in the body.
	_, err = c.cs.DescribeClusterDetail(detailRequest(shopProd))
	se := serverError(t, err, "", 404)
	var body struct{ Code, Message, RequestId string }
	if jerr := json.Unmarshal([]byte(se.Message()), &body); jerr != nil || body.Code != "InvalidAccessKeyId.NotFound" || body.RequestId == "" {
		t.Fatalf("want lower-case CS error body, got %q", se.Message())
	}
}

func TestWrongSecretGivesSignatureDoesNotMatchWithServerStringToSign(t *testing.T) {
	s := startWorld(t, "demo", sim.Options{})
	id, _ := s.AccessKey()
	c := newClients(t, s, id, "not-the-secret")
	_, err := c.pl.CheckProductOpen(privatelink.CreateCheckProductOpenRequest())
	se := serverError(t, err, "SignatureDoesNotMatch", 400)
	if !strings.Contains(se.Message(), "server string to sign is:POST&%2F&") {
		t.Errorf("message %q lacks the server string to sign", se.Message())
	}
	// The strings to sign agree, so the SDK blames the secret.
	if !strings.Contains(se.Recommend(), "InvalidAccessKeySecret") {
		t.Errorf("SDK recommend %q does not blame the secret: the server's string to sign differs from the SDK's", se.Recommend())
	}

	_, err = c.cs.DescribeClustersV1(cs.CreateDescribeClustersV1Request())
	se = serverError(t, err, "", 400)
	if !strings.Contains(se.Message(), "SignatureDoesNotMatch") {
		t.Errorf("CS error %q is not SignatureDoesNotMatch", se.Message())
	}
}

func TestRestrictedKeyIsForbiddenOnlyTheDeniedAPIs(t *testing.T) {
	s := startWorld(t, "demo", sim.Options{})
	var secret string
	for _, k := range s.World().AccessKeys {
		if k.ID == readOnlyKeyID {
			secret = k.Secret
		}
	}
	c := newClients(t, s, readOnlyKeyID, secret)
	if _, err := c.mesh.DescribeServiceMeshes(servicemesh.CreateDescribeServiceMeshesRequest()); err != nil {
		t.Fatalf("read API denied to the read-only key: %v", err)
	}
	req := servicemesh.CreateAddClusterIntoServiceMeshRequest()
	req.ServiceMeshId, req.ClusterId = meshProd, inventory
	_, err := c.mesh.AddClusterIntoServiceMesh(req)
	se := serverError(t, err, "Forbidden.RAM", 403)
	if se.AccessDeniedDetail()["AuthAction"] != "servicemesh:AddClusterIntoServiceMesh" {
		t.Errorf("AccessDeniedDetail = %v", se.AccessDeniedDetail())
	}
	_, err = c.cs.ModifyCluster(modifyRequest(shopProd, `{"api_server_custom_cert_sans":{"action":"append","subject_alternative_names":["a.example.com"]}}`))
	se = serverError(t, err, "", 403)
	if !strings.Contains(se.Message(), `"code":"Forbidden.RAM"`) {
		t.Errorf("CS forbidden body = %q", se.Message())
	}
}

func TestUnknownActionAndMissingParameter(t *testing.T) {
	s := startWorld(t, "demo", sim.Options{})
	c := mainClients(t, s)
	r := requests.NewCommonRequest()
	r.Version, r.ApiName = "2020-01-11", "DescribeNothing"
	_, err := c.mesh.ProcessCommonRequest(r)
	serverError(t, err, "InvalidAction.NotFound", 404)

	_, err = c.mesh.DescribeServiceMeshDetail(servicemesh.CreateDescribeServiceMeshDetailRequest())
	serverError(t, err, "MissingParameter", 400)

	req := servicemesh.CreateDescribeServiceMeshDetailRequest()
	req.ServiceMeshId = "0000000000000000000000000000dead"
	_, err = c.mesh.DescribeServiceMeshDetail(req)
	serverError(t, err, "ServiceMesh.NotFound", 404)

	vs := vpc.CreateDescribeVSwitchesRequest()
	vs.VpcId = "vpc-bp1doesnotexist000000"
	_, err = c.vpc.DescribeVSwitches(vs)
	serverError(t, err, "InvalidVpcId.NotFound", 404)

	_, err = c.cs.DescribeClusterDetail(detailRequest("c00000000000000000000000000000000"))
	se := serverError(t, err, "", 404)
	if !strings.Contains(se.Message(), "ErrorClusterNotFound") {
		t.Errorf("CS not-found body = %q", se.Message())
	}
}

func TestSameActionRoutesByVersion(t *testing.T) {
	s := startWorld(t, "demo", sim.Options{})
	c := mainClients(t, s)
	vz, err := c.vpc.DescribeZones(vpc.CreateDescribeZonesRequest())
	if err != nil {
		t.Fatal(err)
	}
	pz, err := c.pl.DescribeZones(privatelink.CreateDescribeZonesRequest())
	if err != nil {
		t.Fatal(err)
	}
	// Zone b has no PrivateLink: vpc lists it, privatelink does not.
	if len(vz.Zones.Zone) != 5 || len(pz.Zones.Zone) != 4 {
		t.Fatalf("vpc zones %d, privatelink zones %d; want 5 and 4", len(vz.Zones.Zone), len(pz.Zones.Zone))
	}
	for _, z := range pz.Zones.Zone {
		if z.ZoneId == "cn-hangzhou-b" {
			t.Error("privatelink DescribeZones lists cn-hangzhou-b")
		}
	}
}

func TestNonLoopbackAddressIsRefusedUnlessAllowed(t *testing.T) {
	w, err := sim.LoadWorld("demo")
	if err != nil {
		t.Fatal(err)
	}
	_, err = sim.New(w, sim.Options{Addr: "0.0.0.0:0"})
	if err == nil || !strings.Contains(err.Error(), "not a loopback address") {
		t.Fatalf("want loopback refusal, got %v", err)
	}
	s, err := sim.New(w, sim.Options{Addr: "localhost:0"})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
}

func detailRequest(id string) *cs.DescribeClusterDetailRequest {
	r := cs.CreateDescribeClusterDetailRequest()
	r.ClusterId = id
	return r
}

func modifyRequest(id, body string) *cs.ModifyClusterRequest {
	r := cs.CreateModifyClusterRequest()
	r.ClusterId = id
	r.SetContent([]byte(body))
	r.SetContentType("application/json")
	return r
}
