#!/usr/bin/env bash
# End-to-end proof that nothing acknowledged is lost or doubled. Every service runs as its own
# process, started by its own script, on free ports and a temporary data directory:
#   1. Kafka, gateway, ETL (1-minute windows, fast trigger and idle timeout, compaction every few
#      seconds) and query server start;
#   2. the generator backfills 3 hours for 20 devices x 3 metrics through the gateway, re-sending
#      5 % of acknowledged events (as clients whose ack was lost) and writing a ledger;
#   3. malformed records are written straight to Kafka, past the gateway;
#   4. table measurements must equal the ledger exactly (every window once, counts and sums);
#   5. after compaction has published closed hours, it must still equal the ledger exactly, and the
#      malformed records must be in the dead letters.
# Exit code 0 = proven. Needs the modules built (mvn package / verify). Logs are kept on failure.
source "$(dirname "$0")/lib/common.sh"
require_java

work="$(mktemp -d "${TMPDIR:-/tmp}/iot-e2e.XXXXXX")"
export IOT_DATA_DIR="$work/data"
# Re-derive every path and port from the new IOT_DATA_DIR.
unset KAFKA_DATA_DIR STAGING_PATH WAREHOUSE_PATH KAFKA_BOOTSTRAP_SERVERS
pick_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
  || echo $(( 20000 + RANDOM % 20000 )); }
export KAFKA_PORT="$(pick_port)" KAFKA_CONTROLLER_PORT="$(pick_port)" GATEWAY_PORT="$(pick_port)" \
       ETL_ADMIN_PORT="$(pick_port)" QUERY_SERVER_PORT="$(pick_port)"
export KAFKA_TOPIC_PARTITIONS=2
source "$ROOT/scripts/lib/common.sh"

# Fast settings for a test: 1-minute windows, short lateness, idle timeout and compaction cadence.
export ETL_WINDOW=1m ETL_WATERMARK_LATENESS=20s ETL_TRIGGER_INTERVAL=2s ETL_IDLE_TIMEOUT=5s ETL_HEAP=-Xmx1g
export COMPACTION_INTERVAL=3s COMPACTION_GRACE=2s
export ETL_JAVA_OPTS="-Detl-pipeline.compaction.initial-delay=3s -Detl-pipeline.compaction.watermark-lag=0s"
export SPARK_MASTER="local[2]"

ok=0
cleanup() {
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

devices=20 metrics=3 interval_s=5 hours=3
events=$(( devices * metrics * (hours * 3600 - 300) / interval_s ))
step "generator: $events events ($devices devices x $metrics metrics every ${interval_s} s over ${hours} h), 5 % re-sent, ledger $ledger"
"$ROOT/scripts/start-generator.sh" --url "http://127.0.0.1:$GATEWAY_PORT/events" --devices "$devices" \
  --metrics "$metrics" --interval "${interval_s}s" --backfill-start "${hours}h" --backfill-speed max \
  --count "$events" --batch-size 50 --concurrency 4 --seed 42 --duplicate-fraction 0.05 \
  -Dload-generator.ledger-window=1m --ledger "$ledger"

step "writing 3 malformed records straight to Kafka"
java -cp "$(module_classpath local-kafka)" "$ROOT/scripts/e2e/ProduceRaw.java" "$KAFKA_BOOTSTRAP_SERVERS" iot_device_events \
  '1=not json at all' \
  '2={"deviceId":"2","metricId":1,"timestamp":1764000000000,"value":1.0}' \
  '3={"deviceId":3,"metricId":1,"timestamp":1764000000000,"value":NaN}'

step "table measurements must equal the ledger"
"$ROOT/scripts/verify-ledger.sh" --ledger "$ledger" --query-url "$query_url" --wait 5m --poll 3s

step "waiting for compaction to publish closed hours"
deadline=$(( $(date +%s) + 300 ))
compacted=0
while [ "$(date +%s)" -lt "$deadline" ]; do
  compacted="$(curl -sf "$status_url" | sed -n 's/.*"hoursCompacted":\([0-9]*\).*/\1/p' || true)"
  [ "${compacted:-0}" -ge "$hours" ] && break
  sleep 2
done
[ "${compacted:-0}" -ge "$hours" ] || fail "compaction published ${compacted:-0} hour(s) within 5 minutes, expected at least $hours"
info "compaction published $compacted hour version(s)"
"$ROOT/scripts/inspect.sh" || true

step "after compaction, table measurements must still equal the ledger"
"$ROOT/scripts/verify-ledger.sh" --ledger "$ledger" --query-url "$query_url" --wait 2m --poll 3s

step "the malformed records must be in the dead letters"
dead="$(curl -sf "$status_url" | sed -n 's/.*"deadLetters":\([0-9]*\).*/\1/p' || true)"
[ "$dead" = 3 ] || fail "expected 3 dead letters, the ETL reports ${dead:-none}"
lines="$(cat "$IOT_DATA_DIR"/dead-letters/date=*/part-*.json | wc -l)"
[ "$lines" = 3 ] || fail "expected 3 lines in the dead-letter files, found $lines"
grep -q 'not json at all' "$IOT_DATA_DIR"/dead-letters/date=*/part-*.json || fail "the raw payload is not in the dead letters"
info "the ETL reports 3 dead letters, and the 3 raw records with their reasons are in $IOT_DATA_DIR/dead-letters"

ok=1
step "PASSED: every acknowledged event is in table measurements exactly once, before and after compaction"
