//go:build tools

// Package apiserver pins the server binaries the integration tests need; see build.sh.
package apiserver

import (
	_ "go.etcd.io/etcd/server/v3"
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
)
