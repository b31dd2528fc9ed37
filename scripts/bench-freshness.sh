#!/usr/bin/env bash
# Freshness benchmark: how long after its 202 an event can be queried. Starts the whole system on
# its own ports and data directory, runs the load generator live (DEVICES x METRICS every second,
# 3,000 events/s by default) for SECONDS, and meanwhile a probe (scripts/bench/freshness/
# FreshnessProbe.java) POSTs one uniquely valued event per second for a device of its own and polls
# the query server until each shows in latest_readings, measurements_live (every POLL_MS) and
# measurements (final windows; every 5th poll, their latency is minutes). Prints p50, p99 and max of
# "202 received -> visible" per table over all probes, and again (STEADY) from the 61st probe on, once
# the freshly started ETL has caught up; then the ETL's batch durations, the CPU of every process
# of the benchmark, and the staging files written per hour; keeps it all in
# $IOT_DATA_DIR/freshness-<time>.txt (docs/performance.md).
#
# Environment (defaults): TRIGGERS ("2s": one run per ETL trigger interval, e.g. "1s 2s 5s 10s"),
# SECONDS_PER_RUN (300), FINAL_ROWS (yes; "no" measures the live tables only and ends each run
# right after its last probe, for sweeps), WARMUP (60: seconds of load before the first probe, while
# the freshly started ETL, its JIT cold, catches up with what arrived as it started), DEVICES (1000),
# METRICS (3), POLL_MS (200), REFRESH (unset: the query server's own store.refresh-interval; it
# follows the ETL's live pointer every store.live-refresh-interval, 200 ms, either way),
# IOT_DATA_DIR (data/bench-freshness), ports 28080..28093;
# ETL_JAVA_OPTS and QUERY_SERVER_JAVA_OPTS pass extra JVM options (e.g. a logback configuration with
# DEBUG for StreamProgressTracker to log each batch's duration).
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
WARMUP="${WARMUP:-60}"
REFRESH="${REFRESH:-}"
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

cpu_seconds() { # utime + stime of a process (pid), in seconds; 0 if it is gone
  [ -n "$1" ] && [ -r "/proc/$1/stat" ] || { echo 0; return; }
  awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat"
}
# Who shares the CPU with the ETL during the measured part: every process of the benchmark.
service_pid() { # the service's JVM (a supervised service's pid file names its supervisor)
  local pid child
  pid="$(running_pid "$1")" || return 0
  child="$(pgrep -P "$pid" java | head -1 || true)"
  printf '%s' "${child:-$pid}"
}
cpu_table() { # prints "name seconds" per process; $1 = generator pid
  local service
  for service in etl query-server gateway kafka; do
    echo "$service $(cpu_seconds "$(service_pid "$service")")"
  done
  echo "generator $(cpu_seconds "$1")"
  echo "probe $(cpu_seconds "$(pgrep -f 'FreshnessProbe.java' | head -1 || true)")"
}

for trigger in $TRIGGERS; do
  stop_everything
  rm -rf "$IOT_DATA_DIR/kafka" "$IOT_DATA_DIR/staging" "$IOT_DATA_DIR/warehouse" "$IOT_DATA_DIR/live" \
         "$IOT_DATA_DIR/checkpoints" "$IOT_DATA_DIR/dead-letters" "$IOT_DATA_DIR/logs"
  info "== ETL trigger interval $trigger"
  ETL_TRIGGER_INTERVAL="$trigger" "$ROOT/scripts/start-kafka.sh" >/dev/null
  "$ROOT/scripts/start-gateway.sh" >/dev/null
  ETL_TRIGGER_INTERVAL="$trigger" COMPACTION_ENABLED=false "$ROOT/scripts/start-etl.sh" >/dev/null
  QUERY_SERVER_JAVA_OPTS="${REFRESH:+-Dquery-server.store.refresh-interval=$REFRESH} ${QUERY_SERVER_JAVA_OPTS:-}" \
    "$ROOT/scripts/start-query-server.sh" >/dev/null

  "$ROOT/scripts/start-generator.sh" --url "http://127.0.0.1:$GATEWAY_PORT/events" --devices "$DEVICES" \
    --metrics "$METRICS" --interval 1s --duration "$(( WARMUP + SECONDS_PER_RUN + 10 ))s" --batch-size 100 --concurrency 8 \
    > "$IOT_DATA_DIR/generator-$trigger.log" 2>&1 &
  generator=$!
  sleep "$WARMUP" # not measured: see WARMUP
  cpu_table "$generator" | sort > "$IOT_DATA_DIR/cpu-before"
  started=$(date +%s)
  java -cp "$(module_classpath load-generator)" "$ROOT/scripts/bench/freshness/FreshnessProbe.java" \
    "http://127.0.0.1:$GATEWAY_PORT/events" "http://127.0.0.1:$QUERY_SERVER_PORT/query" "$PROBE_DEVICE" \
    "$SECONDS_PER_RUN" "$POLL_MS" "$FINAL_ROWS" "$IOT_DATA_DIR/probes-$trigger.csv" 2>>"$IOT_DATA_DIR/probe-$trigger.err" | sed "s/^/trigger $trigger  /" | tee -a "$RESULTS" &
  probe=$!
  sleep 5 # the probe's JVM is up: sample its CPU too
  cpu_table "$generator" | sort > "$IOT_DATA_DIR/cpu-probe-start"
  # The probe's own CPU, read while it still runs.
  # A process that ended (the generator stops 10 s after the last probe) keeps its last figure.
  cp "$IOT_DATA_DIR/cpu-probe-start" "$IOT_DATA_DIR/cpu-after"
  while kill -0 "$probe" 2>/dev/null; do
    cpu_table "$generator" | sort | join "$IOT_DATA_DIR/cpu-after" - \
      | awk '{print $1, ($3 > $2 ? $3 : $2)}' > "$IOT_DATA_DIR/cpu-after.tmp"
    mv "$IOT_DATA_DIR/cpu-after.tmp" "$IOT_DATA_DIR/cpu-after"
    sleep 1
  done
  wait "$probe" || true
  elapsed=$(( $(date +%s) - started ))
  wait "$generator" || true
  cp "$IOT_DATA_DIR/logs/etl.log" "$IOT_DATA_DIR/etl-$trigger.log" # the next run starts with fresh logs
  status="$(curl -sf "http://127.0.0.1:$ETL_ADMIN_PORT/status" || true)"
  batch_ms="$(printf '%s' "$status" | grep -o '"name":"measurements"[^}]*' | sed -n 's/.*"batchDurationMs":\([0-9]*\).*/\1/p')"
  files="$(find "$IOT_DATA_DIR/staging" -name 'part-*.parquet' | wc -l)"
  hours="$(find "$IOT_DATA_DIR/staging" -type d -name 'hour=*' | wc -l)"
  # CPU in cores over the measured part (the probe's from its 5th second on).
  cpu="$(join "$IOT_DATA_DIR/cpu-before" "$IOT_DATA_DIR/cpu-after" | join - "$IOT_DATA_DIR/cpu-probe-start" \
    | awk -v t="$elapsed" '{from = ($1 == "probe") ? $4 : $2; printf "%s %.2f, ", $1, ($3 - from) / t}')"
  printf 'trigger %s  CPU in cores over %d s: %slast batch %s ms; staging files %d in %d hour dir(s); generator: %s\n' \
    "$trigger" "$elapsed" "$cpu" "${batch_ms:-?}" "$files" "$hours" \
    "$(grep -o 'SUMMARY.*' "$IOT_DATA_DIR/generator-$trigger.log" | head -1)" | tee -a "$RESULTS"
done
info "Results: $RESULTS"
