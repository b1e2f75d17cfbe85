package spec

import (
	"bytes"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// EncodeOptions choose what Encode writes besides the object itself.
type EncodeOptions struct {
	// Status keeps the status section. Leave it off for a file to apply:
	// status is written by ASM, never by a person.
	Status bool
	// Header, when set, is written as a YAML comment above the object so that
	// a reviewer of a GitOps change sees what produced the file and from
	// which cloud facts.
	Header *Header
}

// Header says what produced a file and which cloud facts it was built from.
type Header struct {
	// Producer is the program and command, e.g. "asmlink v0.4.0 connect".
	Producer string
	// MeshID is the ASM instance the file is meant for.
	MeshID string
	// Facts are the cloud's listings the vSwitches and zones were taken from.
	Facts *Facts
}

// Encode writes cfg as YAML that kubectl apply -f accepts, in the order a
// person reads it: apiVersion, kind, metadata, spec (ackVpcEndpoint, then
// asmVpcEndpoint), then status if asked for. The output is stable: the same
// object always gives the same bytes. Text that is not valid UTF-8 is
// written with U+FFFD in place of the invalid bytes. Encode of nil is empty.
func Encode(cfg *ASMPvlConfig, opts EncodeOptions) []byte {
	if cfg == nil {
		return nil
	}
	var buf bytes.Buffer
	if opts.Header != nil {
		writeHeader(&buf, cfg, opts.Header)
	}
	obj := *cfg
	if !opts.Status {
		obj.Status = nil
	}
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	enc.CompactSeqIndent()
	if err := enc.Encode(encodeNode(reflect.ValueOf(obj))); err != nil {
		// Every node is built here from strings, lists and objects, which
		// the encoder always accepts.
		panic("spec: encoding ASMPvlConfig: " + err.Error())
	}
	if err := enc.Close(); err != nil {
		panic("spec: encoding ASMPvlConfig: " + err.Error())
	}
	return buf.Bytes()
}

// encodeNode turns a value of the ASMPvlConfig types into a YAML node,
// following the JSON field tags: struct fields in declaration order,
// omitempty fields left out when empty, map keys sorted.
func encodeNode(v reflect.Value) *yaml.Node {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
		}
		return encodeNode(v.Elem())
	case reflect.Struct:
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			name, opt, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
			f := v.Field(i)
			if opt == "omitempty" && isEmptyValue(f) {
				continue
			}
			n.Content = append(n.Content, textNode(name), encodeNode(f))
		}
		return n
	case reflect.Slice:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		if v.Len() == 0 {
			n.Style = yaml.FlowStyle
		}
		for i := 0; i < v.Len(); i++ {
			n.Content = append(n.Content, encodeNode(v.Index(i)))
		}
		return n
	case reflect.Map:
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		if v.Len() == 0 {
			n.Style = yaml.FlowStyle
		}
		keys := make([]string, 0, v.Len())
		for _, k := range v.MapKeys() {
			keys = append(keys, k.String())
		}
		sort.Strings(keys)
		for _, k := range keys {
			n.Content = append(n.Content, textNode(k), encodeNode(v.MapIndex(reflect.ValueOf(k))))
		}
		return n
	case reflect.String:
		return textNode(v.String())
	}
	panic("spec: encoder has no case for " + v.Kind().String())
}

func isEmptyValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer:
		return v.IsNil()
	case reflect.Slice, reflect.Map, reflect.String:
		return v.Len() == 0
	}
	return false
}

// textNode is a YAML string. Text made only of characters that are safe
// unquoted is left plain; anything else is written double-quoted, which
// round-trips every string exactly. Text that starts with a digit or that
// YAML 1.1 reads as a boolean (yes, on, n, ...) is quoted too, because
// kubectl reads files as YAML 1.1.
func textNode(s string) *yaml.Node {
	s = strings.ToValidUTF8(s, string(utf8.RuneError))
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	if !plainText(s) {
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

func plainText(s string) bool {
	if s == "" || yaml11Bool(s) || (s[0] >= '0' && s[0] <= '9') {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == '-' || c == '.' || c == '_' || c == '/':
			if i == 0 && c != '/' {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// writeHeader writes the review comment: who produced the file, for which
// ASM instance, and the cloud facts behind every vSwitch and zone in it.
func writeHeader(buf *bytes.Buffer, cfg *ASMPvlConfig, h *Header) {
	line := func(format string, args ...any) {
		text := fmt.Sprintf(format, args...)
		text = strings.Map(func(r rune) rune {
			if r == '\n' || r == '\r' {
				return ' '
			}
			return r
		}, text)
		// The facts come from the cloud: escaped, as on a terminal, since
		// the file is reviewed with cat or less.
		buf.WriteString(strings.TrimRight("# "+Printable(text), " ") + "\n")
	}
	producer := h.Producer
	if producer == "" {
		producer = "asmlink"
	}
	mesh := h.MeshID
	if mesh == "" {
		mesh = "<ASM instance ID>"
	}
	line("Produced by %s. Review, then apply to the ASM instance's API server with", producer)
	line("  asmlink apply -f <this file> --mesh %s", mesh)
	line("which merges it with the live object; kubectl apply -f would replace the whole list of clusters.")
	f := h.Facts
	if h.MeshID != "" || f != nil {
		var parts []string
		if h.MeshID != "" {
			parts = append(parts, h.MeshID)
		}
		if f != nil && f.Region != "" {
			parts = append(parts, "region "+f.Region)
		}
		if f != nil && f.AsmVpcID != "" {
			parts = append(parts, "VPC "+f.AsmVpcID)
		}
		line("ASM instance: %s", strings.Join(parts, ", "))
	}
	if f == nil || f.VSwitches == nil {
		line("vSwitches and zones were not checked against the cloud.")
		return
	}
	for _, e := range cfg.Spec.AckVpcEndpoint {
		if vpc, ok := f.ClusterVpcIDs[e.ClusterID]; ok {
			line("ACK cluster %s: VPC %s", e.ClusterID, vpc)
		}
	}
	when := "at an unrecorded time"
	if !f.ListedAt.IsZero() {
		when = "at " + f.ListedAt.UTC().Format(time.RFC3339)
	}
	where := ""
	if f.Region != "" {
		where = " in " + f.Region
	}
	line("vSwitches as the cloud listed them%s %s:", where, when)
	seen := map[string]bool{}
	for _, v := range cfg.vSwitchesInOrder() {
		if seen[v.VSwitchID] {
			continue
		}
		seen[v.VSwitchID] = true
		if fact, ok := f.VSwitches[v.VSwitchID]; ok {
			line("  %s  zone %s  VPC %s", v.VSwitchID, fact.ZoneID, fact.VpcID)
		} else {
			line("  %s  not found in the listing", v.VSwitchID)
		}
	}
}

// vSwitchesInOrder lists every vSwitch of the spec as it appears: each
// cluster's, then the ASM instance's.
func (c *ASMPvlConfig) vSwitchesInOrder() []VSwitch {
	var out []VSwitch
	for _, e := range c.Spec.AckVpcEndpoint {
		out = append(out, e.VSwitches...)
	}
	return append(out, c.Spec.AsmVpcEndpoint.VSwitches...)
}

// yaml11Bool tells whether s, unquoted, is a boolean to a YAML 1.1 reader
// such as kubectl, even though YAML 1.2 reads it as text.
func yaml11Bool(s string) bool {
	switch strings.ToLower(s) {
	case "y", "yes", "n", "no", "on", "off", "true", "false":
		return true
	}
	return false
}
