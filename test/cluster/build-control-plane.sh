#!/usr/bin/env bash
# Builds the test control plane (etcd, kube-apiserver, kube-controller-manager,
# kubectl) from the Go module proxy with this machine's Go, and caches the
# binaries outside the repository, keyed by version and by the go.sum files,
# so a second run builds nothing. Prints the cache directory on stdout.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
K8S_VERSION="v1.37.2"
ETCD_VERSION="$(awk '$1=="go.etcd.io/etcd/server/v3" && $2 ~ /^v/ {print $2; exit}' "$here/go/etcd/go.mod")"
key="$(cat "$here/go/kube/go.mod" "$here/go/kube/go.sum" "$here/go/etcd/go.mod" "$here/go/etcd/go.sum" | sha256sum | cut -c1-12)"
cache_root="${SAFE_SECRET_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kubectl-safe-secret}"
out="$cache_root/control-plane/k8s-$K8S_VERSION-etcd-$ETCD_VERSION-$key"
binaries=(etcd kube-apiserver kube-controller-manager kubectl)

complete() {
  for b in "${binaries[@]}"; do [[ -x "$out/$b" ]] || return 1; done
}

if complete; then
  echo "$out"
  exit 0
fi

# One build at a time: a second caller waits for the first, then finds the cache.
mkdir -p "$cache_root"
exec 9>"$cache_root/build.lock"
flock 9
if complete; then
  echo "$out"
  exit 0
fi

command -v go >/dev/null || { echo "build-control-plane: Go is required (https://go.dev/dl)" >&2; exit 1; }
export CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-mod=mod
mkdir -p "$out"
staging="$(mktemp -d "$out.tmp.XXXXXX")"
trap 'rm -rf "$staging"' EXIT

echo "build-control-plane: building etcd $ETCD_VERSION into $out" >&2
(cd "$here/go/etcd" && go build -trimpath -ldflags "-s -w" -o "$staging/etcd" go.etcd.io/etcd/server/v3)

ver_ldflags=""
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  minor="${K8S_VERSION#v1.}"; minor="${minor%%.*}"
  ver_ldflags+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
done
echo "build-control-plane: building kube-apiserver, kube-controller-manager, kubectl $K8S_VERSION (a cold build takes tens of minutes)" >&2
(cd "$here/go/kube" && go build -trimpath -ldflags "-s -w$ver_ldflags" -o "$staging/" \
  k8s.io/kubernetes/cmd/kube-apiserver \
  k8s.io/kubernetes/cmd/kube-controller-manager \
  k8s.io/kubernetes/cmd/kubectl)

for b in "${binaries[@]}"; do mv "$staging/$b" "$out/$b"; done
echo "$out"
