#!/usr/bin/env bash
# Starts Portunus with its embedded defaults and runs the real-client tests in e2e/ against it.
set -u
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/tests/lib.sh"
trap portunus_stop EXIT
log="$(mktemp)"
portunus_start "$log"
if ! wait_http http://127.0.0.1:8088/janus/info 60 >/dev/null; then
  echo "e2e: Portunus did not start"; cat "$log"; exit 1
fi
"$ROOT/e2e/run.sh"; rc=$?
[ "$rc" = 0 ] || { echo "--- server log"; tail -50 "$log"; }
exit $rc
