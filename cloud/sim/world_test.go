package sim_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/asmlink/asmlink/cloud/sim"
)

func TestBuiltinWorldsLoad(t *testing.T) {
	if got := sim.BuiltinWorlds(); !slices.Equal(got, []string{"demo", "edge", "forbidden", "large", "privatelink-off"}) {
		t.Fatalf("built-in worlds %v", got)
	}
	large, err := sim.LoadWorld("large")
	if err != nil {
		t.Fatal(err)
	}
	vsw := 0
	for _, v := range large.VPCs {
		vsw += len(v.VSwitches)
	}
	if len(large.Meshes) != 5 || len(large.Clusters) != 300 || len(large.VPCs) != 40 || vsw != 2000 {
		t.Fatalf("large: %d meshes, %d clusters, %d VPCs, %d vSwitches", len(large.Meshes), len(large.Clusters), len(large.VPCs), vsw)
	}
	again, _ := sim.LoadWorld("large")
	if again.Clusters[123].ID != large.Clusters[123].ID || again.VPCs[7].VSwitches[3].ID != large.VPCs[7].VSwitches[3].ID {
		t.Fatal("large world is not deterministic")
	}
	off, err := sim.LoadWorld("privatelink-off")
	if err != nil || off.PrivateLink.Activated || off.PrivateLink.EndpointQuota != 1 {
		t.Fatalf("privatelink-off: %v %+v", err, off.PrivateLink)
	}
}

func TestWorldErrorsNameFileLineAndField(t *testing.T) {
	demo, err := os.ReadFile("../../testdata/worlds/demo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cases := []struct {
		name, from, to, want string
	}{
		{"unknown field", "    pod_cidr: 172.22.0.0/16\n", "    pod_cidr: 172.22.0.0/16\n    pod_cidrs: 10.0.0.0/8\n", "field pod_cidrs not found"},
		{"bad reference", "    vpc: vpc-bp1wwqc38hyf9sxmecosf\n    vswitches: [vsw-bp1pgw90jpkl0blv0prkg", "    vpc: vpc-bp1wwqc38hyf9sxmecosf\n    vswitches: [vsw-bp1msnd8dudd467kd6fle", "clusters[1].vswitches[0]: vSwitch \"vsw-bp1msnd8dudd467kd6fle\" is not in VPC vpc-bp1wwqc38hyf9sxmecosf"},
		{"bad duration", "  endpoint: 20s\n", "  endpoint: soon\n", `"soon" is not a duration`},
		{"bad zone", "cn-hangzhou-k, cidr: 10.60.0.0/20", "cn-hangzhou-z, cidr: 10.60.0.0/20", `vpcs[6].vswitches[0].zone: "cn-hangzhou-z" is not a zone of region cn-hangzhou`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(string(demo), tc.from) {
				t.Fatalf("demo.yaml no longer contains %q", tc.from)
			}
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".yaml")
			text := strings.Replace(string(demo), tc.from, tc.to, 1)
			if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := sim.LoadWorld(path)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) {
				t.Fatalf("want an error naming %s and %q, got %v", path, tc.want, err)
			}
			line := lineOfEdit(text, tc.to)
			if !strings.Contains(err.Error(), "line "+line) && !strings.Contains(err.Error(), path+":"+line) {
				t.Errorf("error %q does not give line %s", err, line)
			}
		})
	}

	_, err = sim.LoadWorld("no-such-world")
	if err == nil || !strings.Contains(err.Error(), "demo, edge, forbidden, large, privatelink-off") {
		t.Fatalf("unknown built-in world: %v", err)
	}
}

// lineOfEdit is the 1-based line of the last line of the edit to within
// text: the line the error must point at.
func lineOfEdit(text, to string) string {
	i := strings.Index(text, to)
	return strconv.Itoa(strings.Count(text[:i], "\n") + 1 + strings.Count(strings.TrimSuffix(to, "\n"), "\n"))
}

func TestMissingAccessKeyAndACS3Signature(t *testing.T) {
	s := startWorld(t, "demo", sim.Options{})
	resp, err := http.Get(s.URL() + "/?Action=DescribeZones&Version=2016-04-28&RegionId=cn-hangzhou")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 400 || !strings.Contains(string(body), `"Code":"MissingAccessKeyId"`) {
		t.Fatalf("unsigned call: %d %s", resp.StatusCode, body)
	}

	id, secret := s.AccessKey()
	call := func(secret string) (int, string) {
		req := acs3Request(t, s.URL(), id, secret, "2020-01-11", "DescribeServiceMeshes", url.Values{"RegionId": {"cn-hangzhou"}})
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := call(secret); code != 200 || !strings.Contains(body, meshProd) {
		t.Fatalf("ACS3-signed call: %d %s", code, body)
	}
	if code, body := call("wrong"); code != 400 || !strings.Contains(body, "SignatureDoesNotMatch") {
		t.Fatalf("ACS3 call with the wrong secret: %d %s", code, body)
	}
}

// acs3Request signs a request the way the Tea SDK (darabonba-openapi)
// does by default: action and version in headers, ACS3-HMAC-SHA256.
func acs3Request(t *testing.T, base, id, secret, version, action string, query url.Values) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, base+"/?"+query.Encode(), nil)
	if err != nil {
		t.Fatal(err)
	}
	empty := sha256.Sum256(nil)
	headers := map[string]string{
		"host": req.URL.Host, "x-acs-action": action, "x-acs-version": version,
		"x-acs-date": "2026-03-04T10:00:00Z", "x-acs-signature-nonce": "5f1c0e3d9a", "x-acs-content-sha256": hex.EncodeToString(empty[:]),
	}
	var names []string
	for k, v := range headers {
		names = append(names, k)
		if k != "host" {
			req.Header.Set(k, v)
		}
	}
	sort.Strings(names)
	var canonHeaders strings.Builder
	for _, n := range names {
		canonHeaders.WriteString(n + ":" + headers[n] + "\n")
	}
	var keys []string
	for k := range query {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var q []string
	for _, k := range keys {
		q = append(q, url.QueryEscape(k)+"="+url.QueryEscape(query.Get(k)))
	}
	signed := strings.Join(names, ";")
	canonical := strings.Join([]string{"GET", "/", strings.Join(q, "&"), canonHeaders.String(), signed, headers["x-acs-content-sha256"]}, "\n")
	sum := sha256.Sum256([]byte(canonical))
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("ACS3-HMAC-SHA256\n" + hex.EncodeToString(sum[:])))
	req.Header.Set("Authorization", "ACS3-HMAC-SHA256 Credential="+id+",SignedHeaders="+signed+",Signature="+hex.EncodeToString(mac.Sum(nil)))
	return req
}
