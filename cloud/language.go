package cloud

// ProfileLanguage is the language of the aliyun CLI profile asmlink would
// use (--profile, then ALIBABA_CLOUD_PROFILE, then the file's current
// profile), as `aliyun configure --language zh` sets it; "" when there is
// no such profile or it sets none. An unreadable configuration file is
// passed over here: choosing a language never fails on it, and the
// credentials report it when they are read.
func ProfileLanguage(profileFlag string) string {
	cfg, err := loadCLIConfig()
	if err != nil {
		return ""
	}
	p, _ := cfg.profile(selectedProfile(profileFlag, cfg))
	return p.Language
}
