#!/usr/bin/env bash
# supervise.sh NAME COMMAND...: runs COMMAND (a service JVM) and starts it again whenever it dies
# without having been asked to stop, logging each death and restart on lines starting with
# "SUPERVISOR" (the service's own log, since the start scripts send this process's output there).
# SIGTERM/SIGINT are passed on to COMMAND and end the supervision once it exited.
#
# Not restarted: exit code 0 (a clean stop) and 1 (start-up failed, e.g. a wrong setting or a port in
# use; restarting would only repeat it). Gives up after SUPERVISE_MAX_RESTARTS (5) restarts within
# SUPERVISE_WINDOW seconds (300); waits SUPERVISE_DELAY seconds (2) before each restart.
set -uo pipefail

name="$1"
shift
max_restarts="${SUPERVISE_MAX_RESTARTS:-5}"
window="${SUPERVISE_WINDOW:-300}"
delay="${SUPERVISE_DELAY:-2}"
child=""
stopping=0
restarts=()

log() { printf '%s SUPERVISOR %s: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$name" "$*"; }

meaning() {
  case "$1" in
    50) printf 'an uncaught exception ended Spark (exit 50)' ;;
    52) printf 'OutOfMemoryError (exit 52)' ;;
    70) printf 'a fatal JVM error (exit 70; see the FATAL line above)' ;;
    134) printf 'the JVM aborted (exit 134; look for an hs_err_pid file)' ;;
    137) printf 'it was killed (SIGKILL, exit 137; e.g. the kernel OOM killer)' ;;
    143) printf 'it was terminated by someone else (SIGTERM, exit 143)' ;;
    *) printf 'exit code %s' "$1" ;;
  esac
}

on_stop() {
  stopping=1
  if [ -n "$child" ]; then kill -TERM "$child" 2>/dev/null; fi
}
trap on_stop TERM INT

while :; do
  "$@" &
  child=$!
  code=0
  while :; do
    wait "$child"
    code=$?
    # wait returns early when a trapped signal arrives; the child may still be shutting down.
    kill -0 "$child" 2>/dev/null || break
  done
  child=""
  if [ "$stopping" = 1 ]; then
    exit 0
  fi
  if [ "$code" -eq 0 ] || [ "$code" -eq 1 ]; then
    log "$name exited with code $code; not restarting"
    exit "$code"
  fi
  now=$(date +%s)
  recent=()
  for at in "${restarts[@]+"${restarts[@]}"}"; do
    [ $((now - at)) -lt "$window" ] && recent+=("$at")
  done
  restarts=("${recent[@]+"${recent[@]}"}")
  if [ "${#restarts[@]}" -ge "$max_restarts" ]; then
    log "!!! $name died: $(meaning "$code"); it was restarted $max_restarts times within $window s already; giving up"
    exit "$code"
  fi
  restarts+=("$now")
  log "!!! $name died: $(meaning "$code"); restarting it in $delay s (restart ${#restarts[@]} of at most $max_restarts within $window s)"
  sleep "$delay" &
  wait $! || true
  if [ "$stopping" = 1 ]; then
    exit 0
  fi
done
