package spec

import (
	"encoding/json"
	"fmt"
)

// The size of the object where it is stored. The API server keeps
// ASMPvlConfig/default in etcd, which refuses a request larger than its
// --max-request-bytes: 1.5 MiB by default (etcd's "System limits",
// https://etcd.io/docs/latest/dev-guide/limit/: "By default, the maximum
// size of any request is 1.5 MiB. This limit is configurable through
// --max-request-bytes flag for etcd server"). A custom resource is stored
// as its JSON, so a write of an object whose JSON is over the limit fails,
// after every check passed, with an error that names no field.
const (
	// DefaultMaxBytes is etcd's default --max-request-bytes, 1.5 MiB.
	DefaultMaxBytes = 3 << 19
	// WarnBytes is the size from which asmlink warns: 1 MiB, leaving a
	// third of the default limit for what the server adds (managedFields,
	// status, the object's own metadata) and for growth.
	WarnBytes = 1 << 20
)

// EncodedSize is the length in bytes of cfg's compact JSON, as the API
// server stores a custom resource: what asmlink measures against etcd's
// limit. The stored object is larger by its managedFields, uid and
// timestamps, and by its status once ASM writes it.
func EncodedSize(cfg *ASMPvlConfig) int {
	data, err := json.Marshal(cfg)
	if err != nil {
		// Every field is a string, a list or an object of strings.
		panic("spec: encoding ASMPvlConfig as JSON: " + err.Error())
	}
	return len(data)
}

// CheckSize measures cfg (EncodedSize) against limit, the largest object
// the server's etcd stores in bytes (DefaultMaxBytes unless the server is
// known to have another --max-request-bytes; 0 is DefaultMaxBytes). An
// object over limit is an error (CodeTooLarge): the write would fail. One
// of WarnBytes or more, within the limit, is a warning (CodeLarge). The
// findings are about the whole object, so their path is empty.
func CheckSize(cfg *ASMPvlConfig, limit int64) []Finding {
	if cfg == nil {
		return nil
	}
	if limit <= 0 {
		limit = DefaultMaxBytes
	}
	n := int64(EncodedSize(cfg))
	clusters := len(cfg.Spec.AckVpcEndpoint)
	switch {
	case n > limit:
		return []Finding{newFinding(CodeTooLarge, "",
			fmt.Sprintf("the object is %s encoded (%d cluster(s)), over the limit of %s: the API server's etcd would refuse the write", FormatBytes(n), clusters, FormatBytes(limit)),
			"remove clusters that are no longer used (asmlink remove), or connect some clusters to another ASM instance; "+
				"if this API server's etcd runs with a larger --max-request-bytes, pass that limit as --max-object-size")}
	case n >= WarnBytes:
		return []Finding{newFinding(CodeLarge, "",
			fmt.Sprintf("the object is %s encoded (%d cluster(s)), near the limit of %s that the API server's etcd stores", FormatBytes(n), clusters, FormatBytes(limit)),
			"the server adds managedFields and status to it: plan to remove unused clusters or to connect new ones to another ASM instance before it reaches the limit")}
	}
	return nil
}

// FormatBytes writes n bytes for a person: in MiB or KiB with one decimal
// when that is not exact, with the exact count beside it.
func FormatBytes(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%s MiB (%d bytes)", trimZero(float64(n)/(1<<20)), n)
	case n >= 1<<10:
		return fmt.Sprintf("%s KiB (%d bytes)", trimZero(float64(n)/(1<<10)), n)
	}
	return fmt.Sprintf("%d bytes", n)
}

// trimZero writes x with one decimal, without a trailing ".0".
func trimZero(x float64) string {
	s := fmt.Sprintf("%.1f", x)
	if len(s) > 2 && s[len(s)-2:] == ".0" {
		return s[:len(s)-2]
	}
	return s
}
