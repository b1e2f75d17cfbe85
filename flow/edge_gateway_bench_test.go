package flow

import (
	"fmt"
	"testing"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/spec/gateway"
)

// BenchmarkPlanGateway plans an update of a 50-port gateway among 200
// others on one CLB, the largest istio-system asmlink expects, and renders
// it as YAML.
func BenchmarkPlanGateway(b *testing.B) {
	var ports []gateway.Port
	for i := range 50 {
		ports = append(ports, gateway.Port{Name: fmt.Sprintf("p%d", i), Port: 10000 + i, TargetPort: 10000 + i, Protocol: "TCP"})
	}
	clb := gateway.CLB{Type: gateway.Intranet, ID: "lb-bp1edgegwprivate0001"}
	var others []gateway.IstioGateway
	for i := range 200 {
		others = append(others, *gateway.New(fmt.Sprintf("gw-%d", i), []string{"c1"}, clb, []gateway.Port{{Name: "x", Port: 20000 + i, TargetPort: 20000 + i, Protocol: "TCP"}}, 1))
	}
	f := &GatewayFacts{Cluster: cloud.Cluster{ID: "c8d41bed440e50454f31af3176813e02e", Profile: "Edge"}, Live: gateway.New("edge", []string{"c2"}, clb, ports, 2), Others: others}
	req := GatewayRequest{Name: "edge", CLBID: clb.ID, CLBType: gateway.Intranet, Ports: ports}
	b.ReportAllocs()
	for b.Loop() {
		p, err := PlanGateway(f, req)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := p.Desired.YAML("review"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWorkloadsOf groups the 2,000 pods of a large namespace.
func BenchmarkWorkloadsOf(b *testing.B) {
	var pods []string
	for i := range 2000 {
		pods = append(pods, fmt.Sprintf("app%d-6c8f7d9b5d-h4j8k", i%200))
	}
	b.ReportAllocs()
	for b.Loop() {
		if len(WorkloadsOf("big", pods)) != 200 {
			b.Fatal("wrong grouping")
		}
	}
}
