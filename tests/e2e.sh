#!/usr/bin/env bash
# Starts Portunus with its embedded defaults and runs the real-client tests in e2e/ against it.
set -u
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/tests/lib.sh"
trap portunus_stop EXIT
log="$(mktemp)"
# A configuration folder with only janus.jcfg: every other file comes from the embedded defaults.
conf="$(mktemp -d)"
printf 'general: {\n\tadmin_secret = "janusoverlord"\n}\n' >"$conf/janus.jcfg"
portunus_start "$log" --config "$conf"
if ! wait_http http://127.0.0.1:8088/janus/info 60 >/dev/null; then
  echo "e2e: Portunus did not start"; cat "$log"; exit 1
fi
E2E_ADMIN=1 JANUS_ADMIN_SECRET=janusoverlord "$ROOT/e2e/run.sh"; rc=$?
[ "$rc" = 0 ] || { echo "--- server log"; tail -50 "$log"; }
exit $rc
