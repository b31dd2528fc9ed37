#!/usr/bin/env bash
# Benchmarks the Event Gateway against its two ceilings, in one run, on one broker, on this machine:
#   1. HTTP ceiling: wrk against POST /bench/noop of the same gateway process (reads the body,
#      answers 202, no Kafka)
#   2. gateway, single-event POST /events
#   3. gateway, POST /events with batches of BATCH (100) events
#   4. Kafka ceiling: Kafka's own ProducerPerformance (kafka-tools), records of the same size and
#      shape, keyed like the gateway's, acks=all, idempotent, same linger/batch/compression
# and prints events/s, p50/p99 latency and the ratios 2/1 and 3/4 as a markdown table.
#
# Environment (defaults): CONNECTIONS (64), THREADS (2), WARMUP (15 s per path), DURATION (30 s), BATCH (100),
# KAFKA_RECORDS (3000000), PARTITIONS (4), GATEWAY_PORT (18080), KAFKA_PORT (19092),
# KAFKA_CONTROLLER_PORT (19093), IOT_DATA_DIR (data/bench-gateway; broker data, logs, results),
# PROFILE=1 (record a JFR profile of the gateway during runs 2 and 3 and print its hottest frames),
# GATEWAY_BENCH_JAVA_OPTS (extra JVM options for the gateway).
# Starts its own broker and gateway on the ports above and stops them at the end.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
export IOT_DATA_DIR="${IOT_DATA_DIR:-$ROOT/data/bench-gateway}"
source "$ROOT/scripts/lib/common.sh"

CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
WARMUP="${WARMUP:-15}"
DURATION="${DURATION:-30}"
BATCH="${BATCH:-100}"
KAFKA_RECORDS="${KAFKA_RECORDS:-3000000}"
PARTITIONS="${PARTITIONS:-4}"
PROFILE="${PROFILE:-0}"
export GATEWAY_PORT="${GATEWAY_PORT:-18080}"
export KAFKA_PORT="${KAFKA_PORT:-19092}"
export KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-19093}"
export KAFKA_DATA_DIR="${KAFKA_DATA_DIR:-$IOT_DATA_DIR/kafka}"
export KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:$KAFKA_PORT"
export KAFKA_TOPIC="bench_gateway_events"
export GATEWAY_BENCHMARK_ROUTE=on
BENCH_DIR="$ROOT/scripts/bench/gateway"
OUT_DIR="$IOT_DATA_DIR/results"
URL="http://127.0.0.1:$GATEWAY_PORT"
# The producer settings of the gateway's reference.conf, for the Kafka ceiling.
PRODUCER_PROPS=(acks=all enable.idempotence=true linger.ms=5 batch.size=65536 compression.type=lz4)

command -v wrk >/dev/null || fail "wrk not found; install it with 'apt-get install wrk'"
mkdir -p "$OUT_DIR"

started_kafka=""
cleanup() {
  "$ROOT/scripts/stop-gateway.sh" >/dev/null 2>&1 || true
  if [ -n "$started_kafka" ]; then "$ROOT/scripts/stop-kafka.sh" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

# --- build: the gateway, and the test classpath that holds kafka-tools (ProducerPerformance) ---
ensure_built event-gateway
CLASSPATH_FILE="$IOT_DATA_DIR/bench-classpath.txt"
if [ ! -s "$CLASSPATH_FILE" ] || [ "$ROOT/event-gateway/pom.xml" -nt "$CLASSPATH_FILE" ] || [ "$ROOT/pom.xml" -nt "$CLASSPATH_FILE" ]; then
  info "Resolving the benchmark classpath (kafka-tools)..."
  # Every module of the reactor writes the file; event-gateway comes last, so its classpath stays.
  (cd "$ROOT" && mvn -B -q -Dstyle.color=never -pl event-gateway -am dependency:build-classpath \
      -Dmdep.includeScope=test -Dmdep.outputFile="$CLASSPATH_FILE") >/dev/null \
    || fail "resolving the benchmark classpath failed; run 'mvn -B -pl event-gateway -am dependency:build-classpath' to see why"
fi
TOOLS_CP="$(cat "$CLASSPATH_FILE")"
tools() {
  java -Xmx512m -Dlogback.configurationFile="$BENCH_DIR/logback-bench.xml" -cp "$TOOLS_CP" "$@"
}

# --- broker and topic ---
if ! running_pid kafka >/dev/null; then
  "$ROOT/scripts/start-kafka.sh" >/dev/null
  started_kafka=yes
fi
tools org.apache.kafka.tools.TopicCommand --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --create --if-not-exists \
  --topic "$KAFKA_TOPIC" --partitions "$PARTITIONS" --replication-factor 1 >/dev/null

# --- gateway ---
profile_file="$OUT_DIR/gateway.jfr"
export GATEWAY_JAVA_OPTS="${GATEWAY_BENCH_JAVA_OPTS:-}"
"$ROOT/scripts/start-gateway.sh" >/dev/null
gateway_pid="$(running_pid gateway)"
kafka_pid="$(running_pid kafka)"

# to_ms VALUE: wrk prints latencies as 850.00us, 1.23ms or 1.05s.
to_ms() {
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); printf "%.2f", v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.2f", v }
    else if (v ~ /m$/) { sub(/m$/, "", v); printf "%.2f", v * 60000 }
    else { sub(/s$/, "", v); printf "%.2f", v * 1000 } }'
}

# cpu_ms PID: CPU time (user + system) the process has used so far, in ms. Unlike throughput it
# hardly depends on what else runs on the machine, so the CPU cost per event is the steadier figure.
cpu_ms() {
  awk -v hz="$(getconf CLK_TCK)" '{printf "%.0f", ($14 + $15) * 1000 / hz}' "/proc/$1/stat"
}

# per_event_us CPU_MS_BEFORE CPU_MS_AFTER EVENTS_PER_S SECONDS
per_event_us() {
  awk -v a="$1" -v b="$2" -v e="$3" -v s="$4" 'BEGIN {printf "%.1f", (e * s > 0 ? (b - a) * 1000 / (e * s) : 0)}'
}

# warm_up PATH BATCH: load without measuring, so the JIT has compiled the path before it is measured
# (compilation would otherwise count as CPU of the first measured run).
warm_up() {
  info "[warm-up] ${WARMUP}s: POST $1, $2 event(s) per request"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" --timeout 15s -s "$BENCH_DIR/post-events.lua" "$URL" -- "$2" "$1" >/dev/null
}

# run_wrk NAME PATH BATCH: a short warm-up, then the measured run; sets RESULT_* for the table.
run_wrk() {
  local name="$1" path="$2" batch="$3" log="$OUT_DIR/wrk-$1.txt"
  info "[$name] ${DURATION}s with $CONNECTIONS connections: POST $path, $batch event(s) per request"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d3s --timeout 15s -s "$BENCH_DIR/post-events.lua" "$URL" -- "$batch" "$path" >/dev/null
  local gateway_before broker_before
  gateway_before="$(cpu_ms "$gateway_pid")" broker_before="$(cpu_ms "$kafka_pid")"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 15s --latency -s "$BENCH_DIR/post-events.lua" "$URL" -- "$batch" "$path" > "$log"
  local gateway_after broker_after
  gateway_after="$(cpu_ms "$gateway_pid")" broker_after="$(cpu_ms "$kafka_pid")"
  local rps non2xx errors
  rps="$(awk '/^Requests\/sec:/ {print $2}' "$log")"
  non2xx="$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$log")"
  errors="$(awk '/Socket errors:/ {print}' "$log")"
  RESULT_EVENTS="$(awk -v r="$rps" -v b="$batch" 'BEGIN {printf "%.0f", r * b}')"
  RESULT_P50="$(to_ms "$(awk '$1 == "50%" {print $2}' "$log")")"
  RESULT_P99="$(to_ms "$(awk '$1 == "99%" {print $2}' "$log")")"
  RESULT_GATEWAY_CPU="$(per_event_us "$gateway_before" "$gateway_after" "$RESULT_EVENTS" "$DURATION")"
  RESULT_BROKER_CPU="$(per_event_us "$broker_before" "$broker_after" "$RESULT_EVENTS" "$DURATION")"
  RESULT_NOTE="${rps} req/s"
  [ -n "$non2xx" ] && RESULT_NOTE="$RESULT_NOTE; NON-2xx: $non2xx"
  [ -n "$errors" ] && RESULT_NOTE="$RESULT_NOTE; ${errors}"
  info "[$name] $RESULT_EVENTS events/s, p50 $RESULT_P50 ms, p99 $RESULT_P99 ms, CPU per event: gateway $RESULT_GATEWAY_CPU us, broker $RESULT_BROKER_CPU us ($RESULT_NOTE)"
}

warm_up /bench/noop 1
warm_up /events 1
warm_up /events "$BATCH"

run_wrk http-ceiling /bench/noop 1
e1="$RESULT_EVENTS" p50_1="$RESULT_P50" p99_1="$RESULT_P99" n1="$RESULT_NOTE" g1="$RESULT_GATEWAY_CPU" b1="$RESULT_BROKER_CPU"

if [ "$PROFILE" = "1" ]; then
  jcmd "$gateway_pid" JFR.start name=bench settings=profile filename="$profile_file" >/dev/null
fi
run_wrk gateway-single /events 1
e2="$RESULT_EVENTS" p50_2="$RESULT_P50" p99_2="$RESULT_P99" n2="$RESULT_NOTE" g2="$RESULT_GATEWAY_CPU" b2="$RESULT_BROKER_CPU"
run_wrk gateway-batch /events "$BATCH"
e3="$RESULT_EVENTS" p50_3="$RESULT_P50" p99_3="$RESULT_P99" n3="$RESULT_NOTE" g3="$RESULT_GATEWAY_CPU" b3="$RESULT_BROKER_CPU"
if [ "$PROFILE" = "1" ]; then
  jcmd "$gateway_pid" JFR.stop name=bench >/dev/null
fi
curl -s "$URL/metrics" | grep -E '^gateway_events_(accepted|unavailable|rejected)' > "$OUT_DIR/gateway-counters.txt" || true
"$ROOT/scripts/stop-gateway.sh" >/dev/null

# --- Kafka ceiling: same broker, same topic, same record shape and size, keyed like the gateway ---
payloads="$OUT_DIR/payloads.ndjson"
"$BENCH_DIR/payloads.sh" 10000 > "$payloads"
record_size="$(awk '{s += length($0)} END {printf "%.0f", s / NR}' "$payloads")"
info "[kafka-ceiling] ProducerPerformance: $KAFKA_RECORDS records of ~$record_size bytes, keys in [0,10000), ${PRODUCER_PROPS[*]}"
broker_before="$(cpu_ms "$kafka_pid")"
tools org.apache.kafka.tools.ProducerPerformance --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --topic "$KAFKA_TOPIC" \
  --num-records "$KAFKA_RECORDS" --warmup-records "$((KAFKA_RECORDS / 5))" --throughput -1 \
  --payload-file "$payloads" --key-distribution random --record-key-range 10000 \
  --command-property "${PRODUCER_PROPS[@]}" > "$OUT_DIR/producer-performance.txt"
# The last summary line is the steady state (after the warm-up records).
summary="$(grep 'records/sec' "$OUT_DIR/producer-performance.txt" | tail -1)"
e4="$(sed -E 's/.* ([0-9.]+) records\/sec.*/\1/' <<< "$summary" | awk '{printf "%.0f", $1}')"
p50_4="$(sed -E 's/.* ([0-9]+) ms 50th.*/\1/' <<< "$summary")"
p99_4="$(sed -E 's/.* ([0-9]+) ms 99th.*/\1/' <<< "$summary")"
b4="$(awk -v a="$broker_before" -v b="$(cpu_ms "$kafka_pid")" -v n="$KAFKA_RECORDS" 'BEGIN {printf "%.1f", (b - a) * 1000 / n}')"
info "[kafka-ceiling] $summary; broker CPU per event $b4 us"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}'; }
result="$OUT_DIR/results.md"
{
  echo "Run $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "wrk -t$THREADS -c$CONNECTIONS; ${WARMUP}s warm-up of each path, then 3s + ${DURATION}s measured per run; $PARTITIONS partitions; record ~$record_size bytes"
  echo
  echo "| # | run | events/s | p50 ms | p99 ms | gateway CPU µs/event | broker CPU µs/event | notes |"
  echo "|---|---|---:|---:|---:|---:|---:|---|"
  echo "| 1 | HTTP ceiling (POST /bench/noop, 1 event) | $e1 | $p50_1 | $p99_1 | $g1 | $b1 | $n1 |"
  echo "| 2 | gateway, single-event POST /events | $e2 | $p50_2 | $p99_2 | $g2 | $b2 | $n2 |"
  echo "| 3 | gateway, $BATCH-event POST /events | $e3 | $p50_3 | $p99_3 | $g3 | $b3 | $n3 |"
  echo "| 4 | Kafka ceiling (ProducerPerformance, acks=all) | $e4 | $p50_4 | $p99_4 | – | $b4 | per-record send→ack latency; broker CPU includes warm-up records |"
  echo
  echo "Ratio 2/1 (single-event gateway vs HTTP ceiling): $(ratio "$e2" "$e1") (target ≥ 0.7)"
  echo "Ratio 3/4 (batched gateway vs Kafka ceiling): $(ratio "$e3" "$e4") (target ≥ 0.7)"
} > "$result"
echo
cat "$result"
info ""
info "Raw outputs in $OUT_DIR (wrk-*.txt, producer-performance.txt, gateway-counters.txt)"

if [ "$PROFILE" = "1" ] && [ -f "$profile_file" ]; then
  info ""
  info "Where the gateway spent its CPU during runs 2 and 3 (JFR execution samples):"
  "$BENCH_DIR/hot-frames.sh" "$profile_file" 25 | tee "$OUT_DIR/hot-frames.txt"
fi
