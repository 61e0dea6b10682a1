#!/usr/bin/env bash
# Compares Portunus's VideoRoom with the real Janus 1.1.2's (Debian package) request by request:
# both start with Debian's sample janus.plugin.videoroom.jcfg plus admin_key = "supersecret",
# then videoroom-compare.py sends each the same steps and prints `same`/`DIFF` per step.
#   e2e/scripts/videoroom-compare.sh [OUTPUT]     (needs target/portunus.jar: ./portunus --version builds it)
#   VIDEOROOM_STRING_IDS=1 e2e/scripts/videoroom-compare.sh [OUTPUT]   the same with string_ids = true
#   VIDEOROOM_COMPARE=videoroom-media-compare.py e2e/scripts/videoroom-compare.sh [OUTPUT]   publish/subscribe negotiation
#   VIDEOROOM_COMPARE=videoroom-errors-compare.py e2e/scripts/videoroom-compare.sh [OUTPUT]  refusals (docs/videoroom-janus-comparison-errors.txt)
# Janus on 18088/17088 (real-janus.sh), Portunus on 28088/27088; their plugin events are posted to
# the script on 18900 and 28900. Both servers are stopped by PID at the end.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
. "$ROOT/scripts/find-java.sh"
out="${1:-/dev/stdout}"
work="$(mktemp -d)"
export REAL_JANUS_STATE_DIR="$work/janus"

sed -e 's/^\t#admin_key = "supersecret"/\tadmin_key = "supersecret"/' /etc/janus/janus.plugin.videoroom.jcfg \
  >"$work/janus.plugin.videoroom.jcfg"
grep -q '^	admin_key = "supersecret"' "$work/janus.plugin.videoroom.jcfg"
# VIDEOROOM_STRING_IDS=1: both with string_ids = true, and the steps for string ids.
mode=""
if [ -n "${VIDEOROOM_STRING_IDS:-}" ]; then
  sed -i -e 's/^\t#string_ids = true/\tstring_ids = true/' "$work/janus.plugin.videoroom.jcfg"
  grep -q '^	string_ids = true' "$work/janus.plugin.videoroom.jcfg"
  mode="--string-ids"
fi

mkdir -p "$work/portunus"
cp "$work/janus.plugin.videoroom.jcfg" "$work/portunus/"
cat >"$work/portunus/janus.jcfg" <<'EOF'
general: { admin_secret = "janusoverlord", recordings_folder = "/tmp" }  # the steps' rec_dir values (/tmp/rec) lie inside it
events: { broadcast = true }
EOF
cat >"$work/portunus/janus.eventhandler.sampleevh.jcfg" <<'EOF'
general: { enabled = true, events = "plugins", grouping = false, backend = "http://127.0.0.1:28900/" }
EOF
cat >"$work/portunus/janus.transport.http.jcfg" <<'EOF'
general: { http = true, port = 28088, ip = "127.0.0.1" }
admin: { admin_http = true, admin_port = 27088, admin_ip = "127.0.0.1" }
EOF
cat >"$work/portunus/janus.transport.websockets.jcfg" <<'EOF'
general: { ws = false }
admin: { admin_ws = false }
EOF

portunus_pid=""
cleanup() {
  [ -n "$portunus_pid" ] && kill "$portunus_pid" 2>/dev/null || true
  "$ROOT/e2e/scripts/real-janus.sh" stop >/dev/null || true
}
trap cleanup EXIT

REAL_JANUS_VIDEOROOM_JCFG="$work/janus.plugin.videoroom.jcfg" REAL_JANUS_EVENTS_BACKEND=http://127.0.0.1:18900/ \
  "$ROOT/e2e/scripts/real-janus.sh" start >/dev/null
"$JAVA_HOME/bin/java" -jar "$ROOT/target/portunus.jar" --config "$work/portunus" >"$work/portunus.log" 2>&1 &
portunus_pid=$!
for _ in $(seq 1 100); do
  curl -s -o /dev/null http://127.0.0.1:28088/janus/info && break
  sleep 0.1
done

python3 "$ROOT/e2e/scripts/${VIDEOROOM_COMPARE:-videoroom-compare.py}" http://127.0.0.1:18088/janus http://127.0.0.1:17088/admin \
  http://127.0.0.1:28088/janus http://127.0.0.1:27088/admin 18900 28900 $mode >"$out"
