#!/usr/bin/env bash
# Run the Portunus real-client e2e tests (janode over WS, janus.js in Chromium).
#
#   ./run.sh                      # all *.test.mjs against the servers in the env (defaults below)
#   ./run.sh janode.test.mjs      # only some files
#   E2E_REAL_JANUS=1 ./run.sh     # start the real Janus (Debian `janus`) on side ports
#                                 # via scripts/real-janus.sh, run against it, stop it
#
# Env (passed through to the tests):
#   JANUS_HTTP        default http://127.0.0.1:8088/janus
#   JANUS_WS          default ws://127.0.0.1:8188
#   JANUS_ADMIN_HTTP  default http://127.0.0.1:7088/admin
#   JANUS_ADMIN_WS    default ws://127.0.0.1:7188
#   E2E_ADMIN=1       also run the (optional) Admin API tests; JANUS_ADMIN_SECRET (default janusoverlord)
#   CHROMIUM_PATH     default /usr/bin/chromium
#   E2E_TRACE=1       print what janus.js put on the wire; E2E_JANODE_LOG=debug for janode's log
#
# Needs: node >= 20 and npm (npm registry), Debian chromium (/usr/bin/chromium).
# Exit status: 0 if every test passed, non-zero otherwise.
set -euo pipefail

cd "$(dirname "$0")"

if [[ ! -d node_modules ]] || [[ ! -f node_modules/.package-lock.json ]] \
   || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "[e2e] npm ci"
  npm ci --no-audit --no-fund
fi

if [[ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]]; then
  echo "[e2e] WARNING: ${CHROMIUM_PATH:-/usr/bin/chromium} not found (apt-get install -y chromium); the janus.js tests will fail" >&2
fi

if [[ "${E2E_REAL_JANUS:-0}" == "1" ]]; then
  out="$(scripts/real-janus.sh start)"
  echo "$out"
  trap 'scripts/real-janus.sh stop || true' EXIT
  eval "$(grep '^export ' <<<"$out")"
fi

export JANUS_HTTP="${JANUS_HTTP:-http://127.0.0.1:8088/janus}"
export JANUS_WS="${JANUS_WS:-ws://127.0.0.1:8188}"
export JANUS_ADMIN_HTTP="${JANUS_ADMIN_HTTP:-http://127.0.0.1:7088/admin}"
export JANUS_ADMIN_WS="${JANUS_ADMIN_WS:-ws://127.0.0.1:7188}"

if [[ $# -gt 0 ]]; then
  files=("$@")
else
  files=(*.test.mjs)
fi

echo "[e2e] JANUS_HTTP=$JANUS_HTTP JANUS_WS=$JANUS_WS JANUS_ADMIN_HTTP=$JANUS_ADMIN_HTTP JANUS_ADMIN_WS=$JANUS_ADMIN_WS"
# One test file at a time (2-core machines; Chromium is heavy). A file that
# hangs past the per-test timeouts is still bounded by the runner's --test-timeout.
node --test --test-concurrency=1 --test-timeout="${E2E_FILE_TIMEOUT_MS:-180000}" "${files[@]}"
