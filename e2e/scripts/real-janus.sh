#!/usr/bin/env bash
# Start the REAL Janus (Debian package `janus`, 1.1.2) on side ports, to validate
# the e2e tests themselves (reference behaviour for Portunus).
#
#   scripts/real-janus.sh start   -> prints the PID, the temp dir and the env to export
#   scripts/real-janus.sh stop    -> kills the Janus started by `start` (by PID)
#
# Ports (never the Portunus defaults 8088/8188/7088/7188):
#   HTTP 18088 (/janus), admin HTTP 17088 (/admin), WS 18188, admin WS 17188
set -euo pipefail

STATE_DIR="${REAL_JANUS_STATE_DIR:-/tmp/portunus-real-janus}"
HTTP_PORT="${REAL_JANUS_HTTP_PORT:-18088}"
ADMIN_HTTP_PORT="${REAL_JANUS_ADMIN_HTTP_PORT:-17088}"
WS_PORT="${REAL_JANUS_WS_PORT:-18188}"
ADMIN_WS_PORT="${REAL_JANUS_ADMIN_WS_PORT:-17188}"

cmd="${1:-start}"

stop() {
  if [[ -f "$STATE_DIR/janus.pid" ]]; then
    pid="$(cat "$STATE_DIR/janus.pid")"
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid" || true
    fi
    rm -f "$STATE_DIR/janus.pid"
    echo "stopped real janus (pid $pid)"
  else
    echo "no real janus pid file in $STATE_DIR"
  fi
}

start() {
  command -v janus >/dev/null || { echo "janus not installed (apt-get install -y janus)" >&2; exit 1; }
  if [[ -f "$STATE_DIR/janus.pid" ]] && kill -0 "$(cat "$STATE_DIR/janus.pid")" 2>/dev/null; then
    echo "real janus already running (pid $(cat "$STATE_DIR/janus.pid"))" >&2; exit 1
  fi
  rm -rf "$STATE_DIR/conf"; mkdir -p "$STATE_DIR/conf"
  cp /etc/janus/*.jcfg "$STATE_DIR/conf/"
  cd "$STATE_DIR/conf"

  # REAL_JANUS_VIDEOROOM_JCFG=FILE: that file instead of Debian's sample VideoRoom configuration.
  if [[ -n "${REAL_JANUS_VIDEOROOM_JCFG:-}" ]]; then
    cp "$REAL_JANUS_VIDEOROOM_JCFG" janus.plugin.videoroom.jcfg
  fi

  # Core: point configs_folder at the copy; disable transports/loggers/event handlers we do not need.
  sed -i -e "s|configs_folder = \"/etc/janus\"|configs_folder = \"$STATE_DIR/conf\"|" janus.jcfg
  python3 - "$STATE_DIR/conf/janus.jcfg" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p).read()
def setsect(s, name, body):
    # replace the first top-level "name: {\n ... \n}" block body
    m = re.search(r'^' + name + r': \{\n(.*?)^\}', s, re.S | re.M)
    return s[:m.start()] + name + ': {\n' + body + '\n}' + s[m.end():]
s = setsect(s, 'transports', '\tdisable = "libjanus_pfunix.so,libjanus_mqtt.so,libjanus_nanomsg.so,libjanus_rabbitmq.so"')
s = setsect(s, 'loggers', '\tdisable = "libjanus_jsonlog.so"')
s = setsect(s, 'events', '\tbroadcast = false\n\tdisable = "libjanus_gelfevh.so,libjanus_mqttevh.so,libjanus_nanomsgevh.so,libjanus_rabbitmqevh.so,libjanus_sampleevh.so,libjanus_wsevh.so"')
open(p, 'w').write(s)
PY

  # REAL_JANUS_EVENTS_BACKEND=URL: the sample HTTP event handler posts plugin events (type 64) there.
  if [[ -n "${REAL_JANUS_EVENTS_BACKEND:-}" ]]; then
    sed -i -e 's/^\tbroadcast = false$/\tbroadcast = true/' -e 's/libjanus_sampleevh.so,//' janus.jcfg
    printf 'general: {\n\tenabled = true\n\tevents = "plugins"\n\tgrouping = false\n\tjson = "compact"\n\tbackend = "%s"\n}\n' \
      "$REAL_JANUS_EVENTS_BACKEND" >janus.eventhandler.sampleevh.jcfg
    # REAL_JANUS_EVENTS_ALL=1: every event type, media stats each second (as Portunus's data e2e).
    if [[ -n "${REAL_JANUS_EVENTS_ALL:-}" ]]; then
      sed -i -e 's/events = "plugins"/events = "all"/' janus.eventhandler.sampleevh.jcfg
      sed -i -e 's/^\tbroadcast = true$/\tbroadcast = true\n\tstats_period = 1/' janus.jcfg
    fi
  fi

  # HTTP transport
  sed -i -e "s/^\(\s*\)port = 8088/\1port = $HTTP_PORT/" \
         -e "s/^\(\s*\)admin_http = false/\1admin_http = true/" \
         -e "s/^\(\s*\)admin_port = 7088/\1admin_port = $ADMIN_HTTP_PORT/" \
         -e 's/^\(\s*\)#ip = "192.168.0.1"/\1ip = "127.0.0.1"/' \
         -e 's/^\(\s*\)#admin_ip = "192.168.0.1"/\1admin_ip = "127.0.0.1"/' \
         janus.transport.http.jcfg
  # WebSockets transport
  sed -i -e "s/^\(\s*\)ws_port = 8188/\1ws_port = $WS_PORT/" \
         -e "s/^\(\s*\)admin_ws = false/\1admin_ws = true/" \
         -e "s/^\(\s*\)#\?admin_ws_port = 7188/\1admin_ws_port = $ADMIN_WS_PORT/" \
         -e 's/^\(\s*\)#ws_ip = "192.168.0.1"/\1ws_ip = "127.0.0.1"/' \
         -e 's/^\(\s*\)#admin_ws_ip = "192.168.0.1"/\1admin_ws_ip = "127.0.0.1"/' \
         janus.transport.websockets.jcfg

  # REAL_JANUS_JSON=compact: replies without indentation, as Portunus's default (for benchmarks).
  if [[ -n "${REAL_JANUS_JSON:-}" ]]; then
    sed -i -e "s/^\(\s*\)#\?json = \"[a-z]*\"/\1json = \"$REAL_JANUS_JSON\"/" \
      janus.transport.http.jcfg janus.transport.websockets.jcfg
  fi

  # REAL_JANUS_ICE_ENFORCE=10.77.0.1: gather on that address only (nat.ice_enforce_list), as
  # the Portunus side of a comparison does.
  if [[ -n "${REAL_JANUS_ICE_ENFORCE:-}" ]]; then
    sed -i -e "s/^\(\s*\)#ice_enforce_list = \"eth0\"$/\1ice_enforce_list = \"$REAL_JANUS_ICE_ENFORCE\"/" janus.jcfg
  fi

  janus -F "$STATE_DIR/conf" -C "$STATE_DIR/conf/janus.jcfg" -o -d "${REAL_JANUS_DEBUG:-4}" \
        >"$STATE_DIR/janus.log" 2>&1 &
  pid=$!
  echo "$pid" > "$STATE_DIR/janus.pid"
  # wait for the HTTP and WS ports
  for _ in $(seq 1 100); do
    if ! kill -0 "$pid" 2>/dev/null; then echo "janus exited; log:" >&2; tail -50 "$STATE_DIR/janus.log" >&2; exit 1; fi
    if (exec 3<>/dev/tcp/127.0.0.1/$HTTP_PORT) 2>/dev/null && (exec 3<>/dev/tcp/127.0.0.1/$WS_PORT) 2>/dev/null; then
      echo "real janus started: pid $pid, conf $STATE_DIR/conf, log $STATE_DIR/janus.log"
      echo "export JANUS_HTTP=http://127.0.0.1:$HTTP_PORT/janus JANUS_WS=ws://127.0.0.1:$WS_PORT JANUS_ADMIN_HTTP=http://127.0.0.1:$ADMIN_HTTP_PORT/admin JANUS_ADMIN_WS=ws://127.0.0.1:$ADMIN_WS_PORT"
      exit 0
    fi
    sleep 0.1
  done
  echo "janus did not open its ports in 10 s; log:" >&2; tail -50 "$STATE_DIR/janus.log" >&2
  stop; exit 1
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
