package spec

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// DecodeError says why bytes are not an ASMPvlConfig. Path, Line and
// Message describe the first problem; Findings lists every problem found,
// in document order, with its code and line.
type DecodeError struct {
	// Syntax is true when the input is not YAML (or JSON) at all, as opposed
	// to YAML that is not a valid ASMPvlConfig. Commands exit 2 for the
	// first and 3 for the second.
	Syntax   bool
	Path     string
	Line     int
	Message  string
	Findings []Finding
}

// Error renders the first problem and how many more there are.
func (e *DecodeError) Error() string {
	var b strings.Builder
	if e.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", e.Line)
	}
	if e.Path != "" {
		fmt.Fprintf(&b, "%s: ", e.Path)
	}
	b.WriteString(e.Message)
	if n := len(e.Findings) - 1; n > 0 {
		fmt.Fprintf(&b, " (and %d more problem%s)", n, plural(n))
	}
	return b.String()
}

// Document is a decoded ASMPvlConfig together with where each field was in
// the source, so that findings can point at a line.
type Document struct {
	Config *ASMPvlConfig
	// Notes are informational findings made while decoding, such as status
	// fields asmlink does not know and therefore ignored.
	Notes []Finding
	lines map[string]int
}

// Line returns the source line of the field at path, or of its nearest
// enclosing field when the path itself is not in the source (a missing
// field). It returns 0 when nothing is known.
func (d *Document) Line(path string) int {
	for {
		if l, ok := d.lines[path]; ok {
			return l
		}
		if path == "" {
			return 0
		}
		path = parentPath(path)
	}
}

// Locate returns a copy of findings with Line set from the source wherever
// a finding does not already carry one.
func (d *Document) Locate(findings []Finding) []Finding {
	out := make([]Finding, len(findings))
	for i, f := range findings {
		if f.Line == 0 {
			f.Line = d.Line(f.Path)
		}
		out[i] = f
	}
	return out
}

// parentPath drops the last segment: a.b[2] -> a.b -> a -> "".
func parentPath(p string) string {
	if strings.HasSuffix(p, "\"]") {
		if i := strings.LastIndex(p, "[\""); i >= 0 {
			return p[:i]
		}
	}
	i := strings.LastIndexAny(p, ".[")
	if i < 0 {
		return ""
	}
	return p[:i]
}

// Decode reads one ASMPvlConfig from YAML or JSON, strictly: unknown fields,
// wrong types, duplicate fields, a second document, and a wrong apiVersion
// or kind are all errors. The error is a *DecodeError naming the field path
// and line of every problem.
//
// Two things are accepted because files exported from a server have them:
// status (fields asmlink does not know under status are ignored with an
// info note), and metadata fields the API server manages (uid,
// creationTimestamp, generation, managedFields, ...), which are dropped.
func Decode(data []byte) (*ASMPvlConfig, error) {
	doc, err := DecodeDocument(data)
	if err != nil {
		return nil, err
	}
	return doc.Config, nil
}

// DecodeDocument is Decode that also keeps the line of every field and the
// informational notes made while decoding.
func DecodeDocument(data []byte) (*Document, error) {
	if len(data) > MaxSize {
		msg := fmt.Sprintf("the input is %d bytes, more than the %d (16 MiB) asmlink reads", len(data), MaxSize)
		f := newFinding(CodeSyntax, "", msg, "an ASMPvlConfig of 20,000 clusters is about 4 MB: check that this is the right file")
		return nil, &DecodeError{Syntax: true, Message: msg, Findings: []Finding{f}}
	}
	if m := yamlDirective.FindIndex(data); m != nil {
		line := 1 + bytes.Count(data[:m[0]], []byte("\n"))
		msg := "a YAML directive (" + strings.TrimSpace(string(data[m[0]:m[1]])) + "): kubectl's YAML reader refuses directives"
		f := newFinding(CodeSyntax, "", msg, "remove the %YAML or %TAG line; asmlink and kubectl read YAML without it")
		f.Line = line
		return nil, &DecodeError{Syntax: true, Line: line, Message: msg, Findings: []Finding{f}}
	}
	root, err := parseSingle(data)
	if err != nil {
		return nil, err
	}
	d := &decoder{lines: map[string]int{}}
	cfg := &ASMPvlConfig{}
	if root == nil {
		d.problem(CodeEmpty, "", 0, "the file holds no object", "write an ASMPvlConfig: apiVersion: "+APIVersion+", kind: "+Kind+", metadata.name: "+Name+", spec")
	} else {
		d.lines[""] = root.Line
		d.value(root, reflect.ValueOf(cfg).Elem(), "")
		d.checkIdentity(cfg, root)
		d.checkRequired(root)
	}
	if len(d.problems) > 0 {
		SortFindings(d.problems)
		first := d.problems[0]
		return nil, &DecodeError{Path: first.Path, Line: first.Line, Message: first.Message, Findings: d.problems}
	}
	SortFindings(d.notes)
	return &Document{Config: cfg, Notes: d.notes, lines: d.lines}, nil
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlDirective finds a %YAML or %TAG directive line: they are only ever at
// the start of a line, and no value of an ASMPvlConfig starts a line with %.
var yamlDirective = regexp.MustCompile(`(?m)^%(YAML|TAG)\b[^\n]*`)

// checkRequired reports fields the CRD's schema requires (spec/crd.yaml:
// required, not nullable) that the file gives without a value, which the
// API server refuses although they decode to an empty value here: an
// asmVpcEndpoint without vSwitches, or a list or ID given as null.
func (d *decoder) checkRequired(root *yaml.Node) {
	spec := mapValue(root, "spec")
	asm := mapValue(spec, "asmVpcEndpoint")
	if asm != nil && asm.Kind == yaml.MappingNode {
		if vs := mapValue(asm, "vSwitches"); vs == nil || isNull(vs) {
			d.problem(CodeRequired, "spec.asmVpcEndpoint.vSwitches", asm.Line, "asmVpcEndpoint has no vSwitches list; the API server requires one",
				"list the ASM instance's vSwitches, or leave asmVpcEndpoint out while no cluster is listed")
		}
	}
	ack := mapValue(spec, "ackVpcEndpoint")
	if ack == nil || ack.Kind != yaml.SequenceNode {
		return
	}
	for i, e := range ack.Content {
		for _, field := range []string{"clusterId", "vSwitches"} {
			if v := mapValue(e, field); v != nil && isNull(v) {
				p := fmt.Sprintf("spec.ackVpcEndpoint[%d].%s", i, field)
				d.problem(CodeRequired, p, v.Line, field+" is null; the API server requires a value", "give the value, or remove the entry")
			}
		}
	}
}

// mapValue is the value of key in mapping n (aliases followed), or nil.
func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			v := n.Content[i+1]
			if v.Kind == yaml.AliasNode {
				v = v.Alias
			}
			return v
		}
	}
	return nil
}

// parseSingle parses data as YAML and returns the root node of its only
// non-empty document (nil when there is none). A second non-empty document
// is a schema problem, not a syntax error.
func parseSingle(data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var root *yaml.Node
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return root, nil
		}
		if err != nil {
			return nil, syntaxError(err)
		}
		if len(doc.Content) == 0 || isEmptyDocument(doc.Content[0]) {
			continue
		}
		if root != nil {
			line := doc.Content[0].Line
			msg := "the file holds more than one YAML document"
			f := newFinding(CodeMultiDoc, "", msg, "keep only the ASMPvlConfig in this file; ASM reads a single object named "+Name)
			f.Line = line
			return nil, &DecodeError{Line: line, Message: msg, Findings: []Finding{f}}
		}
		root = doc.Content[0]
	}
}

func isEmptyDocument(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null" && (n.Value == "" || n.Value == "~" || n.Value == "null")
}

func syntaxError(err error) *DecodeError {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	msg = "not YAML or JSON: " + msg
	f := newFinding(CodeSyntax, "", msg, "fix the YAML syntax (indentation, quotes, colons) at the line shown")
	f.Line = line
	return &DecodeError{Syntax: true, Line: line, Message: msg, Findings: []Finding{f}}
}

// maxAliased bounds how many values YAML aliases may expand to, so that
// an alias bomb (aliases of aliases) cannot make decoding take unbounded
// time or memory. Values written out are not counted: MaxSize bounds them,
// and a file of 20,000 clusters has about 120,000.
const maxAliased = 100000

// MaxSize is the largest input asmlink decodes, 16 MiB: an ASMPvlConfig
// of 20,000 clusters with two vSwitches each is about 4 MB, and the
// Kubernetes API server refuses objects over about 1.5 MB (etcd's request
// limit), so nothing real comes near it. Commands read at most this much
// (ui/cmdutil.ReadInput).
const MaxSize = 16 << 20

// serverManagedMetadata are metadata fields the API server sets. They are
// accepted and dropped so that a file exported with kubectl validates.
var serverManagedMetadata = map[string]bool{
	"uid": true, "creationTimestamp": true, "generation": true, "managedFields": true,
	"selfLink": true, "deletionTimestamp": true, "deletionGracePeriodSeconds": true,
	"finalizers": true, "ownerReferences": true, "generateName": true,
}

type decoder struct {
	problems []Finding
	notes    []Finding
	lines    map[string]int
	// inAlias is how many aliases deep the value being decoded is, and
	// aliased how many values were decoded through one.
	inAlias, aliased int
}

func (d *decoder) problem(code Code, path string, line int, message, hint string) {
	f := newFinding(code, path, message, hint)
	f.Line = line
	d.problems = append(d.problems, f)
}

// value decodes node n into v, which is addressable, recording problems
// under path.
func (d *decoder) value(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
		d.inAlias++
		defer func() { d.inAlias-- }()
	}
	if d.inAlias > 0 {
		d.aliased++
		if d.aliased > maxAliased {
			if d.aliased == maxAliased+1 {
				d.problem(CodeWrongType, path, n.Line, fmt.Sprintf("YAML aliases expand to more than %d values", maxAliased), "write the values out instead of repeating aliases")
			}
			return
		}
	}
	if isNull(n) {
		return // null is the zero value, as in Kubernetes JSON
	}
	switch v.Kind() {
	case reflect.Pointer:
		elem := reflect.New(v.Type().Elem())
		d.value(n, elem.Elem(), path)
		v.Set(elem)
	case reflect.Struct:
		d.object(n, v, path)
	case reflect.Slice:
		d.list(n, v, path)
	case reflect.Map:
		d.stringMap(n, v, path)
	case reflect.String:
		if s, ok := d.text(n, path); ok {
			v.SetString(s)
		}
	default:
		panic("spec: decoder has no case for " + v.Kind().String())
	}
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// describe names what a node holds, for type errors.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "an object"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!int", "!!float":
			return "the number " + Quote(n.Value)
		case "!!bool":
			return "the boolean " + Quote(n.Value)
		case "!!str":
			return Quote(n.Value)
		}
		return "a value tagged " + Quote(n.Tag)
	}
	return "an unsupported YAML value"
}

func (d *decoder) wrongType(n *yaml.Node, path, want, hint string) {
	d.problem(CodeWrongType, path, n.Line, fmt.Sprintf("expected %s, found %s", want, describe(n)), hint)
}

func (d *decoder) text(n *yaml.Node, path string) (string, bool) {
	// A plain date such as 2024-05-09 is text to asmlink, as written.
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!str" && n.Tag != "!!timestamp") {
		hint := "write text here"
		if n.Kind == yaml.ScalarNode {
			hint = "quote the value if it is meant as text: \"" + n.Value + "\""
		}
		d.wrongType(n, path, "text", hint)
		return "", false
	}
	if n.Style == 0 && n.Tag == "!!str" && yaml11Bool(n.Value) {
		d.problem(CodeWrongType, path, n.Line, fmt.Sprintf("unquoted %s is a boolean to kubectl, which reads YAML 1.1", Quote(n.Value)),
			"quote the value if it is meant as text: \""+n.Value+"\"")
		return "", false
	}
	return n.Value, true
}

// keys walks the key/value pairs of a mapping node, rejecting merge keys,
// non-text keys and duplicates, and calls fn for each accepted pair.
func (d *decoder) keys(n *yaml.Node, path string, fn func(key string, k, v *yaml.Node)) {
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.AliasNode && k.Alias != nil {
			k = k.Alias
		}
		if k.Tag == "!!merge" {
			d.problem(CodeUnknownField, path, k.Line, "YAML merge keys (<<) are not supported", "write the fields out in full")
			continue
		}
		if k.Kind != yaml.ScalarNode || k.Tag != "!!str" || (k.Style == 0 && yaml11Bool(k.Value)) {
			d.problem(CodeWrongType, path, k.Line, fmt.Sprintf("expected a field name, found %s", describe(k)), "field names are text; quote names such as \"yes\" that kubectl reads as booleans")
			continue
		}
		if first, dup := seen[k.Value]; dup {
			d.problem(CodeDuplicateKey, joinField(path, k.Value), k.Line, fmt.Sprintf("field %s is given twice (first on line %d)", Quote(k.Value), first), "keep one of them")
			continue
		}
		seen[k.Value] = k.Line
		fn(k.Value, k, val)
	}
}

func (d *decoder) object(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.wrongType(n, path, "an object", "")
		return
	}
	fields := jsonFields(v.Type())
	d.keys(n, path, func(key string, k, val *yaml.Node) {
		fp := joinField(path, key)
		idx, ok := fields[key]
		if !ok {
			d.unknownField(path, fp, key, k.Line, fields)
			return
		}
		line := k.Line
		d.lines[fp] = line
		d.value(val, v.Field(idx), fp)
	})
}

func (d *decoder) unknownField(parent, path, key string, line int, fields map[string]int) {
	switch {
	case parent == "metadata" && serverManagedMetadata[key]:
		return
	case parent == "metadata" && key == "namespace":
		d.problem(CodeUnknownField, path, line, "ASMPvlConfig is cluster-scoped and has no namespace", "remove metadata.namespace")
	case parent == "status" || strings.HasPrefix(parent, "status."):
		f := newFinding(CodeIgnored, path, fmt.Sprintf("field %s under status is not one asmlink knows; ignored", Quote(key)), "")
		f.Line = line
		d.notes = append(d.notes, f)
	default:
		d.problem(CodeUnknownField, path, line, fmt.Sprintf("unknown field %s", Quote(key)), fieldHint(key, fields))
	}
}

// fieldHint suggests the known field a mistyped one most likely means.
func fieldHint(key string, fields map[string]int) string {
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if strings.EqualFold(name, key) {
			return fmt.Sprintf("did you mean %q? Field names are case-sensitive", name)
		}
	}
	return "fields allowed here: " + strings.Join(names, ", ")
}

func (d *decoder) list(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.SequenceNode {
		d.wrongType(n, path, "a list", "start each item with \"- \"")
		return
	}
	if len(n.Content) == 0 {
		return
	}
	s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	for i, item := range n.Content {
		ip := path + "[" + strconv.Itoa(i) + "]"
		d.lines[ip] = item.Line
		d.value(item, s.Index(i), ip)
	}
	v.Set(s)
}

func (d *decoder) stringMap(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.wrongType(n, path, "an object of text values", "")
		return
	}
	m := reflect.MakeMap(v.Type())
	d.keys(n, path, func(key string, k, val *yaml.Node) {
		fp := joinField(path, key)
		d.lines[fp] = k.Line
		if val.Kind == yaml.AliasNode && val.Alias != nil {
			val = val.Alias
		}
		if s, ok := d.text(val, fp); ok {
			m.SetMapIndex(reflect.ValueOf(key), reflect.ValueOf(s))
		}
	})
	if m.Len() > 0 {
		v.Set(m)
	}
}

// joinField appends a field name to a path. Names that are not plain
// identifiers (label keys such as app.kubernetes.io/name) are quoted.
func joinField(path, name string) string {
	if !plainField.MatchString(name) {
		name = "[" + Quote(name) + "]"
		return path + name
	}
	if path == "" {
		return name
	}
	return path + "." + name
}

var plainField = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// jsonFields maps the JSON names of a struct's fields to their indexes.
func jsonFields(t reflect.Type) map[string]int {
	m := make(map[string]int, t.NumField())
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		m[name] = i
	}
	return m
}

// checkIdentity reports a wrong or missing apiVersion or kind.
func (d *decoder) checkIdentity(cfg *ASMPvlConfig, root *yaml.Node) {
	if root.Kind != yaml.MappingNode {
		return // already reported as a type error
	}
	if cfg.APIVersion != APIVersion && !d.hasProblemAt("apiVersion") {
		msg := "apiVersion is missing"
		if cfg.APIVersion != "" {
			msg = fmt.Sprintf("apiVersion is %s, not %s", Quote(cfg.APIVersion), APIVersion)
		}
		d.problem(CodeAPIVersion, "apiVersion", d.lineOr("apiVersion", root.Line), msg, "set apiVersion: "+APIVersion)
	}
	if cfg.Kind != Kind && !d.hasProblemAt("kind") {
		msg := "kind is missing"
		if cfg.Kind != "" {
			msg = fmt.Sprintf("kind is %s, not %s", Quote(cfg.Kind), Kind)
		}
		d.problem(CodeKind, "kind", d.lineOr("kind", root.Line), msg, "set kind: "+Kind)
	}
}

func (d *decoder) hasProblemAt(path string) bool {
	for _, p := range d.problems {
		if p.Path == path {
			return true
		}
	}
	return false
}

func (d *decoder) lineOr(path string, fallback int) int {
	if l, ok := d.lines[path]; ok {
		return l
	}
	return fallback
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
