#!/usr/bin/env bash
# Builds kube-apiserver and etcd for the integration tests, once, into a
# versioned cache directory, and prints that directory. Later runs reuse it.
# The tests find the same directory on their own (cloud/kube/kubetest).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
version="k8s-1.34.4-etcd-3.6.4"
dir="${ASMLINK_ASSETS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/asmlink/envtest/$version}"
if [[ -x "$dir/kube-apiserver" && -x "$dir/etcd" ]]; then
  echo "$dir"
  exit 0
fi
mkdir -p "$dir"
tmp="$(mktemp -d "$dir/.build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
echo "building kube-apiserver and etcd into $dir (about 7 minutes the first time)" >&2
cd "$here"
CGO_ENABLED=0 go build -trimpath -ldflags=-s -o "$tmp/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver
CGO_ENABLED=0 go build -trimpath -ldflags=-s -o "$tmp/etcd" go.etcd.io/etcd/server/v3
mv "$tmp/kube-apiserver" "$tmp/etcd" "$dir/"
echo "$dir"
