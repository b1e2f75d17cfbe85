package cloud

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
)

// Names of the credential providers, as shown by Identity.
const (
	ProviderEnvironment     = "environment"      // ALIBABA_CLOUD_ACCESS_KEY_ID / _SECRET [/ _SECURITY_TOKEN]
	ProviderOIDC            = "oidc_role_arn"    // ALIBABA_CLOUD_ROLE_ARN + _OIDC_PROVIDER_ARN + _OIDC_TOKEN_FILE
	ProviderCLIProfile      = "cli_profile"      // a profile of ~/.aliyun/config.json
	ProviderCredentialsFile = "credentials_file" // ~/.alibabacloud/credentials (or ALIBABA_CLOUD_CREDENTIALS_FILE)
	ProviderECSRole         = "ecs_ram_role"     // the ECS instance RAM role, through the metadata service
	ProviderCredentialsURI  = "credentials_uri"  // ALIBABA_CLOUD_CREDENTIALS_URI
	ProviderStatic          = "static_ak"        // Config.Credentials, set by the program itself
)

// ErrNoRegion says that no region was given anywhere asmlink looks for one.
var ErrNoRegion = errors.New("no region: pass --region (for example --region cn-hangzhou), or set ALIBABA_CLOUD_REGION_ID, or set region_id in the ~/.aliyun/config.json profile")

// ErrBadRegion says that the region given is not a region ID.
var ErrBadRegion = errors.New("not a region ID")

// regionID is the shape of a region ID, as the SDK checks it.
var regionID = regexp.MustCompile(`^[a-zA-Z0-9_-]+$`)

// cliModes are the ~/.aliyun/config.json profile modes the SDK can sign with.
var cliModes = map[string]bool{
	"AK": true, "StsToken": true, "RamRoleArn": true, "EcsRamRole": true, "OIDC": true, "ChainableRamRoleArn": true,
}

// cliConfig is the part of the aliyun CLI configuration asmlink reads itself:
// profile names, modes and regions. The SDK reads the keys; the region it
// does not read at all, so asmlink takes it from here.
type cliConfig struct {
	path     string
	Current  string       `json:"current"`
	Profiles []cliProfile `json:"profiles"`
}

type cliProfile struct {
	Name     string `json:"name"`
	Mode     string `json:"mode"`
	RegionID string `json:"region_id"`
	// Language is what `aliyun configure --language en|zh` wrote.
	Language string `json:"language"`
}

// homeDir is the directory the SDK takes ~ to be (it reads $HOME itself).
func homeDir() string {
	if runtime.GOOS == "windows" {
		return os.Getenv("USERPROFILE")
	}
	return os.Getenv("HOME")
}

// loadCLIConfig reads ~/.aliyun/config.json. A missing file is not an error
// (nil, nil); an unreadable or malformed one is a credentials error naming it.
func loadCLIConfig() (*cliConfig, error) {
	home := homeDir()
	if home == "" {
		return nil, nil
	}
	path := filepath.Join(home, ".aliyun", "config.json")
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, credentialsErrorf("fix its permissions, or run `aliyun configure`", "cannot read %s: %v", path, err)
	}
	cfg := &cliConfig{path: path}
	if err := json.Unmarshal(data, cfg); err != nil {
		return nil, credentialsErrorf("repair it, or run `aliyun configure` to write it again", "%s is not valid JSON: %v", path, err)
	}
	return cfg, nil
}

// profile returns the named profile, if the file has it.
func (c *cliConfig) profile(name string) (cliProfile, bool) {
	if c == nil {
		return cliProfile{}, false
	}
	for _, p := range c.Profiles {
		if p.Name == name {
			return p, true
		}
	}
	return cliProfile{}, false
}

// names lists the profile names, for error messages.
func (c *cliConfig) names() string {
	var n []string
	for _, p := range c.Profiles {
		n = append(n, p.Name)
	}
	sort.Strings(n)
	return strings.Join(n, ", ")
}

// selectedProfile is the profile name asmlink uses from the CLI config:
// --profile, then ALIBABA_CLOUD_PROFILE, then the file's current profile.
func selectedProfile(flag string, cfg *cliConfig) string {
	if flag != "" {
		return flag
	}
	if env := os.Getenv("ALIBABA_CLOUD_PROFILE"); env != "" {
		return env
	}
	if cfg != nil {
		return cfg.Current
	}
	return ""
}

// credentialSource is the provider chosen from the chain, and how to name it.
type credentialSource struct {
	provider credentials.CredentialsProvider
	name     string // one of the Provider* names
	profile  string // the CLI profile, for ProviderCLIProfile
}

// resolveCredentials chooses the credentials provider without contacting
// anything. It follows the SDK's default chain — environment, OIDC, CLI
// profile, shared credentials file, ECS RAM role, credentials URI — with two
// differences: an explicit --profile wins over everything, and the ECS
// metadata service (100.100.100.200) is only asked when
// ALIBABA_CLOUD_ECS_METADATA names a role (and
// ALIBABA_CLOUD_ECS_METADATA_DISABLED is not true), so that asmlink never
// waits on a metadata lookup off ECS.
func resolveCredentials(profileFlag string, cfg *cliConfig) (credentialSource, error) {
	if profileFlag != "" {
		return cliProfileSource(profileFlag, cfg, "--profile")
	}
	if os.Getenv("ALIBABA_CLOUD_ACCESS_KEY_ID") != "" {
		if os.Getenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET") == "" {
			return credentialSource{}, credentialsErrorf("export ALIBABA_CLOUD_ACCESS_KEY_SECRET as well, or unset ALIBABA_CLOUD_ACCESS_KEY_ID to use a profile", "ALIBABA_CLOUD_ACCESS_KEY_ID is set but ALIBABA_CLOUD_ACCESS_KEY_SECRET is not")
		}
		return credentialSource{provider: credentials.NewEnvironmentVariableCredentialsProvider(), name: ProviderEnvironment}, nil
	}
	if os.Getenv("ALIBABA_CLOUD_ROLE_ARN") != "" && os.Getenv("ALIBABA_CLOUD_OIDC_PROVIDER_ARN") != "" && os.Getenv("ALIBABA_CLOUD_OIDC_TOKEN_FILE") != "" {
		p, err := credentials.NewOIDCCredentialsProviderBuilder().Build()
		if err != nil {
			return credentialSource{}, credentialsErrorf("check ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN and ALIBABA_CLOUD_OIDC_TOKEN_FILE", "OIDC credentials from the environment: %v", err)
		}
		return credentialSource{provider: p, name: ProviderOIDC}, nil
	}
	if cfg != nil && !strings.EqualFold(os.Getenv("ALIBABA_CLOUD_CLI_PROFILE_DISABLED"), "true") {
		name := selectedProfile("", cfg)
		if _, ok := cfg.profile(name); ok {
			return cliProfileSource(name, cfg, "")
		}
	}
	if path := credentialsFilePath(); path != "" {
		if _, err := os.Stat(path); err == nil {
			return credentialSource{provider: credentials.NewProfileCredentialsProviderBuilder().Build(), name: ProviderCredentialsFile}, nil
		}
	}
	if os.Getenv("ALIBABA_CLOUD_ECS_METADATA") != "" && !strings.EqualFold(os.Getenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED"), "true") {
		p, err := credentials.NewECSRAMRoleCredentialsProviderBuilder().Build()
		if err != nil {
			return credentialSource{}, credentialsErrorf("check ALIBABA_CLOUD_ECS_METADATA, or use another credential source", "ECS RAM role: %v", err)
		}
		return credentialSource{provider: p, name: ProviderECSRole}, nil
	}
	if os.Getenv("ALIBABA_CLOUD_CREDENTIALS_URI") != "" {
		p, err := credentials.NewURLCredentialsProviderBuilderBuilder().Build()
		if err != nil {
			return credentialSource{}, credentialsErrorf("set ALIBABA_CLOUD_CREDENTIALS_URI to the URL of a credentials server", "ALIBABA_CLOUD_CREDENTIALS_URI: %v", err)
		}
		return credentialSource{provider: p, name: ProviderCredentialsURI}, nil
	}
	return credentialSource{}, credentialsErrorf("export ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, or run `aliyun configure` and pick the profile with --profile; on ECS, set ALIBABA_CLOUD_ECS_METADATA to the instance's RAM role",
		"no Alibaba Cloud credentials found")
}

// cliProfileSource builds the SDK's CLI-profile provider for a profile that
// exists and has a mode the SDK can sign with.
func cliProfileSource(name string, cfg *cliConfig, flag string) (credentialSource, error) {
	via := "profile"
	if flag != "" {
		via = flag
	}
	if cfg == nil {
		return credentialSource{}, credentialsErrorf(fmt.Sprintf("run `aliyun configure --profile %s`, or drop %s to use environment credentials", name, via),
			"%s %q: there is no %s", via, name, filepath.Join(homeDir(), ".aliyun", "config.json"))
	}
	p, ok := cfg.profile(name)
	if !ok {
		return credentialSource{}, credentialsErrorf(fmt.Sprintf("pick one of the listed profiles, or run `aliyun configure --profile %s`", name),
			"%s %q is not in %s (profiles: %s)", via, name, cfg.path, cfg.names())
	}
	if !cliModes[p.Mode] {
		return credentialSource{}, credentialsErrorf("use a profile of mode AK, StsToken, RamRoleArn, EcsRamRole, OIDC or ChainableRamRoleArn (--profile NAME), or export ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET and ALIBABA_CLOUD_SECURITY_TOKEN",
			"profile %q uses mode %s, which the Alibaba Cloud Go SDK cannot sign with", p.Name, p.Mode)
	}
	prov := credentials.NewCLIProfileCredentialsProviderBuilder().WithProfileName(name).Build()
	return credentialSource{provider: prov, name: ProviderCLIProfile, profile: name}, nil
}

// credentialsFilePath is where the SDK looks for the shared credentials file.
func credentialsFilePath() string {
	if p := os.Getenv("ALIBABA_CLOUD_CREDENTIALS_FILE"); p != "" {
		return p
	}
	if home := homeDir(); home != "" {
		return filepath.Join(home, ".alibabacloud", "credentials")
	}
	return ""
}

// resolveRegion picks the region: --region, then ALIBABA_CLOUD_REGION_ID,
// then region_id of the selected CLI profile. from says which one it was.
func resolveRegion(flag, profileFlag string, cfg *cliConfig) (region, from string, err error) {
	name := selectedProfile(profileFlag, cfg)
	p, _ := cfg.profile(name)
	switch {
	case flag != "":
		region, from = flag, "--region"
	case os.Getenv("ALIBABA_CLOUD_REGION_ID") != "":
		region, from = os.Getenv("ALIBABA_CLOUD_REGION_ID"), "ALIBABA_CLOUD_REGION_ID"
	case p.RegionID != "":
		region, from = p.RegionID, fmt.Sprintf("profile %s", name)
	default:
		return "", "", ErrNoRegion
	}
	if !regionID.MatchString(region) {
		return "", "", fmt.Errorf("%w: %s %q; give a region ID such as cn-hangzhou", ErrBadRegion, from, region)
	}
	return region, from, nil
}

// credentialsErrorf builds a credentials error: hint says what to do.
func credentialsErrorf(hint, format string, args ...any) *Error {
	return &Error{Kind: KindCredentials, API: "credentials", Message: fmt.Sprintf(format, args...), Hint: hint}
}

// lockedProvider serialises a provider: the SDK's providers cache what they
// fetch without locks, and asmlink signs many calls at once.
// It also hands every credential it returns to secrets, which removes them
// from the client's errors.
type lockedProvider struct {
	mu      sync.Mutex
	inner   credentials.CredentialsProvider
	secrets *secrets
}

func (p *lockedProvider) GetCredentials() (*credentials.Credentials, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	cc, err := p.inner.GetCredentials()
	if err != nil {
		return nil, &credentialsError{err: err}
	}
	p.secrets.add(cc.AccessKeyId, cc.AccessKeySecret, cc.SecurityToken)
	return cc, nil
}

func (p *lockedProvider) GetProviderName() string { return p.inner.GetProviderName() }
