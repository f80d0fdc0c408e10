#!/usr/bin/env bash
# Installs what the tests and the demo need, when it is missing, on a Debian
# machine: system packages, npm dependencies (keytar builds from source against
# libsecret), the control plane binaries (cached outside the repo) and the build.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# zsh and bash-completion: the completion tests drive both shells through kubectl's own scripts.
packages=(gnome-keyring dbus dbus-x11 libsecret-1-dev libsecret-tools strace tmux zsh bash-completion openssl make g++ python3 umoci)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup: missing Debian packages: ${missing[*]} (run: sudo apt-get install ${missing[*]})" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

command -v go >/dev/null || { echo "setup: Go is required to build the test control plane" >&2; exit 1; }

# Node 24 first on PATH (fetched from the npm registry once, cached by version),
# with node-gyp pointed at its headers: everything below builds and runs on it.
source scripts/node-runtime.sh

stamp=node_modules/.package-lock.json
if [[ ! -f $stamp || package-lock.json -nt $stamp ]]; then
  npm ci --no-audit --no-fund
fi
# A node_modules installed by another Node (another ABI) gets keytar rebuilt.
node -e "require('keytar')" 2>/dev/null || {
  echo "setup: keytar did not build; rebuilding it from source" >&2
  npm rebuild keytar
}

bash test/cluster/build-control-plane.sh >/dev/null
npm run --silent build
