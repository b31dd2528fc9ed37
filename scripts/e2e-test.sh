#!/usr/bin/env bash
# End-to-end proof that every acknowledged event is counted exactly once, however late it arrives.
# Every service runs as its own process, started by its own script, on free ports and a temporary
# data directory:
#   1. Kafka, gateway, ETL (1-minute windows, fast trigger and idle timeout, compaction OFF) and
#      query server start;
#   2. live: the generator sends 10 devices x 2 metrics every second for 40 s, stamped "now";
#      measurements_live must hold them at once (provisional rows of open windows);
#   3. late: while the pipeline runs, the generator backfills 3 hours for 20 other devices x 3
#      metrics (every window of it is final already: late rows); meanwhile hostile requests
#      (scripts/e2e/hostile-requests.sh) must get their 4xx and leave both services answering;
#   4. live again for 20 more devices, while checkers poll the table against the first two
#      ledgers; every generator run re-sends 5 % of acknowledged events (as clients whose ack was
#      lost) and writes a ledger; the ETL must report the duplicates dropped, the late events
#      stored, nothing dropped late;
#   5. kill -9 of the ETL while the last windows are open, restart;
#   6. before compaction (it is off): measurements and measurements_live must equal each ledger
#      exactly, and at every poll no window held more than its ledger (--never-above);
#   7. malformed records are written straight to Kafka, past the gateway;
#   8. the ETL restarts with compaction on; every hour that ended before the watermark must then
#      be read from a published manifest alone (inspect --require-compacted-until);
#   9. after compaction the table must still equal every ledger; the 3 dead letters are there.
# Exit code 0 = proven. Needs the modules built (mvn package / verify). Logs are kept on failure.
source "$(dirname "$0")/lib/common.sh"
require_java

work="$(mktemp -d "${TMPDIR:-/tmp}/iot-e2e.XXXXXX")"
export IOT_DATA_DIR="$work/data"
# Re-derive every path and port from the new IOT_DATA_DIR.
unset KAFKA_DATA_DIR STAGING_PATH WAREHOUSE_PATH LIVE_PATH KAFKA_BOOTSTRAP_SERVERS ETL_CHECKPOINT_PATH ETL_DEAD_LETTERS_PATH
pick_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
  || echo $(( 20000 + RANDOM % 20000 )); }
export KAFKA_PORT="$(pick_port)" KAFKA_CONTROLLER_PORT="$(pick_port)" GATEWAY_PORT="$(pick_port)" \
       ETL_ADMIN_PORT="$(pick_port)" QUERY_SERVER_PORT="$(pick_port)"
export KAFKA_TOPIC_PARTITIONS=2
source "$ROOT/scripts/lib/common.sh"

# Fast settings for a test: 1-minute windows, short lateness, idle timeout and compaction cadence.
# Compaction starts off, so "before compaction" is really before; step 7 turns it on.
export ETL_WINDOW=1m ETL_WATERMARK_LATENESS=20s ETL_TRIGGER_INTERVAL=2s ETL_DEAD_LETTERS_TRIGGER_INTERVAL=2s ETL_IDLE_TIMEOUT=5s ETL_HEAP=-Xmx1g
export COMPACTION_ENABLED=false COMPACTION_INTERVAL=3s COMPACTION_GRACE=2s
export ETL_JAVA_OPTS="-Detl-pipeline.compaction.initial-delay=3s -Detl-pipeline.compaction.watermark-lag=0s"
export SPARK_MASTER="local[2]"

ok=0
cleanup() {
  for pid in ${checkers:-}; do kill "$pid" 2>/dev/null || true; done
  for service in query-server etl gateway kafka; do
    if running_pid "$service" >/dev/null; then stop_service "$service" 60 >/dev/null; fi
  done
  if [ "$ok" = 1 ]; then
    rm -rf "$work"
  else
    echo "E2E FAILED; logs and data kept in $work (logs: $LOG_DIR)" >&2
    for log in "$LOG_DIR"/*.log; do
      [ -f "$log" ] || continue
      printf '\n----- last lines of %s -----\n' "$log" >&2
      tail -n 30 "$log" >&2
    done
  fi
}
trap cleanup EXIT

step() { printf '\n==> e2e: %s\n' "$*"; }
query_url="http://127.0.0.1:$QUERY_SERVER_PORT/query"
status_url="http://127.0.0.1:$ETL_ADMIN_PORT/status"
ledger="$work/ledger.json"

step "starting Kafka :$KAFKA_PORT, gateway :$GATEWAY_PORT, ETL admin :$ETL_ADMIN_PORT, query server :$QUERY_SERVER_PORT (data in $IOT_DATA_DIR)"
ensure_built local-kafka event-gateway load-generator etl-pipeline query-server
"$ROOT/scripts/start-kafka.sh"
"$ROOT/scripts/start-gateway.sh"
"$ROOT/scripts/start-etl.sh"
"$ROOT/scripts/start-query-server.sh"

step "the query server's pipeline page reads the gateway and the ETL on their ports (not the defaults)"
pipeline_ok() {
  local body
  body="$(curl -sf "http://127.0.0.1:$QUERY_SERVER_PORT/pipeline")" || return 1
  printf '%s' "$body" | grep -q "\"gateway\":{\"url\":\"http://127.0.0.1:$GATEWAY_PORT\",\"up\":true" \
    && printf '%s' "$body" | grep -q "\"etl\":{\"url\":\"http://127.0.0.1:$ETL_ADMIN_PORT\",\"up\":true"
}
for _ in $(seq 1 150); do pipeline_ok && break; sleep 0.2; done
pipeline_ok || fail "GET /pipeline does not show the gateway :$GATEWAY_PORT and the ETL :$ETL_ADMIN_PORT up: $(curl -s "http://127.0.0.1:$QUERY_SERVER_PORT/pipeline")"

gateway_url="http://127.0.0.1:$GATEWAY_PORT/events"
generate() { # LEDGER FIRST_DEVICE DEVICES METRICS SEED ARGS...
  local ledger="$1" first="$2" devices="$3" metrics="$4" seed="$5"
  shift 5
  "$ROOT/scripts/start-generator.sh" --url "$gateway_url" --devices "$devices" --metrics "$metrics" \
    --batch-size 50 --concurrency 4 --seed "$seed" --duplicate-fraction 0.05 \
    -Dload-generator.first-device-id="$first" -Dload-generator.ledger-window=1m --ledger "$ledger" "$@"
}
# verify LEDGER WAIT [ARGS]: the table must reach the ledger within WAIT and never exceed it meanwhile.
verify() {
  local ledger="$1" wait="$2"
  shift 2
  "$ROOT/scripts/verify-ledger.sh" --ledger "$ledger" --query-url "$query_url" --wait "$wait" --poll 2s \
    --never-above --require-duplicates "$@"
}
live1="$work/ledger-live-1.json" backfill="$work/ledger-backfill.json" live2="$work/ledger-live-2.json"

step "live: 10 devices x 2 metrics every second for 40 s, stamped now"
generate "$live1" 0 10 2 41 --interval 1s --duration 40s
step "measurements_live must hold them at once (its windows are still open), never more"
verify "$live1" 2m --table measurements_live

devices=20 metrics=3 interval_s=5 hours=3
events=$(( devices * metrics * (hours * 3600 - 300) / interval_s ))
step "late: backfill of $events events ($devices devices x $metrics metrics every ${interval_s} s over ${hours} h) into the running pipeline, with hostile requests meanwhile"
"$ROOT/scripts/e2e/hostile-requests.sh" "$gateway_url" "$query_url" > "$work/hostile.out" 2>&1 &
hostile=$!
generate "$backfill" 100 "$devices" "$metrics" 42 --interval "${interval_s}s" --backfill-start "${hours}h" \
  --backfill-speed max --count "$events"
wait "$hostile" || { cat "$work/hostile.out"; fail "a hostile request was not answered as expected (above)"; }
cat "$work/hostile.out"

step "live again, 20 more devices for 30 s, while the table is checked against the first two ledgers at every poll"
checkers=""
verify "$live1" 5m > "$work/verify-live-1.out" 2>&1 & checkers="$checkers $!"
verify "$backfill" 5m > "$work/verify-backfill.out" 2>&1 & checkers="$checkers $!"
generate "$live2" 200 20 2 43 --interval 1s --duration 30s
for pid in $checkers; do
  wait "$pid" || { cat "$work"/verify-*.out; fail "a ledger check failed (output above)"; }
done
checkers=""
cat "$work/verify-live-1.out" "$work/verify-backfill.out" | grep -E '^(MATCH|Ledger)'

status_json() { curl -sf "$status_url" || true; }
json_number() { sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"; }

step "the ETL counted every re-sent event as a duplicate, stored every backfilled event as late, dropped none"
status_json > "$work/status.json"
sent=0
for out in "$work"/verify-live-1.out "$work"/verify-backfill.out; do
  sent=$(( sent + $(sed -n 's/.* \([0-9]*\) duplicates sent).*/\1/p' "$out" | head -1) ))
done
backfilled="$(sed -n 's/^Ledger: [0-9]* windows, \([0-9]*\) acknowledged.*/\1/p' "$work/verify-backfill.out" | head -1)"
dupes="$(json_number duplicatesDropped < "$work/status.json")"
late="$(json_number lateEvents < "$work/status.json")"
dropped="$(json_number droppedLate < "$work/status.json")"
info "duplicates re-sent $sent, dropped $dupes; backfilled $backfilled, late events stored $late; dropped late $dropped"
[ "$sent" -gt 0 ] || fail "no duplicates were re-sent, so the run proves nothing about them"
[ "${dupes:-0}" -ge "$sent" ] || fail "the ETL dropped ${dupes:-0} duplicates, fewer than the $sent re-sent"
[ "${late:-0}" -ge "${backfilled:-1}" ] || fail "the ETL stored ${late:-0} late events, fewer than the $backfilled backfilled"
[ "${dropped:-1}" = 0 ] || fail "the ETL dropped ${dropped:-?} events as late"

step "kill -9 of the ETL while the last windows are open, then a restart (compaction still off)"
etl_pid="$(running_pid etl)" || fail "the ETL is not running"
kill -9 "$etl_pid"
while kill -0 "$etl_pid" 2>/dev/null; do sleep 1; done
"$ROOT/scripts/start-etl.sh"

step "before compaction: the final table and the live table must equal every ledger, and no poll may have seen more"
verify "$live2" 5m | tee "$work/verify-live-2.out"
for ledger in "$live1" "$backfill" "$live2"; do verify "$ledger" 1m --table measurements_live; done

step "writing 3 malformed records straight to Kafka"
java -cp "$(module_classpath local-kafka)" "$ROOT/scripts/e2e/ProduceRaw.java" "$KAFKA_BOOTSTRAP_SERVERS" iot_device_events \
  '1=not json at all' \
  '2={"deviceId":"2","metricId":1,"timestamp":1764000000000,"value":1.0}' \
  '3={"deviceId":3,"metricId":1,"timestamp":1764000000000,"value":NaN}'

step "restarting the ETL with compaction on"
"$ROOT/scripts/stop-etl.sh"
COMPACTION_ENABLED=true "$ROOT/scripts/start-etl.sh"

step "waiting until every hour that ended before the watermark is read from a published manifest alone"
deadline=$(( $(date +%s) + 300 ))
compacted_ok=0
while [ "$(date +%s)" -lt "$deadline" ]; do
  watermark="$(status_json | sed -n 's/.*"watermark":"\([^"]*\)".*/\1/p')"
  if [ -n "$watermark" ] && "$ROOT/scripts/inspect.sh" --require-compacted-until "$watermark" > "$work/inspect.out" 2>&1; then
    compacted_ok=1
    break
  fi
  sleep 3
done
cat "$work/inspect.out"
[ "$compacted_ok" = 1 ] || fail "closed hours are still not compacted after 5 minutes (see above)"
closed_hours="$(sed -n 's/^\([0-9]*\) hours ended by .*/\1/p' "$work/inspect.out")"
[ "${closed_hours:-0}" -ge "$hours" ] || fail "only ${closed_hours:-0} closed hours, expected at least $hours (the backfill's)"
info "all $closed_hours hours that ended by $watermark are compacted (distinct hours, each from its manifest)"

step "after compaction, table measurements must still equal every ledger"
for ledger in "$live1" "$backfill" "$live2"; do verify "$ledger" 2m; done

step "the malformed records must be in the dead letters"
await_dead_letters() {
  local deadline=$(( $(date +%s) + 120 ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    [ "$(cat "$IOT_DATA_DIR"/dead-letters/date=*/part-*.json 2>/dev/null | wc -l)" -ge 3 ] && return 0
    sleep 2
  done
}
await_dead_letters
lines="$(cat "$IOT_DATA_DIR"/dead-letters/date=*/part-*.json | wc -l)"
[ "$lines" = 3 ] || fail "expected 3 lines in the dead-letter files, found $lines"
grep -q 'not json at all' "$IOT_DATA_DIR"/dead-letters/date=*/part-*.json || fail "the raw payload is not in the dead letters"
info "the 3 raw records with their reasons are in $IOT_DATA_DIR/dead-letters"

ok=1
step "PASSED: every acknowledged event - live, late and re-sent - is in table measurements exactly once, before and after compaction"
