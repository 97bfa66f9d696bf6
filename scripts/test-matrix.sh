#!/usr/bin/env bash
# Runs the node tests (`npm run test:node`) under every Node of the matrix
# (scripts/node-versions.sh: 22, 24 and 26 from the npm registry, cached in .cache/node/), one
# after the other. The addon is built once: N-API is ABI-stable across these versions.
# The machine's own Node runs them in `npm test`.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
for node in $(bash scripts/node-versions.sh "$@"); do
  echo "=== node tests under Node $("$node" --version)"
  # npm runs scripts with the Node first on PATH; put the matrix Node there.
  if ! PATH="$(dirname "$node"):$PATH" "$node" --test __test__/*.test.js __test__/*.test.mjs; then
    echo "=== FAILED under Node $("$node" --version)"
    status=1
  fi
done
exit $status
