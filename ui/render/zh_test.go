package render

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/ui/styles"
	"github.com/asmlink/asmlink/ui/text"
)

// chinese makes Chinese the language of the test, English again after.
func chinese(t *testing.T) {
	t.Helper()
	text.UseLanguage(text.ZH)
	t.Cleanup(func() { text.UseLanguage(text.EN) })
}

// zhWidths are the widths the Chinese views are pinned at, those of the
// wizard's screens.
var zhWidths = []int{80, 100, 120}

// forEachChineseLook runs fn in Chinese at each of zhWidths, with colour
// on and off.
func forEachChineseLook(t *testing.T, fn func(t *testing.T, st *styles.Styles, width int)) {
	chinese(t)
	for _, width := range zhWidths {
		for _, color := range []bool{true, false} {
			look := "plain"
			if color {
				look = "color"
			}
			t.Run(fmt.Sprintf("%d/%s", width, look), func(t *testing.T) { fn(t, styles.New(color), width) })
		}
	}
}

// chineseSamples are sampleResults with the first and the failing
// membership check saying their message as a check does (flow.Said), the
// others as constants the catalogue may not have.
func chineseSamples(t *testing.T) []flow.Result {
	rs := sampleResults(t)
	rs[0].Said = flow.Said{Format: "ASM instance %s is running", Args: []any{"d564b858f9a3e247cb2c083eb8cb37f0 (mesh-prod)"}}
	rs[2].Said = flow.Said{Format: "%s has not been added to ASM instance %s", Args: []any{flow.Ref{Kind: "cluster", ID: clusterShop, Name: "shop-prod"}, "d564b858f9a3e247cb2c083eb8cb37f0 (mesh-prod)"}}
	for _, r := range rs[:3:3] {
		if r.Said.Format != "" && r.Said.String() != r.Message {
			t.Fatalf("sample %s says %q in English, its message is %q", r.Check.Code, r.Said, r.Message)
		}
	}
	return rs
}

// TestChecksChinese pins the check report in Chinese: a check's message
// is translated from its format with the run's facts as they are; one the
// catalogue does not have leads with what the check verifies in Chinese,
// the English message under it; no line is wider than the screen, counting
// a wide character as two cells.
func TestChecksChinese(t *testing.T) {
	forEachChineseLook(t, func(t *testing.T, st *styles.Styles, width int) {
		rs := chineseSamples(t)
		out := Checks(st, width, rs, CheckOptions{}) + VerdictLine(st, width, CheckVerdict(NewCheckReport(rs), rs, "d564b858f9a3e247cb2c083eb8cb37f0", clusterShop))
		checkLayout(t, st, width, out, resultValues(rs)...)
		for _, want := range []string{"网格状态", "ASM 实例 d564b858f9a3e247cb2c083eb8cb37f0 (mesh-prod) 正在运行", "集群 " + clusterShop + "（shop-prod） 尚未添加到", "尚未选择交换机", "ACK 集群与 ASM 实例在同一地域", "提示:", "失败", "检查未通过：", "2/5 项检查失败"} {
			if !strings.Contains(out, want) {
				t.Errorf("the Chinese report lacks %q:\n%s", want, out)
			}
		}
		golden.RequireEqual(t, out)
	})
}

// TestDiagnosesChinese pins the diagnoses in Chinese.
func TestDiagnosesChinese(t *testing.T) {
	ds := sampleDiagnoses()
	forEachChineseLook(t, func(t *testing.T, st *styles.Styles, width int) {
		out := Diagnoses(st, width, ds)
		checkLayout(t, st, width, out, diagnosisValues(ds)...)
		if !strings.Contains(out, "把该域名追加到 API Server 证书的 SAN") {
			t.Errorf("the hint is not in Chinese:\n%s", out)
		}
		golden.RequireEqual(t, out)
	})
}

// TestLinksChinese pins the links in Chinese.
func TestLinksChinese(t *testing.T) {
	v := flow.Links(sampleConfig(), nil, sampleEndpoints, sampleMeshClusters)
	forEachChineseLook(t, func(t *testing.T, st *styles.Styles, width int) {
		out := Links(st, width, v)
		checkLayout(t, st, width, out)
		if !strings.Contains(out, "链路 A") || !strings.Contains(out, "ASMPvlConfig 状态：") {
			t.Errorf("the links are not in Chinese:\n%s", out)
		}
		golden.RequireEqual(t, out)
	})
}

// TestReportJSONIsTheSameInChinese: what machines read (the check report,
// the verdicts, the diagnoses) is byte for byte the same in both
// languages, English.
func TestReportJSONIsTheSameInChinese(t *testing.T) {
	marshal := func() string {
		rep := NewCheckReport(sampleResults(t))
		v := flow.Links(sampleConfig(), nil, sampleEndpoints, sampleMeshClusters)
		data, err := json.Marshal(map[string]any{
			"checks":    rep,
			"verdict":   CheckVerdict(rep, sampleResults(t), "d564b858f9a3e247cb2c083eb8cb37f0", ""),
			"links":     LinkVerdict(flow.LinkState{View: v}, flow.WaitTarget{Mode: flow.WaitRunning}, "d564b858f9a3e247cb2c083eb8cb37f0"),
			"diagnoses": NewDiagnoses(sampleDiagnoses()),
		})
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	en := marshal()
	chinese(t)
	if zh := marshal(); zh != en {
		t.Fatalf("JSON differs in Chinese:\n%s\nEnglish:\n%s", zh, en)
	}
	if !strings.Contains(en, `"title":"Mesh state"`) || !strings.Contains(en, `"summary":"2 of 5 check(s) failed`) {
		t.Errorf("the JSON is not the English report:\n%s", en)
	}
}

// TestWrapBreaksBetweenWideCharacters: Chinese, written without spaces,
// wraps between characters within the width, never before closing
// punctuation; English words and IDs stay whole.
func TestWrapBreaksBetweenWideCharacters(t *testing.T) {
	lines := wrap("把该域名追加到集群 API Server 证书的 SAN，网格通过这个名称访问 API Server。ep-bp1shopa.privatelink.aliyuncs.com", 20)
	for _, l := range lines {
		if w := len([]rune(l)); w == 0 || strings.HasPrefix(l, "，") || strings.HasPrefix(l, "。") {
			t.Errorf("bad line %q in %q", l, lines)
		}
	}
	for _, l := range lines[:len(lines)-1] {
		if w := ansi.StringWidth(l); w > 20 {
			t.Errorf("line %q is %d cells wide, over 20", l, w)
		}
	}
	if lines[len(lines)-1] != "ep-bp1shopa.privatelink.aliyuncs.com" && !strings.HasSuffix(lines[len(lines)-1], "ep-bp1shopa.privatelink.aliyuncs.com") {
		t.Errorf("the ID is broken: %q", lines)
	}
	if got := wrap("no wide characters here", 80); len(got) != 1 || got[0] != "no wide characters here" {
		t.Errorf("English: %q", got)
	}
}
