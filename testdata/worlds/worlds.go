// Package worlds embeds the world files shipped with asmlink: the facts the
// simulated Alibaba Cloud (cloud/sim) starts from. Each NAME.yaml here is a
// built-in world that `asmlink sim --world NAME` and `asmlink demo` can load.
package worlds

import (
	"embed"
	"sort"
	"strings"
)

//go:embed *.yaml
var files embed.FS

// Names lists the built-in worlds, sorted.
func Names() []string {
	entries, _ := files.ReadDir(".")
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	sort.Strings(names)
	return names
}

// Read returns the content of the built-in world called name.
func Read(name string) ([]byte, error) {
	return files.ReadFile(name + ".yaml")
}
