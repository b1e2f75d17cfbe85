package flow

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/asmlink/asmlink/cloud"
)

func TestInjectionOfFollowsTheInjectorsNamespaceSelector(t *testing.T) {
	labelOnly, byDefault := cloud.InjectionPolicy{}, cloud.InjectionPolicy{EnableNamespacesByDefault: true}
	for _, tc := range []struct {
		labels map[string]string
		policy cloud.InjectionPolicy
		want   bool
	}{
		{map[string]string{"istio-injection": "enabled"}, labelOnly, true},
		{map[string]string{"istio-injection": "disabled"}, byDefault, false},
		{map[string]string{"istio-injection": "disabled", "istio.io/rev": "canary"}, labelOnly, false},
		{map[string]string{"istio.io/rev": "canary"}, labelOnly, true},
		{nil, labelOnly, false},
		{nil, byDefault, true},
	} {
		if got := InjectionOf("ns", tc.labels, tc.policy); got.Enabled != tc.want || got.Reason == "" {
			t.Errorf("labels %v, by default %v: %+v, want enabled %v with a reason", tc.labels, tc.policy.EnableNamespacesByDefault, got, tc.want)
		}
	}
}

func TestWorkloadsOfGroupsPodsByController(t *testing.T) {
	got := WorkloadsOf("iot", []string{
		"ingest-6c8f7d9b5d-h4j8k", "ingest-6c8f7d9b5d-m2n6p", "ingest-7f9c8b6d54-x2k9p",
		"registry-0", "registry-1", "agent-7xk2q", "debug",
	})
	var keys []string
	for _, w := range got {
		keys = append(keys, w.Kind+"/"+w.Name+"="+strings.Join(w.Pods, ","))
	}
	want := []string{
		"deployment/ingest=ingest-6c8f7d9b5d-h4j8k,ingest-6c8f7d9b5d-m2n6p,ingest-7f9c8b6d54-x2k9p",
		"statefulset/registry=registry-0,registry-1",
		"daemonset/agent=agent-7xk2q",
		"pod/debug=debug",
	}
	if !slices.Equal(keys, want) {
		t.Fatalf("workloads\n%v\nwant\n%v", keys, want)
	}
	if got[3].Restart != "kubectl -n iot delete pod debug" {
		t.Fatalf("a lone pod's restart: %q", got[3].Restart)
	}
}

func TestParseGatewayPortsDefaults(t *testing.T) {
	ps, err := ParseGatewayPorts([]string{"80,443", "mqtt=1883:11883/tcp", "5353/UDP"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range ps {
		got = append(got, p.Name+":"+strconv.Itoa(p.Port)+">"+strconv.Itoa(p.TargetPort)+"/"+p.Protocol)
	}
	want := []string{"http2:80>80/TCP", "https:443>443/TCP", "mqtt:1883>11883/TCP", "tcp-5353:5353>5353/UDP"}
	if !slices.Equal(got, want) {
		t.Fatalf("ports %v, want %v", got, want)
	}
	// A Service port is unique per protocol: 53 over UDP and TCP is two
	// ports, 53 over TCP twice is a clash.
	if _, err := ParseGatewayPorts([]string{"dns=53/UDP", "dns-tcp=53/TCP"}); err != nil {
		t.Fatalf("one port over two protocols: %v", err)
	}
	if _, err := ParseGatewayPorts([]string{"dns=53", "dns-tcp=53"}); err == nil || !strings.Contains(err.Error(), "mapped twice") {
		t.Fatalf("one port twice over TCP: %v", err)
	}
}
