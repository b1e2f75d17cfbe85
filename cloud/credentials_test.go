package cloud

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// isolateEnv clears every variable the credential chain and region
// resolution read, and points HOME at an empty temporary directory, so that
// nothing of the machine running the tests leaks in.
func isolateEnv(t *testing.T) string {
	t.Helper()
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "ALIBABA_CLOUD_") || strings.HasPrefix(k, "ALICLOUD_") {
			t.Setenv(k, "")
		}
	}
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("USERPROFILE", home)
	t.Setenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
	return home
}

// writeCLIConfig writes ~/.aliyun/config.json under home.
func writeCLIConfig(t *testing.T, home, content string) {
	t.Helper()
	dir := filepath.Join(home, ".aliyun")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

const threeProfiles = `{
  "current": "work",
  "profiles": [
    {"name": "work", "mode": "AK", "access_key_id": "LTAIwork", "access_key_secret": "work-secret-value", "region_id": "cn-beijing"},
    {"name": "lab", "mode": "StsToken", "access_key_id": "STS.lab", "access_key_secret": "lab-secret", "sts_token": "lab-token", "region_id": "cn-shanghai"},
    {"name": "sso", "mode": "CloudSSO", "region_id": "cn-hangzhou"}
  ]
}`

func TestRegionResolutionOrder(t *testing.T) {
	cases := []struct {
		name       string
		flag       string
		profile    string
		env        map[string]string
		wantRegion string
		wantFrom   string
	}{
		{name: "flag beats everything", flag: "cn-zhangjiakou", env: map[string]string{"ALIBABA_CLOUD_REGION_ID": "cn-qingdao"}, wantRegion: "cn-zhangjiakou", wantFrom: "--region"},
		{name: "environment beats the profile", env: map[string]string{"ALIBABA_CLOUD_REGION_ID": "cn-qingdao"}, wantRegion: "cn-qingdao", wantFrom: "ALIBABA_CLOUD_REGION_ID"},
		{name: "current profile", wantRegion: "cn-beijing", wantFrom: "profile work"},
		{name: "--profile selects the profile", profile: "lab", wantRegion: "cn-shanghai", wantFrom: "profile lab"},
		{name: "ALIBABA_CLOUD_PROFILE selects the profile", env: map[string]string{"ALIBABA_CLOUD_PROFILE": "lab"}, wantRegion: "cn-shanghai", wantFrom: "profile lab"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			home := isolateEnv(t)
			writeCLIConfig(t, home, threeProfiles)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			c, err := New(context.Background(), Config{Region: tc.flag, Profile: tc.profile})
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			id := c.Identity()
			if id.Region != tc.wantRegion || id.RegionFrom != tc.wantFrom {
				t.Errorf("region %q from %q, want %q from %q", id.Region, id.RegionFrom, tc.wantRegion, tc.wantFrom)
			}
		})
	}
}

func TestNoRegionNamesTheFlag(t *testing.T) {
	isolateEnv(t)
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIenv")
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret")
	_, err := New(context.Background(), Config{})
	if !errors.Is(err, ErrNoRegion) {
		t.Fatalf("err = %v, want ErrNoRegion", err)
	}
	if !strings.Contains(err.Error(), "--region") {
		t.Errorf("error %q does not name --region", err)
	}
}

func TestMalformedRegionNamesItsSource(t *testing.T) {
	home := isolateEnv(t)
	writeCLIConfig(t, home, `{"current": "p", "profiles": [{"name": "p", "mode": "AK", "access_key_id": "a", "access_key_secret": "b", "region_id": "cn hangzhou"}]}`)
	_, err := New(context.Background(), Config{})
	if !errors.Is(err, ErrBadRegion) || !strings.Contains(err.Error(), "profile p") || !strings.Contains(err.Error(), `"cn hangzhou"`) {
		t.Errorf("err = %v, want a bad-region error naming profile p and the value", err)
	}
}

func TestCredentialChainChoice(t *testing.T) {
	cases := []struct {
		name         string
		config       string
		profileFlag  string
		env          map[string]string
		wantProvider string
		wantProfile  string
	}{
		{name: "environment keys", env: map[string]string{"ALIBABA_CLOUD_ACCESS_KEY_ID": "LTAIenv", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "s"}, wantProvider: ProviderEnvironment},
		{name: "environment keys beat the current profile", config: threeProfiles, env: map[string]string{"ALIBABA_CLOUD_ACCESS_KEY_ID": "LTAIenv", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "s"}, wantProvider: ProviderEnvironment},
		{name: "--profile beats environment keys", config: threeProfiles, profileFlag: "lab", env: map[string]string{"ALIBABA_CLOUD_ACCESS_KEY_ID": "LTAIenv", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "s"}, wantProvider: ProviderCLIProfile, wantProfile: "lab"},
		{name: "current profile", config: threeProfiles, wantProvider: ProviderCLIProfile, wantProfile: "work"},
		{name: "ALIBABA_CLOUD_PROFILE", config: threeProfiles, env: map[string]string{"ALIBABA_CLOUD_PROFILE": "lab"}, wantProvider: ProviderCLIProfile, wantProfile: "lab"},
		{name: "OIDC environment", env: map[string]string{"ALIBABA_CLOUD_ROLE_ARN": "acs:ram::1:role/r", "ALIBABA_CLOUD_OIDC_PROVIDER_ARN": "acs:ram::1:oidc-provider/p", "ALIBABA_CLOUD_OIDC_TOKEN_FILE": "/var/run/token"}, wantProvider: ProviderOIDC},
		{name: "ECS role when named and not disabled", env: map[string]string{"ALIBABA_CLOUD_ECS_METADATA": "MyRole", "ALIBABA_CLOUD_ECS_METADATA_DISABLED": ""}, wantProvider: ProviderECSRole},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			home := isolateEnv(t)
			if tc.config != "" {
				writeCLIConfig(t, home, tc.config)
			}
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			c, err := New(context.Background(), Config{Region: "cn-hangzhou", Profile: tc.profileFlag})
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			if id := c.Identity(); id.Provider != tc.wantProvider || id.Profile != tc.wantProfile {
				t.Errorf("identity %+v, want provider %q profile %q", id, tc.wantProvider, tc.wantProfile)
			}
		})
	}
}

func TestCredentialErrors(t *testing.T) {
	cases := []struct {
		name        string
		config      string
		profileFlag string
		env         map[string]string
		wantInMsg   []string
	}{
		{name: "nothing configured", wantInMsg: []string{"no Alibaba Cloud credentials", "ALIBABA_CLOUD_ACCESS_KEY_ID", "--profile"}},
		{name: "ECS metadata disabled is not consulted", env: map[string]string{"ALIBABA_CLOUD_ECS_METADATA": "MyRole", "ALIBABA_CLOUD_ECS_METADATA_DISABLED": "true"}, wantInMsg: []string{"no Alibaba Cloud credentials"}},
		{name: "unknown profile", config: threeProfiles, profileFlag: "prod", wantInMsg: []string{`"prod"`, "lab, sso, work", "aliyun configure --profile prod"}},
		{name: "profile without a config file", profileFlag: "prod", wantInMsg: []string{`"prod"`, "config.json", "aliyun configure --profile prod"}},
		{name: "CloudSSO profile", config: threeProfiles, profileFlag: "sso", wantInMsg: []string{`"sso"`, "CloudSSO", "--profile", "ALIBABA_CLOUD_ACCESS_KEY_ID"}},
		{name: "key without secret", env: map[string]string{"ALIBABA_CLOUD_ACCESS_KEY_ID": "LTAIenv"}, wantInMsg: []string{"ALIBABA_CLOUD_ACCESS_KEY_SECRET"}},
		{name: "malformed config file", config: `{"current": `, wantInMsg: []string{"config.json", "not valid JSON"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			home := isolateEnv(t)
			if tc.config != "" {
				writeCLIConfig(t, home, tc.config)
			}
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			_, err := New(context.Background(), Config{Region: "cn-hangzhou", Profile: tc.profileFlag})
			if KindOf(err) != KindCredentials {
				t.Fatalf("err = %v, want a credentials error", err)
			}
			for _, s := range tc.wantInMsg {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not mention %q", err, s)
				}
			}
			if strings.Contains(err.Error(), "work-secret-value") || strings.Contains(err.Error(), "lab-token") {
				t.Errorf("error %q shows a secret from the profile file", err)
			}
		})
	}
}
