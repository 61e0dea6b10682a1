# Helpers for the shell-level tests: start Portunus in the background, wait for it, stop it by PID.
PORTUNUS_PID=""
portunus_start() {   # portunus_start LOGFILE ARGS...
  local log="$1"; shift
  setsid "$ROOT/portunus" "$@" >"$log" 2>&1 &
  PORTUNUS_PID=$!
}
portunus_stop() {
  if [ -n "$PORTUNUS_PID" ] && kill -0 "$PORTUNUS_PID" 2>/dev/null; then
    kill -TERM "$PORTUNUS_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$PORTUNUS_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$PORTUNUS_PID" 2>/dev/null || true
  fi
  PORTUNUS_PID=""
}
# wait_http URL SECONDS: succeeds once URL answers 200; prints the milliseconds it took.
wait_http() {
  local url="$1" limit_ms=$(( $2 * 1000 )) start now
  start=$(date +%s%3N)
  while true; do
    if curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$url" 2>/dev/null | grep -q 200; then
      now=$(date +%s%3N); echo $(( now - start )); return 0
    fi
    now=$(date +%s%3N)
    [ $(( now - start )) -ge "$limit_ms" ] && return 1
    sleep 0.05
  done
}
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
