package spec

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
)

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// header is the start every test document shares.
const header = "apiVersion: istio.alibabacloud.com/v1beta1\nkind: ASMPvlConfig\nmetadata:\n  name: default\n"

// want is one expected decode problem.
type want struct {
	code Code
	path string
	line int
}

func TestDecodeRejectsWithPathAndLine(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		syntax bool
		want   []want
		// hint, when set, must appear in the first problem's hint.
		hint string
	}{
		{
			name: "unknown field deep in a list names the full path",
			in: header + `spec:
  ackVpcEndpoint:
  - clusterId: c1
    vSwitches: [{vSwitchId: vsw-a, zoneId: cn-hangzhou-j}]
  - clusterId: c2
    vSwitches:
    - vSwitchId: vsw-b
      zoneID: cn-hangzhou-j
`,
			want: []want{{CodeUnknownField, "spec.ackVpcEndpoint[1].vSwitches[0].zoneID", 12}},
			hint: `did you mean "zoneId"?`,
		},
		{
			name: "number where text is expected",
			in:   header + "spec:\n  asmVpcEndpoint:\n    vSwitches:\n    - vSwitchId: vsw-a\n      zoneId: 123\n",
			want: []want{{CodeWrongType, "spec.asmVpcEndpoint.vSwitches[0].zoneId", 9}},
			hint: `"123"`,
		},
		{
			name: "text where a list is expected",
			in:   header + "spec:\n  asmVpcEndpoint:\n    vSwitches: vsw-a\n",
			want: []want{{CodeWrongType, "spec.asmVpcEndpoint.vSwitches", 7}},
		},
		{
			name: "list where an object is expected",
			in:   header + "spec:\n  asmVpcEndpoint:\n  - vsw-a\n",
			want: []want{{CodeWrongType, "spec.asmVpcEndpoint", 7}},
		},
		{
			name: "a second document",
			in:   header + "spec: {}\n---\n" + header,
			want: []want{{CodeMultiDoc, "", 7}},
		},
		{
			name: "wrong apiVersion",
			in:   "apiVersion: istio.alibabacloud.com/v1\nkind: ASMPvlConfig\nmetadata: {name: default}\n",
			want: []want{{CodeAPIVersion, "apiVersion", 1}},
			hint: "apiVersion: istio.alibabacloud.com/v1beta1",
		},
		{
			name: "missing kind and apiVersion",
			in:   "metadata:\n  name: default\nspec: {}\n",
			want: []want{{CodeAPIVersion, "apiVersion", 1}, {CodeKind, "kind", 1}},
		},
		{
			name: "apiVersion of the wrong type is reported once",
			in:   "apiVersion: [a]\nkind: ASMPvlConfig\n",
			want: []want{{CodeWrongType, "apiVersion", 1}},
		},
		{
			name: "wrong kind",
			in:   "apiVersion: istio.alibabacloud.com/v1beta1\nkind: AsmPvlConfig\n",
			want: []want{{CodeKind, "kind", 2}},
		},
		{
			name: "duplicate field",
			in:   header + "spec:\n  asmVpcEndpoint: {vSwitches: []}\n  asmVpcEndpoint: {vSwitches: []}\n",
			want: []want{{CodeDuplicateKey, "spec.asmVpcEndpoint", 7}},
			hint: "keep one",
		},
		{
			name: "namespace on a cluster-scoped resource",
			in:   header + "  namespace: istio-system\n",
			want: []want{{CodeUnknownField, "metadata.namespace", 5}},
			hint: "remove metadata.namespace",
		},
		{
			name: "YAML merge key",
			in:   header + "spec:\n  <<: {asmVpcEndpoint: {}}\n",
			want: []want{{CodeUnknownField, "spec", 6}},
		},
		{
			name: "non-text field name",
			in:   header + "spec:\n  1: x\n",
			want: []want{{CodeWrongType, "spec", 6}},
		},
		{
			name: "a list at the top",
			in:   "- apiVersion: v1\n",
			want: []want{{CodeWrongType, "", 1}},
		},
		{
			name: "empty file",
			in:   "# nothing here\n",
			want: []want{{CodeEmpty, "", 0}},
		},
		{
			name: "unquoted YAML 1.1 boolean",
			in:   header + "  labels:\n    enabled: on\n",
			want: []want{{CodeWrongType, "metadata.labels.enabled", 6}},
			hint: `"on"`,
		},
		{
			name: "unquoted YAML 1.1 boolean as a label name",
			in:   header + "  labels:\n    yes: x\n",
			want: []want{{CodeWrongType, "metadata.labels", 6}},
		},
		{
			name: "a label value that is not text",
			in:   header + "  labels:\n    team: 7\n",
			want: []want{{CodeWrongType, "metadata.labels.team", 6}},
		},
		{
			name: "every problem at once, in document order",
			in:   "apiVersion: v1\nkind: ASMPvlConfig\nmetadata:\n  name: default\n  colour: blue\nspec:\n  ackVpcEndpoint:\n  - clusterId: true\n    vswitches: []\n",
			want: []want{
				{CodeAPIVersion, "apiVersion", 1},
				{CodeUnknownField, "metadata.colour", 5},
				{CodeWrongType, "spec.ackVpcEndpoint[0].clusterId", 8},
				{CodeUnknownField, "spec.ackVpcEndpoint[0].vswitches", 9},
			},
		},
		{
			name:   "not YAML at all",
			in:     "apiVersion: [istio\nkind: x\n",
			syntax: true,
			want:   []want{{CodeSyntax, "", 1}},
		},
		{
			name:   "broken JSON",
			in:     `{"apiVersion": "istio.alibabacloud.com/v1beta1", "kind": }}`,
			syntax: true,
			want:   []want{{CodeSyntax, "", 0}},
		},
		{
			name:   "syntax error in a later document makes the file not YAML",
			in:     header + "---\na: [\n",
			syntax: true,
			want:   []want{{CodeSyntax, "", 0}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Decode([]byte(tt.in))
			if err == nil {
				t.Fatalf("Decode succeeded with %+v; want an error", cfg)
			}
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error %T %v is not a *DecodeError", err, err)
			}
			if de.Syntax != tt.syntax {
				t.Errorf("Syntax = %v, want %v (%v)", de.Syntax, tt.syntax, err)
			}
			var got []want
			for _, f := range de.Findings {
				got = append(got, want{f.Code, f.Path, f.Line})
				if f.Severity != Error || f.Message == "" {
					t.Errorf("finding %+v should be an error with a message", f)
				}
			}
			if tt.want[0].line == 0 && tt.syntax {
				// The parser does not always know the line; only check the code.
				got[0].line = 0
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("findings:\n got %+v\nwant %+v\n(%v)", got, tt.want, err)
			}
			first := de.Findings[0]
			if de.Path != first.Path || de.Line != first.Line || de.Message != first.Message {
				t.Errorf("DecodeError fields %q/%d/%q do not describe the first finding %+v", de.Path, de.Line, de.Message, first)
			}
			if !strings.Contains(first.Hint, tt.hint) {
				t.Errorf("hint %q does not contain %q", first.Hint, tt.hint)
			}
			if first.Path != "" && !strings.Contains(err.Error(), first.Path) {
				t.Errorf("error text %q does not name the path %s", err, first.Path)
			}
		})
	}
}

func TestDecodeErrorTextCountsTheRest(t *testing.T) {
	_, err := Decode([]byte("metadata: {name: default}\n"))
	if err == nil || err.Error() != "line 1: apiVersion: apiVersion is missing (and 1 more problem)" {
		t.Fatalf("got %v", err)
	}
}

func TestDecodeCapsAliasExpansion(t *testing.T) {
	// 400 clusters each aliasing a list of 400 vSwitches expand to 160,000 vSwitches.
	var b strings.Builder
	b.WriteString(header + "spec:\n  asmVpcEndpoint:\n    vSwitches: &v [" + strings.Repeat("{vSwitchId: vsw-a, zoneId: cn-hangzhou-j},", 400) + "]\n  ackVpcEndpoint:\n")
	for i := 0; i < 400; i++ {
		b.WriteString("  - {clusterId: c, vSwitches: *v}\n")
	}
	_, err := Decode([]byte(b.String()))
	var de *DecodeError
	if !errors.As(err, &de) || de.Syntax || !strings.Contains(de.Message, "more than 100000 values") {
		t.Fatalf("got %v; want the alias expansion cap", err)
	}
	if len(de.Findings) != 1 {
		t.Errorf("the cap should be reported once, got %d findings", len(de.Findings))
	}
}

func TestDecodeAcceptsAliasesWithinTheCap(t *testing.T) {
	in := header + "spec:\n  asmVpcEndpoint:\n    vSwitches: &v\n    - {vSwitchId: vsw-a, zoneId: cn-hangzhou-j}\n  ackVpcEndpoint:\n  - {clusterId: c1, vSwitches: *v}\n"
	cfg, err := Decode([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Spec.AckVpcEndpoint[0].VSwitches[0].VSwitchID; got != "vsw-a" {
		t.Fatalf("alias not followed: %q", got)
	}
}

func TestDecodeSeedWithStatus(t *testing.T) {
	cfg, err := Decode(readTestdata(t, "testdata/seed-status.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	want := &ASMPvlConfig{
		APIVersion: APIVersion, Kind: Kind, Metadata: ObjectMeta{Name: "default"},
		Spec: Spec{
			AckVpcEndpoint: []AckVpcEndpoint{{ClusterID: "cab9ace222210457a83f09fcd42****", VSwitches: []VSwitch{{"vsw-bp1jsgsanpvxpj32yai50", "cn-hangzhou-j"}}}},
			AsmVpcEndpoint: AsmVpcEndpoint{VSwitches: []VSwitch{{"vsw-bp1l5hini55sstnwd2skf", "cn-hangzhou-i"}}},
		},
		Status: &Status{
			Clusters: []ClusterLink{{
				ClusterID:          "cab9ace222210457a83f09fcd42****",
				PvlEndpoint:        &PvlEndpoint{ConnectionStatus: "Connected", DomainName: "ep-bp1i06bad79eb60c60cc.epsrv-bp1gqb8g1b8d7uactd.cn-hangzhou.privatelink.aliyuncs.com", ID: "ep-bp1i06bad79eb60c60", Status: "Active"},
				PvlEndpointService: &EndpointService{ID: "epsrv-bp1gqb8g1b8d7uactd", Name: "com.aliyuncs.privatelink.cn-hangzhou.epsrv-bp1gqb8g1b8d7uactd", Status: "Active"},
			}},
			Pilot: &PilotLink{
				Clusters: []ClusterLink{{
					ClusterID:   "cab9ace222210457a83f09fcd42****",
					PvlEndpoint: &PvlEndpoint{ConnectionStatus: "Connected", DomainName: "ep-bp1i52311b91a5a25e.epsrv-bp1cl4qwzkf747ug6tmy.cn-hangzhou.privatelink.aliyuncs.com", ID: "ep-bp1i52311b91a5a25e", Status: "Active"},
				}},
				PvlEndpointService: &EndpointService{ID: "epsrv-bp1cl4qwzkf747ug6t", Name: "com.aliyuncs.privatelink.cn-hangzhou.epsrv-bp1cl4qwzkf747ug6tmy", Status: "Active"},
			},
			Status: StatusAvailable,
		},
	}
	if !reflect.DeepEqual(cfg, want) {
		t.Fatalf("decoded seed:\n got %+v\nwant %+v", cfg, want)
	}
}

func TestDecodeJSONEqualsYAML(t *testing.T) {
	yamlIn := readTestdata(t, "testdata/seed-status.yaml")
	fromYAML, err := Decode(yamlIn)
	if err != nil {
		t.Fatal(err)
	}
	jsonIn := `{
	"apiVersion": "istio.alibabacloud.com/v1beta1",
	"kind": "ASMPvlConfig",
	"metadata": {"name": "default"},
	"spec": {
		"ackVpcEndpoint": [{"clusterId": "cab9ace222210457a83f09fcd42****",
			"vSwitches": [{"vSwitchId": "vsw-bp1jsgsanpvxpj32yai50", "zoneId": "cn-hangzhou-j"}]}],
		"asmVpcEndpoint": {"vSwitches": [{"vSwitchId": "vsw-bp1l5hini55sstnwd2skf", "zoneId": "cn-hangzhou-i"}]}
	}
}`
	fromJSON, err := Decode([]byte(jsonIn))
	if err != nil {
		t.Fatal(err)
	}
	fromYAML.Status = nil
	if !reflect.DeepEqual(fromJSON, fromYAML) {
		t.Fatalf("JSON and YAML differ:\n%+v\n%+v", fromJSON, fromYAML)
	}
	_, err = Decode([]byte(`{"apiVersion": "istio.alibabacloud.com/v1beta1", "kind": "ASMPvlConfig",
  "spec": {"asmVpcEndpoint": {"vSwitches": [{"vSwitchId": "vsw-a", "zone": "cn-hangzhou-j"}]}}}`))
	var de *DecodeError
	if !errors.As(err, &de) || de.Path != "spec.asmVpcEndpoint.vSwitches[0].zone" || de.Line != 2 {
		t.Fatalf("JSON unknown field: got %v", err)
	}
}

func TestDecodeExportedFile(t *testing.T) {
	doc, err := DecodeDocument(readTestdata(t, "testdata/exported.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := doc.Config
	if cfg.Metadata.ResourceVersion != "48213" || cfg.Metadata.Labels["app.kubernetes.io/managed-by"] != "asmlink" {
		t.Errorf("metadata not kept: %+v", cfg.Metadata)
	}
	if !strings.HasPrefix(cfg.Metadata.Annotations["kubectl.kubernetes.io/last-applied-configuration"], `{"apiVersion"`) {
		t.Errorf("annotation not kept: %q", cfg.Metadata.Annotations)
	}
	if cfg.Status == nil || cfg.Status.Status != "Provisioning" || cfg.Status.Clusters[0].PvlEndpoint.Status != "Creating" {
		t.Errorf("status not kept: %+v", cfg.Status)
	}
	wantNotes := []want{{CodeIgnored, "status.observedGeneration", 37}}
	var got []want
	for _, n := range doc.Notes {
		got = append(got, want{n.Code, n.Path, n.Line})
		if n.Severity != Info {
			t.Errorf("note %+v should be info", n)
		}
	}
	if !reflect.DeepEqual(got, wantNotes) {
		t.Errorf("notes: got %+v, want %+v", got, wantNotes)
	}
	// The server-managed fields were dropped, so the file re-encodes without them.
	out := string(Encode(cfg, EncodeOptions{}))
	for _, gone := range []string{"uid", "creationTimestamp", "managedFields", "generation", "status"} {
		if strings.Contains(out, gone+":") {
			t.Errorf("encoded file still has %s:\n%s", gone, out)
		}
	}
}

func TestDecodeAcceptsNullsEmptyDocumentsAndDates(t *testing.T) {
	in := "---\n" + header + "  labels:\n    since: 2024-05-09\n    \"yes\": \"on\"\n  annotations: ~\nspec:\n  ackVpcEndpoint: null\n  asmVpcEndpoint:\n    vSwitches: []\nstatus:\n---\n"
	cfg, err := Decode([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Metadata.Labels["yes"] != "on" {
		t.Errorf("quoted YAML 1.1 booleans are text, got %q", cfg.Metadata.Labels)
	}
	if cfg.Metadata.Labels["since"] != "2024-05-09" {
		t.Errorf("a plain date should read as the text written, got %q", cfg.Metadata.Labels["since"])
	}
	if cfg.Spec.AckVpcEndpoint != nil || cfg.Spec.AsmVpcEndpoint.VSwitches != nil || cfg.Status != nil || cfg.Metadata.Annotations != nil {
		t.Errorf("null and empty values should decode to nil: %+v", cfg)
	}
}

func TestDocumentLineAndLocate(t *testing.T) {
	doc, err := DecodeDocument(readTestdata(t, "../testdata/examples/asmpvlconfig.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for path, line := range map[string]int{
		"":                       7,
		"metadata.name":          10,
		"spec.ackVpcEndpoint[1]": 17,
		"spec.ackVpcEndpoint[1].vSwitches[1].zoneId": 22,
		"spec.asmVpcEndpoint.vSwitches[1].vSwitchId": 27,
		// Not in the file: the nearest enclosing field.
		"spec.ackVpcEndpoint[1].vSwitches[5].zoneId": 18,
		"status.status": 7,
	} {
		if got := doc.Line(path); got != line {
			t.Errorf("Line(%q) = %d, want %d", path, got, line)
		}
	}
	located := doc.Locate([]Finding{{Path: "metadata.name"}, {Path: "spec", Line: 99}})
	if located[0].Line != 10 || located[1].Line != 99 {
		t.Errorf("Locate = %+v; want line 10 filled and line 99 kept", located)
	}
}

func TestParentPath(t *testing.T) {
	for in, want := range map[string]string{
		"spec.ackVpcEndpoint[1].clusterId": "spec.ackVpcEndpoint[1]",
		"spec.ackVpcEndpoint[1]":           "spec.ackVpcEndpoint",
		`metadata.labels["a.b/c"]`:         "metadata.labels",
		"spec":                             "",
	} {
		if got := parentPath(in); got != want {
			t.Errorf("parentPath(%q) = %q, want %q", in, got, want)
		}
	}
}

// manyClusters is a valid ASMPvlConfig of n clusters, one vSwitch each,
// written out in full (no aliases).
func manyClusters(n int) []byte {
	var b strings.Builder
	b.WriteString(header + "spec:\n  asmVpcEndpoint:\n    vSwitches:\n    - {vSwitchId: vsw-bp1asm0000000000000000, zoneId: cn-hangzhou-j}\n  ackVpcEndpoint:\n")
	for i := range n {
		fmt.Fprintf(&b, "  - clusterId: c%032x\n    vSwitches:\n    - {vSwitchId: vsw-bp1%022x, zoneId: cn-hangzhou-j}\n", i+1, i+1)
	}
	return []byte(b.String())
}

func TestDecodeAcceptsTwentyThousandClusters(t *testing.T) {
	data := manyClusters(20000)
	cfg, err := Decode(data)
	if err != nil {
		t.Fatalf("a valid file of 20,000 clusters (%d bytes) is refused: %v", len(data), err)
	}
	if n := len(cfg.Spec.AckVpcEndpoint); n != 20000 {
		t.Fatalf("decoded %d clusters, want 20000", n)
	}
	if fs := Validate(cfg, nil); HasErrors(fs) {
		t.Fatalf("a valid file of 20,000 clusters has errors: %v", fs[0])
	}
}

func TestDecodeRefusesInputOverTheSizeLimit(t *testing.T) {
	data := append([]byte(header+"spec: {}\n# "), bytes.Repeat([]byte("x"), MaxSize)...)
	_, err := Decode(data)
	var de *DecodeError
	if !errors.As(err, &de) || !de.Syntax || !strings.Contains(de.Message, "16 MiB") {
		t.Fatalf("got %v; want a refusal naming the 16 MiB limit", err)
	}
}

// TestDecodeAndValidateRefuseWhatTheAPIServerRefuses covers files kubectl
// or the API server refuses (the CRD's required fields, Kubernetes
// metadata validation, kubectl's YAML reader): asmlink refuses each too,
// naming the field, while the nearest valid file passes.
func TestDecodeAndValidateRefuseWhatTheAPIServerRefuses(t *testing.T) {
	body := "spec:\n  asmVpcEndpoint:\n    vSwitches: [{vSwitchId: vsw-a1, zoneId: cn-hangzhou-j}]\n  ackVpcEndpoint:\n  - {clusterId: c0123456789abcdef0123456789abcdef, vSwitches: [{vSwitchId: vsw-b1, zoneId: cn-hangzhou-j}]}\n"
	for _, tc := range []struct {
		name, in string
		code     Code
		path     string
	}{
		{"YAML directive", "%YAML 1.1\n---\n" + header + body, CodeSyntax, ""},
		{"TAG directive", "%TAG !e! tag:example.com,2000:\n---\n" + header + body, CodeSyntax, ""},
		{"asmVpcEndpoint without vSwitches", header + "spec:\n  asmVpcEndpoint: {}\n", CodeRequired, "spec.asmVpcEndpoint.vSwitches"},
		{"asmVpcEndpoint.vSwitches null", header + "spec:\n  asmVpcEndpoint: {vSwitches: null}\n", CodeRequired, "spec.asmVpcEndpoint.vSwitches"},
		{"entry vSwitches null", header + "spec:\n  asmVpcEndpoint: {vSwitches: [{vSwitchId: vsw-a1, zoneId: cn-hangzhou-j}]}\n  ackVpcEndpoint:\n  - {clusterId: c0123456789abcdef0123456789abcdef, vSwitches: ~}\n", CodeRequired, "spec.ackVpcEndpoint[0].vSwitches"},
		{"label key with a space", strings.Replace(header, "  name: default\n", "  name: default\n  labels: {\"team name\": a}\n", 1) + body, CodeMetadata, `metadata.labels["team name"]`},
		{"label key with two slashes", strings.Replace(header, "  name: default\n", "  name: default\n  labels: {\"a/b/c\": a}\n", 1) + body, CodeMetadata, `metadata.labels["a/b/c"]`},
		{"label value too long", strings.Replace(header, "  name: default\n", "  name: default\n  labels: {team: "+strings.Repeat("x", 64)+"}\n", 1) + body, CodeMetadata, `metadata.labels["team"]`},
		{"annotation key with a space", strings.Replace(header, "  name: default\n", "  name: default\n  annotations: {\"my note\": a}\n", 1) + body, CodeMetadata, `metadata.annotations["my note"]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var findings []Finding
			cfg, err := Decode([]byte(tc.in))
			var de *DecodeError
			switch {
			case errors.As(err, &de):
				findings = de.Findings
			case err != nil:
				t.Fatal(err)
			default:
				findings = Validate(cfg, nil)
			}
			found := false
			for _, f := range findings {
				found = found || (f.Code == tc.code && f.Path == tc.path && f.Severity == Error)
			}
			if !found {
				t.Errorf("no error %s at %q; findings: %v", tc.code, tc.path, findings)
			}
		})
	}
	ok := strings.Replace(header, "  name: default\n", "  name: default\n  labels: {app.example.com/team: mesh-1, tier: \"\"}\n  annotations: {Example.com/Note: any text at all}\n", 1) + body
	cfg, err := Decode([]byte(ok))
	if err != nil {
		t.Fatal(err)
	}
	if fs := Validate(cfg, nil); HasErrors(fs) {
		t.Errorf("a file the API server accepts is refused: %v", fs)
	}
}
