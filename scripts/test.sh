#!/usr/bin/env bash
# The whole test suite: setup, type check, lint, unit and end-to-end tests
# against a real control plane and keyring. Ends with `tests: N passed, N failed`
# (the type check and the lint count as one test each).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh || { echo "tests: 0 passed, 1 failed"; exit 1; }

extra_passed=0
extra_failed=0
if npx tsc --noEmit; then extra_passed=$((extra_passed + 1)); else extra_failed=$((extra_failed + 1)); echo "typecheck: FAILED"; fi
if npx biome check .; then extra_passed=$((extra_passed + 1)); else extra_failed=$((extra_failed + 1)); echo "lint: FAILED"; fi

mkdir -p test-results
rm -f test-results/vitest.json
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json "$@"
vitest_rc=$?

node scripts/test-summary.mjs test-results/vitest.json "$extra_passed" "$extra_failed" "$vitest_rc"
