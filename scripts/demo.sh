#!/usr/bin/env bash
# The main job, end to end, on the bundled local control plane: install what is
# missing, start the cluster, pipe a value into `kubectl safe-secret create`
# through the real kubectl, and show the result (values stay redacted).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Node 24 first on PATH (scripts/node-runtime.sh), for setup and the plugin alike.
source scripts/node-runtime.sh
bash scripts/setup.sh
npm run --silent cluster:up
bin_dir="$(bash test/cluster/build-control-plane.sh)"
export KUBECONFIG="$PWD/.cluster/kubeconfig"
export PATH="$PWD/bin:$bin_dir:$PATH"

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }

step kubectl safe-secret whoami
kubectl safe-secret whoami

name="demo-db-$(date +%s)"
step "head -c 24 /dev/urandom | base64 | kubectl safe-secret create $name --from-stdin=password --ttl 10m -o yaml"
head -c 24 /dev/urandom | base64 | kubectl safe-secret create "$name" --from-stdin=password --ttl 10m -o yaml

step kubectl describe secret "$name"
kubectl describe secret "$name"

step kubectl safe-secret list
kubectl safe-secret list

printf '\nThe cluster is still up: export KUBECONFIG=%s PATH=%s:$PATH\nStop it with: npm run cluster:down\n' "$KUBECONFIG" "$PWD/bin:$bin_dir"
