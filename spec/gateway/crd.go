package gateway

import _ "embed"

// CRD is a CustomResourceDefinition of IstioGateway for test API servers.
// ASM installs its own in the instance's API server; this one declares the
// fields "CRD fields for an ASM gateway" documents, with their types, and
// keeps every other field of spec and status as it is, since the real
// definition has many more. Lists carry no merge keys: a CRD without
// x-kubernetes-list-type annotations has atomic lists, so a server-side
// apply replaces ports and clusterIds whole, which is what asmlink asks for.
//
//go:embed crd.yaml
var CRD []byte
