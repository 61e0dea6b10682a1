#!/usr/bin/env bash
# The EchoTest with real media in headless Chromium. Chromium gathers no loopback candidates,
# so this makes a network namespace with lo up and a veth pair whose two ends are both inside
# it (10.77.0.1/24 and 10.77.0.2/24, no route out), and runs Portunus, the page server and
# Chromium in it. Nothing leaves the namespace. Needs root (ip netns).
#   tests/media-e2e.sh [seconds]
set -u
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
NS="portunus-media-$$"
SECONDS_CALL="${1:-20}"
PID=""
cleanup() {
  [ -n "$PID" ] && kill -TERM "$PID" 2>/dev/null && sleep 1 && kill -KILL "$PID" 2>/dev/null
  ip netns del "$NS" 2>/dev/null
}
trap cleanup EXIT
ip netns add "$NS" || { echo "media-e2e: cannot create a network namespace (needs root)"; exit 1; }
ip -n "$NS" link set lo up
# This namespace's fixed ports (Janus 1.1.2's side ports 37088-38188, the RTP forwarders'
# 46000-46011) lie in Linux's default ephemeral range, 32768-60999: once a client's port here
# (curl's readiness polls to 8088 run while Janus starts) was most likely 38088, and Janus could
# not listen on it ("Couldn't start webserver on port 38088"). Clients here take ports above them.
ip netns exec "$NS" sysctl -q -w net.ipv4.ip_local_port_range="50000 60999"
ip -n "$NS" link add pa type veth peer name pb
ip -n "$NS" addr add 10.77.0.1/24 dev pa
ip -n "$NS" addr add 10.77.0.2/24 dev pb
ip -n "$NS" link set pa up
ip -n "$NS" link set pb up

# run ROLE PROFILES SECONDS EXPECT_CIPHER: one EchoTest call with Portunus as DTLS client
# ("active") or server ("passive") and the SRTP profiles it may negotiate.
fail=0
run() {
  local role="$1" profiles="$2" secs="$3" cipher="$4" loss="${5:-0}" conf log rc events_port=""
  conf="$(mktemp -d)"
  cat >"$conf/janus.jcfg" <<JCFG
general: {
	admin_secret = "janusoverlord"
	debug_level = ${MEDIA_DEBUG_LEVEL:-4}
	captures_folder = "$conf/captures"
	recordings_folder = "$conf/recordings"
}
media: {
	rtp_port_range = "20000-20100"
	dtls_role = "$role"
	srtp_profiles = "$profiles"
}
nat: {
	ice_enforce_list = "10.77.0.1"
}
JCFG
  if [ "${7:-}" = events ]; then
    # The sample HTTP event handler posting to a receiver the test runs in the namespace.
    events_port=18999
    printf 'events: {\n\tbroadcast = true\n\tstats_period = 1\n}\n' >>"$conf/janus.jcfg"
    cat >"$conf/janus.eventhandler.sampleevh.jcfg" <<EVH
general: {
	enabled = true
	events = "all"
	grouping = true
	json = "compact"
	backend = "http://127.0.0.1:$events_port/events"
}
EVH
  fi
  log="$(mktemp)"
  ip netns exec "$NS" setsid "$ROOT/portunus" --config "$conf" >"$log" 2>&1 &
  PID=$!
  for _ in $(seq 1 900); do
    ip netns exec "$NS" curl -s -o /dev/null http://127.0.0.1:8088/janus/info && break
    sleep 0.1
  done
  echo "# media: Portunus DTLS $role, SRTP $profiles, ${secs} s, ${loss}% loss"
  (cd "$ROOT/e2e" && ip netns exec "$NS" env JANUS_HTTP=http://127.0.0.1:8088/janus ADMIN_URL=http://127.0.0.1:7088/admin \
    ADMIN_SECRET=janusoverlord MEDIA_SECONDS="$secs" EXPECT_CIPHER="$cipher" LOSS_PERCENT="$loss" FUZZ_DATAGRAMS="${6:-0}" EVENTS_PORT="$events_port" \
    CAPTURE_DIR="${CAPTURE:+$conf/captures}" REC_ROOT="$conf/recordings" RENEGOTIATE="${RENEGOTIATE:-}" \
    EXPECT_BROWSER_DTLS_ROLE="$([ "$role" = active ] && echo server || echo client)" \
    node --test --test-concurrency=1 ${NAME_PATTERN:+--test-name-pattern="$NAME_PATTERN"} ${TEST_FILE:-media/echotest-media.test.mjs})
  rc=$?
  [ "$rc" = 0 ] || { fail=1; echo "--- server log (last 60 lines)"; tail -60 "$log"; }
  kill -TERM "$PID" 2>/dev/null
  for _ in $(seq 1 50); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$PID" 2>/dev/null
  PID=""
}

# compare: the same EchoTest call against Portunus and against Debian's Janus 1.1.2, both in
# the namespace (Janus on side ports, from e2e/scripts/real-janus.sh with Debian's sample
# configuration); handle_info compared key by key and Chromium's jitter from both on a shaped link (issue #16).
compare() {
  local conf log jstate rc
  if ! command -v janus >/dev/null; then echo "# compare: janus not installed, skipped"; return; fi
  conf="$(mktemp -d)"; jstate="$(mktemp -d)"
  cat >"$conf/janus.jcfg" <<JCFG
general: {
	admin_secret = "janusoverlord"
	debug_level = ${MEDIA_DEBUG_LEVEL:-4}
}
media: {
	rtp_port_range = "20000-20100"
}
nat: {
	ice_enforce_list = "10.77.0.1"
}
JCFG
  # Janus's sample transport setting (indented JSON), so that writer is on the call's path too.
  sed 's/json = "compact"/json = "indented"/' "$ROOT/portunus-server/src/main/resources/io/portunus/defaults/janus.transport.http.jcfg" \
    >"$conf/janus.transport.http.jcfg"
  log="$(mktemp)"
  ip netns exec "$NS" setsid "$ROOT/portunus" --config "$conf" >"$log" 2>&1 &
  PID=$!
  ip netns exec "$NS" env REAL_JANUS_STATE_DIR="$jstate" REAL_JANUS_HTTP_PORT=38088 REAL_JANUS_ADMIN_HTTP_PORT=37088 \
    REAL_JANUS_WS_PORT=38188 REAL_JANUS_ADMIN_WS_PORT=37188 REAL_JANUS_ICE_ENFORCE=10.77.0.1 \
    "$ROOT/e2e/scripts/real-janus.sh" start >/dev/null || { fail=1; echo "# compare: real Janus did not start"; }
  for _ in $(seq 1 900); do
    ip netns exec "$NS" curl -s -o /dev/null http://127.0.0.1:8088/janus/info && break
    sleep 0.1
  done
  # A shaped link for the media (all of it crosses the namespace's lo): 1.5 Mbit/s with a 4 KB
  # bucket, so packets of both calls queue behind each other and both servers measure the same
  # jitter of several ms (bare loopback: 0.2-1 ms of scheduling noise, in which a factor of two
  # says nothing). MTU 1500, as a bucket smaller than lo's 64 KB packets would drop them.
  # COMPARE_LINK="" leaves loopback bare (the test then allows 10x).
  local link="${COMPARE_LINK-rate 1500kbit burst 4kb latency 100ms}"
  if [ -n "$link" ]; then
    ip -n "$NS" link set lo mtu 1500
    ip netns exec "$NS" tc qdisc add dev lo root tbf $link || { fail=1; echo "# compare: tc tbf failed"; }
  fi
  echo "# media: handle_info and RTCP jitter, Portunus against Janus 1.1.2, one call each"
  (cd "$ROOT/e2e" && ip netns exec "$NS" env PORTUNUS_HTTP=http://127.0.0.1:8088/janus PORTUNUS_ADMIN=http://127.0.0.1:7088/admin \
    JANUS_REAL_HTTP=http://127.0.0.1:38088/janus JANUS_REAL_ADMIN=http://127.0.0.1:37088/admin ADMIN_SECRET=janusoverlord \
    COMPARE_SECONDS="${COMPARE_SECONDS:-14}" COMPARE_SHAPED="$([ -n "$link" ] && echo 1)" node --test --test-concurrency=1 media/handle-info-vs-janus.test.mjs)
  rc=$?
  [ "$rc" = 0 ] || { fail=1; echo "--- server log (last 40 lines)"; tail -40 "$log"; echo "--- janus log"; tail -20 "$jstate/janus.log"; }
  REAL_JANUS_STATE_DIR="$jstate" "$ROOT/e2e/scripts/real-janus.sh" stop >/dev/null
  kill -TERM "$PID" 2>/dev/null
  for _ in $(seq 1 50); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$PID" 2>/dev/null
  PID=""
  [ -n "$link" ] && ip netns exec "$NS" tc qdisc del dev lo root && ip -n "$NS" link set lo mtu 65536
}

# videoroom_janus: the VideoRoom subscriber test (janus.js) against Debian's Janus 1.1.2 in the
# namespace, so its expectations (the events' shapes, what the browser sees) are Janus's too.
videoroom_janus() {
  local jstate rc
  if ! command -v janus >/dev/null; then echo "# videoroom against Janus: janus not installed, skipped"; return; fi
  jstate="$(mktemp -d)"
  ip netns exec "$NS" env REAL_JANUS_STATE_DIR="$jstate" REAL_JANUS_HTTP_PORT=38088 REAL_JANUS_ADMIN_HTTP_PORT=37088 \
    REAL_JANUS_WS_PORT=38188 REAL_JANUS_ADMIN_WS_PORT=37188 REAL_JANUS_ICE_ENFORCE=10.77.0.1 \
    "$ROOT/e2e/scripts/real-janus.sh" start >/dev/null || { fail=1; echo "# real Janus did not start"; return; }
  echo "# media: ${TEST_FILE:-media/videoroom-subscriber.test.mjs} against Janus 1.1.2"
  (cd "$ROOT/e2e" && ip netns exec "$NS" env JANUS_HTTP=http://127.0.0.1:38088/janus ADMIN_URL=http://127.0.0.1:37088/admin \
    ADMIN_SECRET=janusoverlord REAL_JANUS=1 REC_ROOT="$jstate/recordings" \
    node --test --test-concurrency=1 --test-name-pattern="${NAME_PATTERN:-VideoRoom subscriber}" \
    ${TEST_FILE:-media/videoroom-subscriber.test.mjs})
  rc=$?
  [ "$rc" = 0 ] || { fail=1; echo "--- janus log"; tail -30 "$jstate/janus.log"; }
  REAL_JANUS_STATE_DIR="$jstate" "$ROOT/e2e/scripts/real-janus.sh" stop >/dev/null
}

# forward_janus: the RTP forwarder test against Debian's Janus 1.1.2 (its replies, events, RTCP).
forward_janus() {
  local jstate rc
  if ! command -v janus >/dev/null; then echo "# forwarders against Janus: janus not installed, skipped"; return; fi
  jstate="$(mktemp -d)"
  ip netns exec "$NS" env REAL_JANUS_STATE_DIR="$jstate" REAL_JANUS_HTTP_PORT=38088 REAL_JANUS_ADMIN_HTTP_PORT=37088 \
    REAL_JANUS_WS_PORT=38188 REAL_JANUS_ADMIN_WS_PORT=37188 REAL_JANUS_ICE_ENFORCE=10.77.0.1 \
    REAL_JANUS_EVENTS_BACKEND=http://127.0.0.1:18999/events \
    "$ROOT/e2e/scripts/real-janus.sh" start >/dev/null || { fail=1; echo "# real Janus did not start"; return; }
  echo "# media: media/videoroom-forward.test.mjs against Janus 1.1.2"
  (cd "$ROOT/e2e" && ip netns exec "$NS" env JANUS_HTTP=http://127.0.0.1:38088/janus ADMIN_URL=http://127.0.0.1:37088/admin \
    ADMIN_SECRET=janusoverlord AGAINST_JANUS=1 EVENTS_PORT=18999 node --test media/videoroom-forward.test.mjs)
  rc=$?
  [ "$rc" = 0 ] || { fail=1; echo "--- janus log"; tail -30 "$jstate/janus.log"; }
  REAL_JANUS_STATE_DIR="$jstate" "$ROOT/e2e/scripts/real-janus.sh" stop >/dev/null
}

# videoroom_data_janus: the VideoRoom/EchoTest data test against Debian's Janus 1.1.2 with every event
# type and stats each second; RECORD_REFERENCE=FILE keeps its handle_info data parts and type-32 events.
videoroom_data_janus() {
  local jstate rc
  if ! command -v janus >/dev/null; then echo "# data against Janus: janus not installed, skipped"; return; fi
  jstate="$(mktemp -d)"
  ip netns exec "$NS" env REAL_JANUS_STATE_DIR="$jstate" REAL_JANUS_HTTP_PORT=38088 REAL_JANUS_ADMIN_HTTP_PORT=37088 \
    REAL_JANUS_WS_PORT=38188 REAL_JANUS_ADMIN_WS_PORT=37188 REAL_JANUS_ICE_ENFORCE=10.77.0.1 \
    REAL_JANUS_EVENTS_BACKEND=http://127.0.0.1:18999/events REAL_JANUS_EVENTS_ALL=1 \
    "$ROOT/e2e/scripts/real-janus.sh" start >/dev/null || { fail=1; echo "# real Janus did not start"; return; }
  echo "# media: media/videoroom-data.test.mjs against Janus 1.1.2"
  (cd "$ROOT/e2e" && ip netns exec "$NS" env JANUS_HTTP=http://127.0.0.1:38088/janus ADMIN_URL=http://127.0.0.1:37088/admin \
    ADMIN_SECRET=janusoverlord REAL_JANUS=1 EVENTS_PORT=18999 RECORD_REFERENCE="${RECORD_REFERENCE:-}" \
    node --test --test-concurrency=1 media/videoroom-data.test.mjs)
  rc=$?
  [ "$rc" = 0 ] || { fail=1; echo "--- janus log"; tail -30 "$jstate/janus.log"; }
  REAL_JANUS_STATE_DIR="$jstate" "$ROOT/e2e/scripts/real-janus.sh" stop >/dev/null
}

"$ROOT/portunus" --version >/dev/null   # build before anything is timed
[ -d "$ROOT/e2e/node_modules/ajv" ] || (cd "$ROOT/e2e" && npm ci --no-audit --no-fund)  # ajv: the JSON Schema checks
# MEDIA_ONLY=compare: just the comparison with Janus (quick, ~40 s); MEDIA_ONLY=dashboard: the dashboard's test;
# MEDIA_ONLY=videoroom: the VideoRoom's (one publisher, three subscribers, 5 % loss; VIDEOROOM_LOSS=0 for none;
# then the VideoRoom through the Admin API and the event handler); MEDIA_ONLY=videoroom-admin: only the latter;
# MEDIA_ONLY=janode: the VideoRoom driven by janode's VideoRoom plugin;
# MEDIA_ONLY=videoroom-simulcast: its simulcast (two subscribers on different layers, one switching);
# MEDIA_ONLY=videoroom-talking: talking events, the REMB bitrate cap and transport-cc to a subscriber.
# MEDIA_ONLY=videoroom-forward: its RTP forwarders (ffmpeg decodes them); videoroom-forward-janus: that test against Janus 1.1.2.
if [ "${MEDIA_ONLY:-}" = compare ]; then compare; exit $fail; fi
VIDEOROOM_TESTS="media/videoroom-media.test.mjs media/videoroom-subscriber.test.mjs"
if [ "${MEDIA_ONLY:-}" = videoroom ]; then
  TEST_FILE="${TEST_FILE:-$VIDEOROOM_TESTS}" run active AES128_CM_SHA1_80 0 AES128_CM_HMAC_SHA1_80 "${VIDEOROOM_LOSS:-5}"
  TEST_FILE=media/videoroom-admin.test.mjs run active AES128_CM_SHA1_80 0 AES128_CM_HMAC_SHA1_80 0 0 events
  exit $fail
fi
if [ "${MEDIA_ONLY:-}" = videoroom-admin ]; then TEST_FILE=media/videoroom-admin.test.mjs run active AES128_CM_SHA1_80 0 AES128_CM_HMAC_SHA1_80 0 0 events; exit $fail; fi
if [ "${MEDIA_ONLY:-}" = janode ]; then TEST_FILE=media/videoroom-janode.test.mjs run active AES128_CM_SHA1_80 0 AES128_CM_HMAC_SHA1_80; exit $fail; fi
if [ "${MEDIA_ONLY:-}" = videoroom-janus ]; then videoroom_janus; exit $fail; fi
# MEDIA_ONLY=videoroom-recording: recordings janus-pp-rec converts (issue #19); -janus: the same against Janus 1.1.2.
if [ "${MEDIA_ONLY:-}" = videoroom-recording ]; then TEST_FILE=media/videoroom-recording.test.mjs run active AES128_CM_SHA1_80 0 AES128_CM_HMAC_SHA1_80; exit $fail; fi
if [ "${MEDIA_ONLY:-}" = videoroom-recording-janus ]; then TEST_FILE=media/videoroom-recording.test.mjs NAME_PATTERN='VideoRoom recording' videoroom_janus; exit $fail; fi
if [ "${MEDIA_ONLY:-}" = videoroom-simulcast ]; then TEST_FILE=media/videoroom-simulcast.test.mjs run active AES128_CM_SHA1_80 0 AES128_CM_HMAC_SHA1_80; exit $fail; fi
if [ "${MEDIA_ONLY:-}" = videoroom-forward ]; then TEST_FILE=media/videoroom-forward.test.mjs run active AES128_CM_SHA1_80 0 AES128_CM_HMAC_SHA1_80 0 0 events; exit $fail; fi
if [ "${MEDIA_ONLY:-}" = videoroom-forward-janus ]; then forward_janus; exit $fail; fi
if [ "${MEDIA_ONLY:-}" = videoroom-talking ]; then TEST_FILE=media/videoroom-talking-remb.test.mjs run active AES128_CM_SHA1_80 0 AES128_CM_HMAC_SHA1_80; exit $fail; fi
# MEDIA_ONLY=videoroom-data: a publisher's data channel to two subscribers, the data parts of handle_info
# and the type-32 events (issue #17); videoroom-data-janus: the same test against Janus 1.1.2.
if [ "${MEDIA_ONLY:-}" = videoroom-data ]; then TEST_FILE=media/videoroom-data.test.mjs run active AES128_CM_SHA1_80 0 AES128_CM_HMAC_SHA1_80 0 0 events; exit $fail; fi
if [ "${MEDIA_ONLY:-}" = videoroom-data-janus ]; then videoroom_data_janus; exit $fail; fi
if [ "${MEDIA_ONLY:-}" = dashboard ]; then TEST_FILE=media/dashboard.test.mjs run active AES128_CM_SHA1_80 0 AES128_CM_HMAC_SHA1_80; exit $fail; fi
# MEDIA_ONLY=data: EchoTest data channels (issue #17), on a clean link and under 5 % loss.
data_channels() {
  TEST_FILE=media/echotest-data.test.mjs run active AES128_CM_SHA1_80 0 AES128_CM_HMAC_SHA1_80
  TEST_FILE=media/echotest-data.test.mjs run passive AES128_CM_SHA1_80 0 AES128_CM_HMAC_SHA1_80 5
}
if [ "${MEDIA_ONLY:-}" = data ]; then data_channels; exit $fail; fi
run active AES128_CM_SHA1_80 "$SECONDS_CALL" AES128_CM_HMAC_SHA1_80 0 20000 events
# ...and, with Portunus as DTLS server, an ICE restart and a renegotiation in a second call.
RENEGOTIATE=1 run passive AES128_CM_SHA1_80 "${MATRIX_SECONDS:-8}" AES128_CM_HMAC_SHA1_80
run active AEAD_AES_128_GCM "${MATRIX_SECONDS:-8}" AEAD_AES_128_GCM
# start_pcap / start_text2pcap during the call, read back with tshark and text2pcap (issue #6).
CAPTURE=1 run active AES128_CM_SHA1_80 "${CAPTURE_SECONDS:-12}" AES128_CM_HMAC_SHA1_80
run passive AEAD_AES_256_GCM "${MATRIX_SECONDS:-8}" AEAD_AES_256_GCM
# 5 % random loss each way on the media ports: NACK and RTX must keep the video decoding.
run active AES128_CM_SHA1_80 "${LOSS_SECONDS:-15}" AES128_CM_HMAC_SHA1_80 5
# The bitrate cap (REMB) and simulcast layer switching, one call each.
TEST_FILE=media/echotest-bitrate-simulcast.test.mjs run active AES128_CM_SHA1_80 0 AES128_CM_HMAC_SHA1_80
# The dashboard (issue #20) following a call, and its sessions view with 1,000 sessions
# (SCREENSHOT_DIR=docs refreshes the pictures the README links).
TEST_FILE=media/dashboard.test.mjs run active AES128_CM_SHA1_80 0 AES128_CM_HMAC_SHA1_80
# The VideoRoom (issue #13): one publisher, three subscribers decoding its media, then 8 s of
# 5 % loss each way that each subscriber leg repairs with NACK/RTX, then its leaving told; a
# subscriber's pause/start/update/subscribe/unsubscribe/configure and ten subscribers joining at once.
TEST_FILE="$VIDEOROOM_TESTS" run active AES128_CM_SHA1_80 0 AES128_CM_HMAC_SHA1_80 "${VIDEOROOM_LOSS:-5}"
# The same VideoRoom watched by an operator: Admin message_plugin and handle_info during a live
# room, kick and destroy; the HTTP event handler's plugin, JSEP and per-leg stats events, schemas.
TEST_FILE=media/videoroom-admin.test.mjs run active AES128_CM_SHA1_80 0 AES128_CM_HMAC_SHA1_80 0 0 events
# janode's VideoRoom plugin drives create, join, publish, subscribe, list, listparticipants, kick and
# destroy, with Chromium making the SDPs and carrying the media; and the refusals that need a live publisher.
TEST_FILE=media/videoroom-janode.test.mjs run active AES128_CM_SHA1_80 0 AES128_CM_HMAC_SHA1_80
# VideoRoom simulcast: a three-layer publisher, subscribers on substreams 0 and 2, one switching.
TEST_FILE=media/videoroom-simulcast.test.mjs run active AES128_CM_SHA1_80 0 AES128_CM_HMAC_SHA1_80
# VideoRoom recordings (issue #19): 10 s of a janus.js publisher in .mjr files that Janus's janus-pp-rec
# converts and ffprobe reads (opus, vp8, 10 ± 1 s); enable_recording, configure record/filename, refusals.
TEST_FILE=media/videoroom-recording.test.mjs run active AES128_CM_SHA1_80 0 AES128_CM_HMAC_SHA1_80
# VideoRoom RTP forwarders (issue #19): ffmpeg decodes a live publisher's forwarded VP8 and Opus;
# listforwarders, a PLI back through the RTCP port, stop_rtp_forward, the allow-list, the events.
TEST_FILE=media/videoroom-forward.test.mjs run active AES128_CM_SHA1_80 0 AES128_CM_HMAC_SHA1_80 0 0 events
# VideoRoom talking events from the audio levels, the room's bitrate cap by REMB, transport-cc to a subscriber.
TEST_FILE=media/videoroom-talking-remb.test.mjs run active AES128_CM_SHA1_80 0 AES128_CM_HMAC_SHA1_80
data_channels
# VideoRoom data: a publisher's messages reach two subscribers; handle_info and type-32 data events as Janus's.
TEST_FILE=media/videoroom-data.test.mjs run active AES128_CM_SHA1_80 0 AES128_CM_HMAC_SHA1_80 0 0 events
compare
exit $fail
