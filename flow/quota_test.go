package flow

import (
	"context"
	"strings"
	"testing"

	"github.com/asmlink/asmlink/cloud"
)

// runQuota runs the endpoint quota check for cluster A of the fixture,
// which has no ASMPvlConfig entry yet, with the given quota.
func runQuota(t *testing.T, q cloud.EndpointQuota) Result {
	t.Helper()
	env := fixture()
	env.ClusterID = idA
	env.EndpointQuota = q
	c, _ := CheckByCode(CodeEndpointQuota)
	return Runner{}.Run(context.Background(), env, []Check{c})[0]
}

// TestEndpointQuotaEachAnswer proves the check on each plausible answer of
// Quota Center: the documented per-VPC and per-account quotas, a
// region-wide endpoint quota, no quota served, and the quota unread.
func TestEndpointQuotaEachAnswer(t *testing.T) {
	for _, tc := range []struct {
		name   string
		q      cloud.EndpointQuota
		status Status
		want   []string
	}{
		{"per VPC room", cloud.EndpointQuota{PerVPC: 1000, Services: 200, ByVPC: map[string]int{"vpc-mesh": 998}, ServicesUsed: 5},
			StatusPass, []string{"least room: endpoints in the ASM VPC vpc-mesh: 998 in use + 1 needed, quota 1000"}},
		{"ASM VPC full", cloud.EndpointQuota{PerVPC: 1000, Services: 200, ByVPC: map[string]int{"vpc-mesh": 1000, "vpc-a": 3}},
			StatusFail, []string{"would go over 1 PrivateLink quota(s)", "endpoints in the ASM VPC vpc-mesh: 1000 in use + 1 needed, quota 1000"}},
		{"cluster VPC full", cloud.EndpointQuota{PerVPC: 4, ByVPC: map[string]int{"vpc-mesh": 1, "vpc-a": 4}},
			StatusFail, []string{"endpoints in the cluster's VPC vpc-a: 4 in use + 1 needed, quota 4"}},
		{"services full", cloud.EndpointQuota{PerVPC: 1000, Services: 200, ServicesUsed: 200},
			StatusFail, []string{"endpoint services of the account: 200 in use + 1 needed, quota 200"}},
		{"region room", cloud.EndpointQuota{PerRegion: 50, Endpoints: 48}, StatusPass, []string{"endpoints in region cn-hangzhou: 48 in use + 2 needed, quota 50"}},
		{"region full", cloud.EndpointQuota{PerRegion: 50, Endpoints: 49}, StatusFail, []string{"endpoints in region cn-hangzhou: 49 in use + 2 needed, quota 50"}},
		{"none served", cloud.EndpointQuota{}, StatusWarn, []string{"Quota Center answered no PrivateLink quota", cloud.QuotaConsoleURL}},
		{"unread", cloud.EndpointQuota{Unread: "quotas.ListProductQuotas: permission denied"}, StatusWarn,
			[]string{"could not be read (quotas.ListProductQuotas: permission denied)", cloud.QuotaConsoleURL}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runQuota(t, tc.q)
			text := r.Message + "\n" + strings.Join(r.Details, "\n")
			if r.Status != tc.status {
				t.Errorf("status %s, want %s: %s", r.Status, tc.status, text)
			}
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("result lacks %q:\n%s", w, text)
				}
			}
			if (r.Status == StatusFail) != (r.Fix != nil) {
				t.Errorf("fix %+v for status %s", r.Fix, r.Status)
			}
		})
	}
}

// TestEndpointQuotaLinkedClusterNeedsNothing: cluster B has its entry, so
// its endpoints exist and a full quota does not fail it.
func TestEndpointQuotaLinkedClusterNeedsNothing(t *testing.T) {
	env := fixture()
	env.ClusterID = idB
	env.EndpointQuota = cloud.EndpointQuota{PerVPC: 1, ByVPC: map[string]int{"vpc-mesh": 1, "vpc-b": 1}}
	c, _ := CheckByCode(CodeEndpointQuota)
	if r := (Runner{}).Run(context.Background(), env, []Check{c})[0]; r.Status != StatusPass || !strings.Contains(r.Message, "no new endpoint is needed") {
		t.Errorf("%s %q, want pass: no new endpoint", r.Status, r.Message)
	}
}
