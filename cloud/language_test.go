package cloud

import "testing"

// TestProfileLanguageFollowsTheSelectedProfile: the language comes from
// the profile credentials would use: --profile, ALIBABA_CLOUD_PROFILE, or
// the current one; none without a file, a profile or a language.
func TestProfileLanguageFollowsTheSelectedProfile(t *testing.T) {
	home := isolateEnv(t)
	if got := ProfileLanguage(""); got != "" {
		t.Fatalf("no config file: %q", got)
	}
	writeCLIConfig(t, home, `{"current": "work", "profiles": [
		{"name": "work", "mode": "AK", "language": "zh"},
		{"name": "lab", "mode": "AK", "language": "en"},
		{"name": "bare", "mode": "AK"}]}`)
	if got := ProfileLanguage(""); got != "zh" {
		t.Errorf("current profile: %q", got)
	}
	if got := ProfileLanguage("lab"); got != "en" {
		t.Errorf("--profile lab: %q", got)
	}
	if got := ProfileLanguage("missing"); got != "" {
		t.Errorf("a profile the file lacks: %q", got)
	}
	t.Setenv("ALIBABA_CLOUD_PROFILE", "bare")
	if got := ProfileLanguage(""); got != "" {
		t.Errorf("a profile without a language: %q", got)
	}
	writeCLIConfig(t, home, `{not json`)
	if got := ProfileLanguage(""); got != "" {
		t.Errorf("a malformed file: %q", got)
	}
}
