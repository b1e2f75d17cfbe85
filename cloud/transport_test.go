package cloud

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
)

func TestEndpointOverrideIgnoresTheProxy(t *testing.T) {
	// A proxy that does not exist: any request sent to it fails.
	for _, k := range []string{"HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy"} {
		t.Setenv(k, "http://127.0.0.1:1")
	}
	t.Setenv("NO_PROXY", "")
	t.Setenv("no_proxy", "")
	srv := startSim(t, "demo", nil)
	c := newSimClient(t, srv, nil)
	if _, err := c.Meshes(context.Background()); err != nil {
		t.Fatalf("RPC call through the endpoint override with HTTP_PROXY set: %v", err)
	}
	if _, err := c.Clusters(context.Background()); err != nil {
		t.Fatalf("ROA call through the endpoint override with HTTP_PROXY set: %v", err)
	}
}

func TestEndpointMustBeABaseURL(t *testing.T) {
	for _, endpoint := range []string{"127.0.0.1:8080", "ftp://127.0.0.1", "http://"} {
		_, err := New(context.Background(), Config{Region: "cn-hangzhou", Endpoint: endpoint, Credentials: credentials.NewStaticAKCredentialsProvider("a", "b")})
		if KindOf(err) != KindInvalid || !strings.Contains(err.Error(), "--endpoint") {
			t.Errorf("endpoint %q: err = %v, want an error naming --endpoint", endpoint, err)
		}
	}
}

func TestDebugLogNamesCallsButNoSecret(t *testing.T) {
	srv := startSim(t, "demo", nil)
	id, secret := srv.AccessKey()
	var log syncBuffer
	c := newSimClient(t, srv, func(cfg *Config) {
		cfg.Debug = &log
		cfg.Credentials = credentials.NewStaticSTSCredentialsProvider(id, secret, "STS-token-must-not-be-logged")
	})
	ctx := context.Background()
	meshID := srv.World().Meshes[0].ID
	kubeconfig, err := c.MeshKubeconfig(ctx, meshID, true)
	if err != nil {
		t.Fatalf("MeshKubeconfig: %v", err)
	}
	if _, err := c.Clusters(ctx); err != nil {
		t.Fatalf("Clusters: %v", err)
	}
	if _, err := c.Cluster(ctx, "c00000000000000000000000000000000"); !IsNotFound(err) {
		t.Fatalf("Cluster of an unknown ID: %v", err)
	}
	bad := newSimClient(t, srv, func(cfg *Config) {
		cfg.Debug = &log
		cfg.Credentials = credentials.NewStaticAKCredentialsProvider(id, "wrong-secret-must-not-be-logged")
	})
	if _, err := bad.VPCs(ctx); KindOf(err) != KindCredentials {
		t.Fatalf("VPCs with a wrong secret: %v", err)
	}

	out := log.String()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	line := regexp.MustCompile(`^debug: cloud (servicemesh|cs|vpc|privatelink) [A-Za-z0-9]+ status=(\d{3}|-) duration=\S+ attempt=\d+( error=\S+)?$`)
	for _, l := range lines {
		if !line.MatchString(l) {
			t.Errorf("debug line %q is not: product action status duration attempt", l)
		}
	}
	for _, want := range []string{"servicemesh DescribeServiceMeshKubeconfig status=200", "cs DescribeClustersV1 status=200", "cs DescribeClusterDetail status=404", "vpc DescribeVpcs status=400"} {
		if !strings.Contains(out, want) {
			t.Errorf("debug log lacks %q:\n%s", want, out)
		}
	}
	secrets := []string{secret, "STS-token-must-not-be-logged", "wrong-secret-must-not-be-logged", "Signature=", "Authorization", "token:"}
	for _, l := range strings.Split(string(kubeconfig), "\n") {
		if strings.Contains(l, "token:") {
			secrets = append(secrets, strings.TrimSpace(strings.SplitN(l, "token:", 2)[1]))
		}
	}
	for _, s := range secrets {
		if strings.Contains(out, s) {
			t.Errorf("debug log contains %q", s)
		}
	}
}
