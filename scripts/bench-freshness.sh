#!/usr/bin/env bash
# Freshness benchmark: how long after its 202 an event can be queried. Starts the whole system on
# its own ports and data directory, runs the load generator live (DEVICES x METRICS every second,
# 3,000 events/s by default) for SECONDS, and meanwhile a probe (scripts/bench/freshness/
# FreshnessProbe.java) POSTs one uniquely valued event per second for a device of its own and polls
# the query server until each shows in latest_readings, measurements_live (every POLL_MS) and
# measurements (final windows; every 5th poll, their latency is minutes). Prints p50, p99 and max of "202 received -> visible" per table, the ETL's batch
# durations and CPU, and the staging files written per hour; keeps it all in
# $IOT_DATA_DIR/freshness-<time>.txt (docs/performance.md).
#
# Environment (defaults): TRIGGERS ("2s": one run per ETL trigger interval, e.g. "1s 2s 5s 10s"),
# SECONDS_PER_RUN (300), FINAL_ROWS (yes; "no" measures the live tables only and ends each run
# right after its last probe, for sweeps), DEVICES (1000), METRICS (3), POLL_MS (200), REFRESH (1s: the query
# server's store.refresh-interval), IOT_DATA_DIR (data/bench-freshness), ports 28080..28093.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
export IOT_DATA_DIR="${IOT_DATA_DIR:-$ROOT/data/bench-freshness}"
export KAFKA_PORT="${KAFKA_PORT:-28092}" KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-28093}" \
       GATEWAY_PORT="${GATEWAY_PORT:-28080}" ETL_ADMIN_PORT="${ETL_ADMIN_PORT:-28081}" \
       QUERY_SERVER_PORT="${QUERY_SERVER_PORT:-28082}"
source "$ROOT/scripts/lib/common.sh"

TRIGGERS="${TRIGGERS:-2s}"
SECONDS_PER_RUN="${SECONDS_PER_RUN:-300}"
DEVICES="${DEVICES:-1000}"
METRICS="${METRICS:-3}"
POLL_MS="${POLL_MS:-200}"
FINAL_ROWS="${FINAL_ROWS:-yes}"
REFRESH="${REFRESH:-1s}"
PROBE_DEVICE=2000000000
STAMP="$(date +%Y%m%d-%H%M%S)"
RESULTS="$IOT_DATA_DIR/freshness-$STAMP.txt"

require_java
ensure_built local-kafka event-gateway load-generator etl-pipeline query-server
mkdir -p "$IOT_DATA_DIR"
stop_everything() {
  for service in query-server etl gateway kafka; do
    if running_pid "$service" >/dev/null; then "$ROOT/scripts/stop-$service.sh" >/dev/null || true; fi
  done
}
trap stop_everything EXIT

{
  echo "# freshness benchmark $STAMP: $DEVICES devices x $METRICS metrics every second, $SECONDS_PER_RUN s per run"
  echo "# machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB RAM; load before: $(uptime)"
} | tee "$RESULTS"

etl_cpu_seconds() { # utime + stime of the ETL process, in seconds
  local pid; pid="$(running_pid etl)" || { echo 0; return; }
  awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$pid/stat"
}

for trigger in $TRIGGERS; do
  stop_everything
  rm -rf "$IOT_DATA_DIR/kafka" "$IOT_DATA_DIR/staging" "$IOT_DATA_DIR/warehouse" "$IOT_DATA_DIR/live" \
         "$IOT_DATA_DIR/checkpoints" "$IOT_DATA_DIR/dead-letters" "$IOT_DATA_DIR/logs"
  info "== ETL trigger interval $trigger"
  ETL_TRIGGER_INTERVAL="$trigger" "$ROOT/scripts/start-kafka.sh" >/dev/null
  "$ROOT/scripts/start-gateway.sh" >/dev/null
  ETL_TRIGGER_INTERVAL="$trigger" COMPACTION_ENABLED=false "$ROOT/scripts/start-etl.sh" >/dev/null
  QUERY_SERVER_JAVA_OPTS="-Dquery-server.store.refresh-interval=$REFRESH" "$ROOT/scripts/start-query-server.sh" >/dev/null

  "$ROOT/scripts/start-generator.sh" --url "http://127.0.0.1:$GATEWAY_PORT/events" --devices "$DEVICES" \
    --metrics "$METRICS" --interval 1s --duration "$(( SECONDS_PER_RUN + 30 ))s" --batch-size 100 --concurrency 8 \
    > "$IOT_DATA_DIR/generator-$trigger.log" 2>&1 &
  generator=$!
  sleep 20 # warm-up of the load: not measured
  cpu_before="$(etl_cpu_seconds)"
  started=$(date +%s)
  java -cp "$(module_classpath load-generator)" "$ROOT/scripts/bench/freshness/FreshnessProbe.java" \
    "http://127.0.0.1:$GATEWAY_PORT/events" "http://127.0.0.1:$QUERY_SERVER_PORT/query" "$PROBE_DEVICE" \
    "$SECONDS_PER_RUN" "$POLL_MS" "$FINAL_ROWS" 2>>"$IOT_DATA_DIR/probe-$trigger.err" | sed "s/^/trigger $trigger  /" | tee -a "$RESULTS"
  cpu_after="$(etl_cpu_seconds)"
  elapsed=$(( $(date +%s) - started ))
  wait "$generator" || true
  cp "$IOT_DATA_DIR/logs/etl.log" "$IOT_DATA_DIR/etl-$trigger.log" # the next run starts with fresh logs
  status="$(curl -sf "http://127.0.0.1:$ETL_ADMIN_PORT/status" || true)"
  batch_ms="$(printf '%s' "$status" | grep -o '"name":"measurements"[^}]*' | sed -n 's/.*"batchDurationMs":\([0-9]*\).*/\1/p')"
  files="$(find "$IOT_DATA_DIR/staging" -name 'part-*.parquet' | wc -l)"
  hours="$(find "$IOT_DATA_DIR/staging" -type d -name 'hour=*' | wc -l)"
  printf 'trigger %s  ETL CPU %.2f cores over %d s; last batch %s ms; staging files %d in %d hour dir(s); generator: %s\n' \
    "$trigger" "$(echo "($cpu_after - $cpu_before) / $elapsed" | bc -l)" "$elapsed" "${batch_ms:-?}" "$files" "$hours" \
    "$(grep -o 'SUMMARY.*' "$IOT_DATA_DIR/generator-$trigger.log" | head -1)" | tee -a "$RESULTS"
done
info "Results: $RESULTS"
