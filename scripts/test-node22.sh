#!/usr/bin/env bash
# Runs vitest projects (default: unit and integration) on Node 22, the Node users run: Electron 38's
# main process is Node 22, and browser mode runs on whatever Node 22 or 24 a user has. Our machines
# ship Node 20, so Node 22 comes from the npm registry's platform package (node-linux-<arch>, the
# binary inside the tarball; no install script runs) into a cache outside the repository.
# Child processes the tests spawn by name (node, tsx, npx) find the same Node first on PATH.
#   bash scripts/test-node22.sh [unit] [integration]
set -euo pipefail
cd "$(dirname "$0")/.."

version="${FLIGHTDECK_NODE22_VERSION:-22.23.5}"
case "$(uname -m)" in
  x86_64 | amd64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "test-node22: no Node 22 package for $(uname -m)" >&2; exit 1 ;;
esac
package="node-linux-${arch}"
prefix="${FLIGHTDECK_NODE22_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/flightdeck-node22}"
bin="$prefix/node_modules/$package/bin"

if [ "$("$bin/node" --version 2>/dev/null)" != "v$version" ]; then
  echo "test-node22: installing Node $version ($package) into $prefix"
  mkdir -p "$prefix"
  if ! npm install --no-save --no-package-lock --ignore-scripts --no-audit --no-fund --prefix "$prefix" "$package@$version" >/dev/null; then
    echo "test-node22: could not install $package@$version from the npm registry (npm install --prefix \"$prefix\" $package@$version)" >&2
    exit 1
  fi
fi
if [ "$("$bin/node" --version 2>/dev/null)" != "v$version" ]; then
  echo "test-node22: $bin/node is not Node $version after installing it" >&2
  exit 1
fi

projects=("$@")
[ ${#projects[@]} -gt 0 ] || projects=(unit integration)
args=()
for p in "${projects[@]}"; do args+=(--project "$p"); done

echo "test-node22: vitest ${projects[*]} on Node $("$bin/node" --version)"
export PATH="$bin:$PATH"
exec node node_modules/vitest/vitest.mjs run "${args[@]}"
