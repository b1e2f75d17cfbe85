package render

import (
	"strings"

	"github.com/asmlink/asmlink/ui/styles"
)

// Diff colours a unified diff for a person to review: added lines in the
// add style, removed lines in the delete style, the file headers and
// context as they are. The commands' review on stderr and the wizard's
// review screen both show it.
func Diff(st *styles.Styles, diff string) string {
	var b strings.Builder
	for _, line := range strings.SplitAfter(diff, "\n") {
		body := strings.TrimSuffix(line, "\n")
		switch {
		case strings.HasPrefix(body, "+") && !strings.HasPrefix(body, "+++"):
			body = st.DiffAdd.Render(body)
		case strings.HasPrefix(body, "-") && !strings.HasPrefix(body, "---"):
			body = st.DiffDel.Render(body)
		}
		b.WriteString(body)
		if strings.HasSuffix(line, "\n") {
			b.WriteString("\n")
		}
	}
	return b.String()
}
