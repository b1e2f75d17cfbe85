package edgewizard_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/cloud/sim"
	"github.com/asmlink/asmlink/testdata/worlds"
	"github.com/asmlink/asmlink/ui/edgewizard"
	"github.com/asmlink/asmlink/ui/prompt"
)

// startEdge serves the edge world, edited by the old/new pairs, and
// returns a client for it.
func startEdge(t *testing.T, edits ...string) *cloud.Client {
	t.Helper()
	data, err := worlds.Read("edge")
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for i := 0; i+1 < len(edits); i += 2 {
		text = strings.ReplaceAll(text, edits[i], edits[i+1])
	}
	w, err := sim.ParseWorld("edge.yaml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := sim.New(w, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	id, secret := srv.AccessKey()
	c, err := cloud.New(context.Background(), cloud.Config{
		Region: srv.Region(), Endpoint: srv.URL(), Credentials: credentials.NewStaticAKCredentialsProvider(id, secret),
		Retry: cloud.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, CallTimeout: 5 * time.Second},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestAskListsEdgeClustersFirstAndFindsServicesByName(t *testing.T) {
	api := startEdge(t)
	var out bytes.Buffer
	a, err := edgewizard.Ask(context.Background(), prompt.New(strings.NewReader("2\n10.8.0.0/16, 10.9.0.0/16\n"), &out, prompt.Options{Accessible: true}), api)
	if err != nil {
		t.Fatal(err)
	}
	if a.ClusterID != "ca68ef786e4d3cea27d26934b484e73cf" || a.ACRService != "" || a.ACKService != "" ||
		!slices.Equal(a.OnPremCIDRs, []string{"10.8.0.0/16, 10.9.0.0/16"}) {
		t.Fatalf("answers %+v", a)
	}
	lines := out.String()
	first, second, third := strings.Index(lines, "1. edge-dc"), strings.Index(lines, "2. edge-lab"), strings.Index(lines, "3. cloud-apps")
	if first < 0 || second < first || third < second || strings.Contains(lines[third:strings.Index(lines[third:], "\n")+third], "[edge]") {
		t.Fatalf("edge clusters are not listed first and marked:\n%s", lines)
	}
}

func TestAskForServiceIDsThatAreNotNamedLikeThem(t *testing.T) {
	api := startEdge(t,
		"com.aliyuncs.privatelink.cn-hangzhou.acr", "com.aliyuncs.privatelink.cn-hangzhou.epsrv-bp1hym4l1vfz3zfkkibj3j4",
		"com.aliyuncs.privatelink.cn-hangzhou.ack", "com.aliyuncs.privatelink.cn-hangzhou.epsrv-bp1wj99ibag7i1mnbqns6pu")
	in := strings.Join([]string{
		"1",                             // edge-dc
		"",                              // no ACR ID: asked again
		"epsrv-bp1doesnotexist0000",     // not visible: asked again
		"epsrv-bp1hym4l1vfz3zfkkibj3j4", // ACR
		"com.aliyuncs.privatelink.cn-hangzhou.epsrv-bp1wj99ibag7i1mnbqns6pu", // ACK by name
		"10.0.0.0/33", // not a CIDR: asked again
		"-",           // none
	}, "\n") + "\n"
	var out bytes.Buffer
	a, err := edgewizard.Ask(context.Background(), prompt.New(strings.NewReader(in), &out, prompt.Options{Accessible: true}), api)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if a.ACRService != "epsrv-bp1hym4l1vfz3zfkkibj3j4" || a.ACKService != "com.aliyuncs.privatelink.cn-hangzhou.epsrv-bp1wj99ibag7i1mnbqns6pu" || a.OnPremCIDRs != nil {
		t.Fatalf("answers %+v", a)
	}
	for _, want := range []string{
		"no visible endpoint service is named like it; pass its ID with --acr-service",
		"submit a ticket to have the Container Registry (system component images) service published",
		"--acr-service epsrv-bp1doesnotexist0000 is not visible to this account",
		`"10.0.0.0/33" is not a CIDR block`,
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the wizard did not say %q:\n%s", want, out.String())
		}
	}
}

func TestAskEndsWithInput(t *testing.T) {
	api := startEdge(t)
	_, err := edgewizard.Ask(context.Background(), prompt.New(strings.NewReader("1\n"), &bytes.Buffer{}, prompt.Options{Accessible: true}), api)
	if !errors.Is(err, prompt.ErrCancelled) {
		t.Fatalf("end of input: %v", err)
	}
}
