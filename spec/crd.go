package spec

import _ "embed"

// CRD is the ASMPvlConfig CustomResourceDefinition (apiextensions.k8s.io/v1)
// in YAML. Tests install it in a real kube-apiserver to stand in for an ASM
// instance's API server; it is not applied to real ASM instances, which have
// their own.
//
//go:embed crd.yaml
var CRD []byte
