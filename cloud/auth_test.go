package cloud

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
)

func TestCloudRejectsCredentials(t *testing.T) {
	srv := startSim(t, "demo", nil)
	id, secret := srv.AccessKey()
	cases := []struct {
		name       string
		id, secret string
		wantCode   string
	}{
		{name: "unknown key", id: "LTAI5tNoSuchKeyAnywhere1", secret: secret, wantCode: "InvalidAccessKeyId.NotFound"},
		{name: "bad secret", id: id, secret: "not-the-secret", wantCode: "SignatureDoesNotMatch"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newSimClient(t, srv, func(cfg *Config) {
				cfg.Credentials = credentials.NewStaticAKCredentialsProvider(tc.id, tc.secret)
			})
			// One RPC product and the ROA one: both must say credentials.
			_, rpcErr := c.VPCs(context.Background())
			_, roaErr := c.Clusters(context.Background())
			for _, err := range []error{rpcErr, roaErr} {
				var e *Error
				if !errors.As(err, &e) || e.Kind != KindCredentials {
					t.Fatalf("err = %v, want a credentials error", err)
				}
				if e.Code != tc.wantCode || e.Attempts != 1 {
					t.Errorf("code %q after %d attempts, want %q after 1", e.Code, e.Attempts, tc.wantCode)
				}
				if !strings.Contains(e.Hint, ProviderStatic) {
					t.Errorf("hint %q does not say which credentials were used", e.Hint)
				}
				if strings.Contains(err.Error(), "string to sign") {
					t.Errorf("error carries the server's string to sign: %v", err)
				}
				if strings.Contains(err.Error(), tc.secret) {
					t.Errorf("error shows the secret: %v", err)
				}
			}
		})
	}
}

func TestRestrictedKeyIsAPermissionError(t *testing.T) {
	srv := startSim(t, "demo", nil)
	keys := srv.World().AccessKeys
	var restricted = -1
	for i, k := range keys {
		if len(k.DeniedAPIs) > 0 {
			restricted = i
		}
	}
	if restricted < 0 {
		t.Fatal("the demo world has no restricted key")
	}
	k := keys[restricted]
	c := newSimClient(t, srv, func(cfg *Config) {
		cfg.Credentials = credentials.NewStaticAKCredentialsProvider(k.ID, k.Secret)
	})
	ctx := context.Background()
	meshID := srv.World().Meshes[0].ID
	if _, err := c.Mesh(ctx, meshID); err != nil {
		t.Fatalf("the restricted key may still read: %v", err)
	}
	denied := k.DeniedAPIs[0] // product:Action
	product, action, _ := strings.Cut(denied, ":")
	var err error
	switch denied {
	case "servicemesh:AddClusterIntoServiceMesh":
		err = c.AddClusterToMesh(ctx, meshID, srv.World().Clusters[0].ID)
	default:
		t.Fatalf("test does not know how to call %s", denied)
	}
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindPermission {
		t.Fatalf("err = %v, want a permission error", err)
	}
	if e.API != fmt.Sprintf("%s.%s", product, action) || e.RAMAction != denied {
		t.Errorf("API %q, RAM action %q; want %s.%s and %s", e.API, e.RAMAction, product, action, denied)
	}
	if !strings.Contains(err.Error(), denied) {
		t.Errorf("message %q does not name the RAM action %s", err, denied)
	}
}

func TestEnvironmentCredentialsAgainstTheSimulator(t *testing.T) {
	isolateEnv(t)
	srv := startSim(t, "demo", nil)
	id, secret := srv.AccessKey()
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", id)
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", secret)
	t.Setenv("ALIBABA_CLOUD_REGION_ID", srv.Region())
	c, err := New(context.Background(), Config{Endpoint: srv.URL(), Retry: testRetry})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if id := c.Identity(); id.Provider != ProviderEnvironment || id.Region != srv.Region() || id.Endpoint != srv.URL() {
		t.Errorf("Identity = %+v", id)
	}
	if _, err := c.Meshes(context.Background()); err != nil {
		t.Fatalf("Meshes with environment credentials: %v", err)
	}
}

func TestProfileCredentialsAgainstTheSimulator(t *testing.T) {
	home := isolateEnv(t)
	srv := startSim(t, "demo", nil)
	id, secret := srv.AccessKey()
	writeCLIConfig(t, home, fmt.Sprintf(`{"current": "other", "profiles": [
		{"name": "other", "mode": "AK", "access_key_id": "LTAIother", "access_key_secret": "x", "region_id": "cn-beijing"},
		{"name": "sim", "mode": "AK", "access_key_id": %q, "access_key_secret": %q, "region_id": %q}]}`, id, secret, srv.Region()))
	c, err := New(context.Background(), Config{Profile: "sim", Endpoint: srv.URL(), Retry: testRetry})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if got := c.Identity(); got.Provider != ProviderCLIProfile || got.Profile != "sim" || got.Region != srv.Region() || got.RegionFrom != "profile sim" {
		t.Errorf("Identity = %+v", got)
	}
	if _, err := c.Clusters(context.Background()); err != nil {
		t.Fatalf("Clusters with profile credentials: %v", err)
	}
}
