#!/usr/bin/env bash
# Process-level checks of ./portunus itself: start-up time with no configuration, --version,
# --help, a bad flag, and start-up on Debian's real /etc/janus folder.
# Prints one "ok"/"not ok" line per check and "smoke: N passed, N failed" at the end.
set -u
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/tests/lib.sh"
pass=0; fail=0
ok()     { echo "ok - $1"; pass=$((pass + 1)); }
not_ok() { echo "not ok - $1"; fail=$((fail + 1)); }
trap portunus_stop EXIT
logdir="$(mktemp -d)"

for p in 8088 8188 7088 7188; do
  port_free "$p" || { echo "smoke: port $p is in use; stop whatever holds it first" >&2; exit 1; }
done

# Build once so that what follows times the server, not Maven.
"$ROOT/portunus" --version >"$logdir/version.txt" 2>"$logdir/build.txt" \
  && grep -q '^Portunus ' "$logdir/version.txt" && ok "--version prints $(cat "$logdir/version.txt")" \
  || { not_ok "--version"; cat "$logdir/build.txt"; }

"$ROOT/portunus" --help | grep -q -- '--session-timeout' && ok "--help lists Janus's options" || not_ok "--help"
"$ROOT/portunus" --no-such-flag >/dev/null 2>"$logdir/bad.txt"; code=$?
[ "$code" = 2 ] && grep -q 'Unknown option --no-such-flag' "$logdir/bad.txt" && ok "an unknown flag exits 2 with a message" \
  || not_ok "unknown flag (exit $code: $(cat "$logdir/bad.txt"))"

# 1. No configuration at all: the Janus API answers. The start-up time is reported, not judged
#    (about 1 s on an idle machine; over 5 s was seen at load average 13): a test with a time
#    limit measures the machine, not the server.
portunus_start "$logdir/defaults.log"
if ms=$(wait_http http://127.0.0.1:8088/janus/info 60); then
  ok "GET /janus/info answered ${ms} ms after start"
  echo "startup_ms=$ms" >"$ROOT/target/startup.txt"
else
  not_ok "no answer on /janus/info within 60 s"; cat "$logdir/defaults.log"
fi
curl -s http://127.0.0.1:7088/admin/info | grep -q '"server_info"' && ok "Admin API answers on 127.0.0.1:7088/admin" || not_ok "admin http"
# The admin port must not be reachable on another local address than loopback 127.0.0.1.
if curl -s --max-time 1 -o /dev/null http://127.0.0.2:7088/admin/info; then not_ok "admin port bound beyond 127.0.0.1"; else ok "admin port bound to 127.0.0.1 only"; fi
# ./portunus admin (the Admin API CLI) through the script: exit 0 answered, 1 error reply, 3 unreachable.
[ "$("$ROOT/portunus" admin ping 2>&1)" = pong ] && ok "./portunus admin ping" || not_ok "./portunus admin ping"
"$ROOT/portunus" admin get_status >/dev/null 2>"$logdir/cli.txt"; code=$?
[ "$code" = 1 ] && grep -q '^error 403: Unauthorized request' "$logdir/cli.txt" \
  && ok "./portunus admin without the (random) secret exits 1: $(cat "$logdir/cli.txt")" || not_ok "admin cli 403 (exit $code: $(cat "$logdir/cli.txt"))"
"$ROOT/portunus" admin --url http://127.0.0.1:9/admin ping >/dev/null 2>&1; code=$?
[ "$code" = 3 ] && ok "./portunus admin to a closed port exits 3" || not_ok "admin cli unreachable (exit $code)"
curl -s http://127.0.0.1:7088/schema/event.json | grep -q '"\$schema": "https://json-schema.org/draft/2020-12/schema"' \
  && ok "GET /schema/event.json on the admin server" || not_ok "/schema/event.json"
portunus_stop

# 2. Debian's janus package configuration folder, as shipped.
if [ -f /etc/janus/janus.jcfg ]; then
  portunus_start "$logdir/etc-janus.log" --config /etc/janus
  if ms=$(wait_http http://127.0.0.1:8088/janus/info 60); then
    ok "--config /etc/janus: Janus API up after ${ms} ms"
  else
    not_ok "--config /etc/janus did not start"; cat "$logdir/etc-janus.log"
  fi
  if grep -q 'Ignoring janus.plugin.audiobridge.jcfg: Portunus has no module janus.plugin.audiobridge' "$logdir/etc-janus.log" \
     && grep -q 'Ignoring janus.plugin.streaming.jcfg' "$logdir/etc-janus.log"; then
    ok "--config /etc/janus warns about each module it does not have ($(grep -c '^\[WARN\] Ignoring' "$logdir/etc-janus.log") warnings)"
  else
    not_ok "missing module warnings"; cat "$logdir/etc-janus.log"
  fi
  portunus_stop
else
  not_ok "/etc/janus/janus.jcfg missing (apt-get install janus)"
fi

# 3. A broken configuration file is reported with file:line:column and exit code 1.
bad="$(mktemp -d)"; printf 'general: {\n  session_timeout = ;\n}\n' >"$bad/janus.jcfg"
"$ROOT/portunus" --config "$bad" >/dev/null 2>"$logdir/badcfg.txt"; code=$?
[ "$code" = 1 ] && grep -q "janus.jcfg:2:" "$logdir/badcfg.txt" && ok "a broken janus.jcfg exits 1 naming file:line ($(head -1 "$logdir/badcfg.txt"))" \
  || not_ok "broken config (exit $code: $(cat "$logdir/badcfg.txt"))"

echo "smoke: $pass passed, $fail failed"
[ "$fail" = 0 ]
