package text

var zhHelp = map[string]string{}
