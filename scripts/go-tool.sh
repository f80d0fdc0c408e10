#!/usr/bin/env bash
# Builds one Go command from the Go module proxy, once per version, and prints
# the path of the executable. Tools the release and its tests use: krew's
# validate-krew-manifest and krew itself, actionlint.
#
#   bash scripts/go-tool.sh sigs.k8s.io/krew/cmd/validate-krew-manifest v0.4.3
#
# Cached outside the repository, keyed by name and version:
# ~/.cache/kubectl-safe-secret/go-tools/<name>@<version>/<name>. A lock
# serialises concurrent builds; a build lands in place only when complete.
set -euo pipefail
pkg=${1:?module path of the command} version=${2:?exact version, e.g. v0.4.3}
name=${pkg##*/}
cache="${XDG_CACHE_HOME:-$HOME/.cache}/kubectl-safe-secret/go-tools"
dir="$cache/$name@$version"
if [[ ! -x $dir/$name ]]; then
  mkdir -p "$cache"
  exec 9>"$cache/.lock"
  flock 9
  if [[ ! -x $dir/$name ]]; then
    tmp=$(mktemp -d "$cache/.build.XXXXXX")
    trap 'rm -rf "$tmp"' EXIT
    echo "go-tool: building $pkg@$version" >&2
    (cd "$tmp" && GOBIN="$tmp" GOTOOLCHAIN=local CGO_ENABLED=0 go install -trimpath "$pkg@$version") >&2
    rm -rf "$dir"
    mv "$tmp" "$dir"
    trap - EXIT
  fi
fi
echo "$dir/$name"
