#!/usr/bin/env bash
# Instructions a command executes, counted by valgrind's callgrind: unlike wall
# time, the count barely moves when other work shares the machine (about 1-2%
# between runs), so it tells whether a start-up change pays on a busy machine.
#
#   bench/instructions.sh RUNS STDIN_FILE COMMAND [ARGS...]
#   e.g. bench/instructions.sh 3 /dev/null node bin/kubectl-safe_secret create --help
#
# Prints one count per run (every thread of the process, Node's included). The
# command gets a clean environment, as in `npm run bench`: PATH, HOME, KUBECONFIG
# and LANG only (NODE_EXTRA_CA_CERTS, for one, would add its certificates' parsing).
# A report, not a test. Needs valgrind (Debian package valgrind).
set -euo pipefail
runs=$1 stdin=$2
shift 2
command -v valgrind >/dev/null || { echo "instructions: valgrind is not installed" >&2; exit 1; }
for _ in $(seq "$runs"); do
  env -i PATH="$PATH" HOME="$HOME" KUBECONFIG="${KUBECONFIG:-}" LANG=C.UTF-8 \
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" <"$stdin" 2>&1 >/dev/null |
    sed -n 's/.*refs: *\([0-9,]*\).*/\1/p' | tr -d ,
done
