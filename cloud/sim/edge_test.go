package sim_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/privatelink"

	"github.com/asmlink/asmlink/cloud/sim"
	"github.com/asmlink/asmlink/testdata/worlds"
)

// Edge world IDs.
const (
	edgeACRService = "epsrv-bp1hym4l1vfz3zfkkibj3j4"
	edgeACKService = "epsrv-bp1wj99ibag7i1mnbqns6pu"
	vpcEdgeDC      = "vpc-bp15v2seh60kvj50ce9uvw5"
	vswEdgeDCG     = "vsw-bp13efr4edt2sywb3wkh5dn"
	vswEdgeDCH     = "vsw-bp1jfljooa5lqsaj08xui6d"
	vswEdgeDCK     = "vsw-bp139zzzzg4zdmen2khvdga"
)

func TestPublishedServicesAreVisibleToTheAccountOnly(t *testing.T) {
	s := startWorld(t, "edge", sim.Options{})
	c := mainClients(t, s)

	byUser, err := c.pl.ListVpcEndpointServicesByEndUser(privatelink.CreateListVpcEndpointServicesByEndUserRequest())
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, svc := range byUser.Services {
		ids = append(ids, svc.ServiceId)
		// The consumer's view carries no status (SDK model).
		if svc.ServiceStatus != "" || !slices.Equal(svc.Zones, []string{"cn-hangzhou-g", "cn-hangzhou-k"}) ||
			svc.ServiceDomain != svc.ServiceId+".cn-hangzhou.privatelink.aliyuncs.com" {
			t.Errorf("published service as the end user sees it: %+v", svc)
		}
	}
	if !slices.Equal(ids, []string{edgeACRService, edgeACKService}) || byUser.TotalCount != "2" {
		t.Fatalf("end user sees %v (total %s), want the ACR and ACK services", ids, byUser.TotalCount)
	}

	byName := privatelink.CreateListVpcEndpointServicesByEndUserRequest()
	byName.ServiceName = "com.aliyuncs.privatelink.cn-hangzhou.ack"
	named, err := c.pl.ListVpcEndpointServicesByEndUser(byName)
	if err != nil || len(named.Services) != 1 || named.Services[0].ServiceId != edgeACKService {
		t.Fatalf("by name: %v %+v", err, named)
	}

	own, err := c.pl.ListVpcEndpointServices(privatelink.CreateListVpcEndpointServicesRequest())
	if err != nil || len(own.Services) != 0 {
		t.Fatalf("the provider's own listing must leave out published services: %v %+v", err, own.Services)
	}
}

func TestEndpointToPublishedServiceConnectsOnlyInServedZones(t *testing.T) {
	clock := newFakeClock()
	s := startWorld(t, "edge", sim.Options{Clock: clock.Now})
	c := mainClients(t, s)

	req := privatelink.CreateCreateVpcEndpointRequest()
	req.VpcId = vpcEdgeDC
	req.ServiceId = edgeACRService
	req.SecurityGroupId = &[]string{"sg-bp1edgedc00000000001"}
	req.Zone = &[]privatelink.CreateVpcEndpointZone{
		{ZoneId: "cn-hangzhou-g", VSwitchId: vswEdgeDCG},
		{ZoneId: "cn-hangzhou-h", VSwitchId: vswEdgeDCH},
	}
	req.DryRun = requests.NewBoolean(true)
	_, err := c.pl.CreateVpcEndpoint(req)
	serverError(t, err, "DryRunOperation", 400)
	if n := len(s.State().Endpoints()); n != 0 {
		t.Fatalf("a dry run created %d endpoints", n)
	}

	req.DryRun = requests.NewBoolean(false)
	created, err := c.pl.CreateVpcEndpoint(req)
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(25 * time.Second)

	zr := privatelink.CreateListVpcEndpointZonesRequest()
	zr.EndpointId = created.EndpointId
	zones, err := c.pl.ListVpcEndpointZones(zr)
	if err != nil {
		t.Fatal(err)
	}
	status := map[string]string{}
	for _, z := range zones.Zones {
		status[z.ZoneId] = z.ZoneStatus
		if !strings.HasPrefix(z.EniIp, "10.100.") || !strings.HasSuffix(z.ZoneDomain, "."+edgeACRService+".cn-hangzhou.privatelink.aliyuncs.com") {
			t.Errorf("zone %+v: IP not in the vSwitch or domain not under the service", z)
		}
	}
	if status["cn-hangzhou-g"] != "Connected" || status["cn-hangzhou-h"] != "Wait" {
		t.Fatalf("zone states %v: want g Connected (served) and h Wait (not served)", status)
	}

	ar := privatelink.CreateGetVpcEndpointAttributeRequest()
	ar.EndpointId = created.EndpointId
	attr, err := c.pl.GetVpcEndpointAttribute(ar)
	if err != nil || attr.EndpointStatus != "Active" || attr.ConnectionStatus != "Connected" || attr.ServiceName != "com.aliyuncs.privatelink.cn-hangzhou.acr" {
		t.Fatalf("endpoint after the delay: %v %+v", err, attr)
	}
}

func TestWorldRejectsPublishedServiceOutsidePrivateLinkZones(t *testing.T) {
	data, err := worlds.Read("edge")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, old, new, want string
	}{
		{"zone without PrivateLink", "zones: [cn-hangzhou-g, cn-hangzhou-k]\n    description: Container", "zones: [cn-hangzhou-b]\n    description: Container",
			`published_services[0].zones[0]: "cn-hangzhou-b" is not a PrivateLink zone`},
		{"bad ID", "id: epsrv-bp1hym4l1vfz3zfkkibj3j4", "id: epsrv-x", `published_services[0].id: "epsrv-x" is not an endpoint service ID`},
		{"listed twice", "id: epsrv-bp1wj99ibag7i1mnbqns6pu", "id: epsrv-bp1hym4l1vfz3zfkkibj3j4", "published_services[1]: epsrv-bp1hym4l1vfz3zfkkibj3j4 is listed twice"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			edited := strings.Replace(string(data), tc.old, tc.new, 1)
			if edited == string(data) {
				t.Fatalf("the edge world no longer contains %q", tc.old)
			}
			_, err := sim.ParseWorld("edge.yaml", []byte(edited))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("ParseWorld: %v, want it to contain %q", err, tc.want)
			}
		})
	}
}
