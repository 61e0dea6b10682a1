#!/usr/bin/env bash
# The load tool against Portunus, small: in a fresh network namespace (lo + a veth pair whose
# two ends are both inside it, no route out), start Portunus with nat.ice_enforce_list set to
# the namespace address and an rtp_port_range, then run 5 EchoTest sessions (audio + 1 Mbps
# video) for 10 s. Each session must connect, echo both streams and lose less than 1 %.
# Then a VideoRoom step (issue #19): one publisher (audio + 1 Mbps video) and VR_SUBSCRIBERS
# (10) subscribers for 10 s; every subscriber must receive both streams and lose less than 1 %.
# Then a data-channel step (issue #17): one data-only PeerConnection to the EchoTest echoes 16 KiB
# binary messages for 3 s, then gets 20,000 fuzzed SCTP packets inside its DTLS session
# (loadtool --datachannel --fuzz); its channel must keep echoing in order, a new channel must
# open and echo, handle_info must still show DTLS connected and the SCTP association.
# Prints TAP-like ok/not ok lines and "load: N passed, N failed". Needs root (ip netns).
#   tests/load-smoke.sh [sessions] [seconds]
# PORTUNUS_JAR=/path/portunus.jar runs that jar (and the load tool from it) instead of ./portunus.
set -u
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/scripts/find-java.sh"
NS="portunus-load-$$"
SESSIONS="${1:-5}"
SECS="${2:-10}"
SERVER_IP=10.78.0.1
CLIENT_IP=10.78.0.2
PID=""
TMP="$(mktemp -d)"
passed=0; failed=0; n=0
ok()     { n=$((n + 1)); passed=$((passed + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
# One JSON object in FILE. Not `jq -e .`: on an empty file (the tool did not start) jq outputs
# nothing and exits 0, and every check after it passed on nothing.
is_result() { jq -s -e 'length == 1 and (.[0] | type == "object")' "$1" >/dev/null 2>&1; }
finish() {
  echo "1..$n"
  echo "load: $passed passed, $failed failed"
  [ "$failed" = 0 ]
  exit $?
}
cleanup() {
  if [ -n "$PID" ]; then
    kill -TERM "$PID" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$PID" 2>/dev/null
  fi
  ip netns del "$NS" 2>/dev/null
  rm -rf "$TMP"
}
trap cleanup EXIT

if [ -n "${PORTUNUS_JAR:-}" ]; then
  JAR="$PORTUNUS_JAR"; SERVER_CMD=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$JAR")
else
  "$ROOT/portunus" --version >/dev/null || { not_ok "build Portunus"; finish; }
  JAR="$ROOT/target/portunus.jar"; SERVER_CMD=("$ROOT/portunus")
fi

LOADTOOL_JAR="${PORTUNUS_LOADTOOL_JAR:-$ROOT/target/loadtool/portunus-loadtool.jar}"   # its own module and jar

if ! ip netns add "$NS" 2>/dev/null; then not_ok "create a network namespace (needs root)"; finish; fi
ip -n "$NS" link set lo up
ip -n "$NS" link add la type veth peer name lb
ip -n "$NS" addr add "$SERVER_IP/24" dev la
ip -n "$NS" addr add "$CLIENT_IP/24" dev lb
ip -n "$NS" link set la up
ip -n "$NS" link set lb up

cat >"$TMP/janus.jcfg" <<JCFG
general: {
	debug_level = 3
	admin_secret = "janusoverlord"
}
media: {
	rtp_port_range = "20000-20999"
}
nat: {
	ice_enforce_list = "$SERVER_IP"
}
JCFG
# Setsid: Portunus gets its own process group; PID is the java process (./portunus execs it).
ip netns exec "$NS" setsid "${SERVER_CMD[@]}" --config "$TMP" >"$TMP/server.log" 2>&1 &
PID=$!
up=0
for _ in $(seq 1 300); do
  ip netns exec "$NS" curl -s -o /dev/null "http://$SERVER_IP:8088/janus/info" && { up=1; break; }
  kill -0 "$PID" 2>/dev/null || break
  sleep 0.1
done
if [ "$up" = 1 ]; then ok "Portunus answers in namespace $NS"; else
  not_ok "Portunus answers in namespace $NS"; tail -40 "$TMP/server.log" | sed 's/^/# /'; finish; fi

ip netns exec "$NS" "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$LOADTOOL_JAR" io.portunus.loadtool.LoadTool \
  --server "http://$SERVER_IP:8088/janus" --local-address "$CLIENT_IP" --sessions "$SESSIONS" --ramp 5 \
  --duration "$SECS" --server-pid "$PID" --max-loss 1 --json >"$TMP/result.json" 2>"$TMP/progress.log"
rc=$?
sed 's/^/# /' "$TMP/progress.log"
if ! is_result "$TMP/result.json"; then
  not_ok "load tool printed a JSON result (exit $rc)"; tail -40 "$TMP/server.log" | sed 's/^/# /'; finish
fi
r="$TMP/result.json"
upn=$(jq '.sessions_up' "$r")
if [ "$upn" = "$SESSIONS" ] && [ "$(jq '.sessions_failed' "$r")" = 0 ]; then
  ok "all $SESSIONS sessions set up ICE, DTLS and SRTP"
else
  not_ok "all $SESSIONS sessions set up ICE, DTLS and SRTP (up $upn)"
  jq -r '.per_session[] | select(.reason) | "# session \(.index): \(.reason)"' "$r"
fi
for i in $(seq 0 $((SESSIONS - 1))); do
  line=$(jq -r --argjson i "$i" '.per_session[$i] | "\(.state) audio \(.audio.echoed)/\(.audio.sent) video \(.video.echoed)/\(.video.sent) loss \(.loss_percent)% echo p99 \(.audio.echo_p99_ms)/\(.video.echo_p99_ms) ms"' "$r")
  if jq -e --argjson i "$i" '.per_session[$i] | .audio.echoed > 0 and .video.echoed > 0 and .loss_percent < 1' "$r" >/dev/null; then
    ok "session $i echoes with < 1 % loss: $line"
  else
    not_ok "session $i echoes with < 1 % loss: $line"
  fi
done
jq -r '"# total: \(.packets_echoed)/\(.packets_sent) packets echoed, loss \(.loss_percent)%, echo p50 \(.echo_delay_ms.p50) ms p99 \(.echo_delay_ms.p99) ms, server CPU \(.server_process.cpu_seconds_per_second) s/s, \(.server_process.cpu_us_per_packet) µs/packet"' "$r"

# The VideoRoom step: the tool creates room 1234 if the server has no such room.
VR_SUBSCRIBERS="${VR_SUBSCRIBERS:-10}"
ip netns exec "$NS" "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$LOADTOOL_JAR" io.portunus.loadtool.LoadTool \
  --server "http://$SERVER_IP:8088/janus" --local-address "$CLIENT_IP" --videoroom --subscribers "$VR_SUBSCRIBERS" \
  --ramp 10 --duration "$SECS" --server-pid "$PID" --max-loss 1 --json >"$TMP/vr.json" 2>"$TMP/vr-progress.log"
rc=$?
sed 's/^/# videoroom: /' "$TMP/vr-progress.log"
v="$TMP/vr.json"
if ! is_result "$v"; then
  not_ok "videoroom: load tool printed a JSON result (exit $rc)"
else
  pub=$(jq -r '.publishers[0] | "\(.state) \(.reason // "")"' "$v")
  if [ "$(jq '.publishers_up' "$v")" = 1 ]; then ok "videoroom: the publisher joined and publishes"; else
    not_ok "videoroom: the publisher joined and publishes ($pub)"; fi
  if [ "$(jq '.sessions_up' "$v")" = "$VR_SUBSCRIBERS" ] && [ "$(jq '.sessions_failed' "$v")" = 0 ]; then
    ok "videoroom: all $VR_SUBSCRIBERS subscribers set up ICE, DTLS and SRTP"
  else
    not_ok "videoroom: all $VR_SUBSCRIBERS subscribers set up ICE, DTLS and SRTP (up $(jq '.sessions_up' "$v"))"
    jq -r '.per_session[] | select(.reason) | "# subscriber \(.index): \(.reason)"' "$v"
  fi
  bad=$(jq -r '[.per_session[] | select((.audio.echoed // 0) == 0 or (.video.echoed // 0) == 0 or .loss_percent >= 1)
      | "\(.index): \(.state) audio \(.audio.echoed)/\(.audio.sent) video \(.video.echoed)/\(.video.sent) loss \(.loss_percent)%"] | join("; ")' "$v")
  summary=$(jq -r '"loss \(.loss_percent)% (worst subscriber \(.worst_session_loss_percent)%), delay p50 \(.echo_delay_ms.p50) ms p99 \(.echo_delay_ms.p99) ms, \(.packets_per_second) pkt/s forwarded"' "$v")
  if [ -z "$bad" ] && jq -e '.per_session | length > 0' "$v" >/dev/null && jq -e '.loss_percent < 1' "$v" >/dev/null; then
    ok "videoroom: every subscriber receives audio and video with < 1 % loss: $summary"
  else
    not_ok "videoroom: every subscriber receives audio and video with < 1 % loss: $summary; ${bad:-}"
  fi
fi
# The data-channel step: throughput, then 20,000 fuzzed SCTP packets in the live call.
DC_FUZZ="${DC_FUZZ:-20000}"
ip netns exec "$NS" "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$LOADTOOL_JAR" io.portunus.loadtool.LoadTool \
  --datachannel --server "http://$SERVER_IP:8088/janus" --local-address "$CLIENT_IP" --duration 3 --warmup 1 \
  --server-pid "$PID" --fuzz "$DC_FUZZ" --admin "http://127.0.0.1:7088/admin" --json >"$TMP/dc.json" 2>"$TMP/dc-progress.log"
rc=$?
sed 's/^/# datachannel: /' "$TMP/dc-progress.log"
d="$TMP/dc.json"
if ! is_result "$d"; then
  not_ok "datachannel: load tool printed a JSON result (exit $rc)"
else
  line=$(jq -r '"\(.mb_per_second) MB/s echoed, \(.bad_echoes) bad echoes, server \(.server_process.cpu_ms_per_mb) ms CPU/MB"' "$d")
  if jq -e '.sessions_up == 1 and .bytes_echoed > 0 and .bad_echoes == 0' "$d" >/dev/null; then
    ok "datachannel: 16 KiB binary messages echo in order on a data-only PeerConnection: $line"
  else
    not_ok "datachannel: 16 KiB binary messages echo in order on a data-only PeerConnection: $line $(jq -c '.per_session' "$d")"
  fi
  f=$(jq -c '.fuzz | del(.kinds)' "$d")
  if jq -e --argjson n "$DC_FUZZ" '.fuzz.sent == $n and .fuzz.echoed_bytes_during > 0' "$d" >/dev/null; then
    ok "datachannel: $DC_FUZZ fuzzed SCTP packets went in the live DTLS session while the channel echoed: $(jq -c '.fuzz.kinds' "$d")"
  else
    not_ok "datachannel: $DC_FUZZ fuzzed SCTP packets went in the live DTLS session while the channel echoed: $f"
  fi
  if jq -e '.fuzz.pass and .fuzz.state_after == "up" and .fuzz.echoed_bytes_after > 0 and .fuzz.channels_open_after == 2 and .fuzz.new_channel_echoes > 0
      and .fuzz.handle_info_dtls_state == "connected" and .fuzz.handle_info_sctp_association and .fuzz.server_info_after' "$d" >/dev/null; then
    ok "datachannel: after the fuzzing the call is up, its channel echoes, a new channel opens and echoes, handle_info shows DTLS connected and the association"
  else
    not_ok "datachannel: after the fuzzing the call survives: $f"
  fi
fi
if [ "$failed" != 0 ]; then tail -40 "$TMP/server.log" | sed 's/^/# server: /'; fi
finish
