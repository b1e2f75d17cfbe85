package text

// zhCommands translates what the commands say on stderr around their
// reports (text.Sprintf and text.T calls in ui/), keyed by the English.
var zhCommands = map[string]string{
	"Using %s.":         "使用%s。",
	"%s %s is %s.":      "%s %s 即 %s。",
	"Cancelled.":        "已取消。",
	"Error: %s":         "错误：%s",
	"Apply %d fix(es)?": "执行 %d 项修复吗？",
	"Fixed: %s":         "已修复：%s",
}
