#!/usr/bin/env bash
# The whole test suite: setup, type check, lint, unit and end-to-end tests
# against a real control plane and keyring, on Node 24; then the unit tests and
# the npm package's end-to-end test again on Node 22, the maintenance LTS. Ends
# with `tests: N passed, N failed` (the type check and the lint count as one test each).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Node 24 first on PATH for everything below (scripts/node-runtime.sh).
source scripts/node-runtime.sh || { echo "tests: 0 passed, 1 failed"; exit 1; }
bash scripts/setup.sh || { echo "tests: 0 passed, 1 failed"; exit 1; }
echo "test: Node $(node --version)"

extra_passed=0
extra_failed=0
if npx tsc --noEmit; then extra_passed=$((extra_passed + 1)); else extra_failed=$((extra_failed + 1)); echo "typecheck: FAILED"; fi
if npx biome check .; then extra_passed=$((extra_passed + 1)); else extra_failed=$((extra_failed + 1)); echo "lint: FAILED"; fi

mkdir -p test-results
rm -f test-results/vitest.json
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json "$@"
vitest_rc=$?

# Node 22: the same code and node_modules (keytar, native, is only loaded on
# macOS and Windows and by the keytar e2e test, which runs on Node 24 above).
rm -f test-results/vitest-node22.json
if compat_prefix="$(node_runtime_dir "$NODE_COMPAT_VERSION")"; then
  echo "test: Node $("$compat_prefix/bin/node" --version): unit tests and the npm package"
  PATH="$compat_prefix/bin:$PATH" npx vitest run --project unit --project e2e \
    --reporter=default --reporter=json --outputFile.json=test-results/vitest-node22.json \
    test/unit/ test/e2e/packaging-npm.test.ts
  compat_rc=$?
else
  compat_rc=1
fi

node scripts/test-summary.mjs test-results/vitest.json "$extra_passed" "$extra_failed" "$vitest_rc" \
  test-results/vitest-node22.json "$compat_rc"
