#!/usr/bin/env bash
# Benchmarks the Event Gateway against its two ceilings, in one run, on one broker, on this machine:
#   1. HTTP ceiling: wrk against POST /bench/noop of the same gateway process (reads the body,
#      answers 202, no Kafka)
#   2. gateway, single-event POST /events
#   3. gateway, POST /events with batches of BATCH (100) events
#   4. Kafka ceiling: Kafka's own ProducerPerformance (kafka-tools), records of the same size and
#      shape, keyed like the gateway's, acks=all, idempotent, same linger/batch/compression
#   5. our load generator instead of wrk for run 2 (single-event POSTs, as many connections), to
#      show whether the generator can drive the gateway as hard as wrk (GENERATOR=0 skips it)
# in ROUNDS round-robin rounds, and prints the medians of events/s, p50/p99 latency, CPU per event
# and the ratios 2/1, 3/4 and 5/2 as markdown.
#
# Environment (defaults): CONNECTIONS (64), THREADS (2), WARMUP (15 s per path), ROUNDS (3),
# DURATION (20 s per run and round), BATCH (100), KAFKA_RECORDS (10000000 per round; fewer made the ceiling swing ±25 % between rounds),
# PARTITIONS (4), GATEWAY_PORT (18080), KAFKA_PORT (19092), KAFKA_CONTROLLER_PORT (19093),
# IOT_DATA_DIR (data/bench-gateway; broker data, logs, results),
# LINGER_MS (the producer's linger.ms for gateway and ceiling alike; default: reference.conf's),
# PROFILE=1 (record a JFR profile of the gateway during round 1 of runs 2 and 3 and summarise it),
# GATEWAY_BENCH_JAVA_OPTS (extra JVM options for the gateway), GENERATOR (1; 0 skips run 5),
# GENERATOR_WARMUP (8 s of each generator run not counted: JVM start and JIT).
# Starts its own broker (unless one runs under IOT_DATA_DIR) and gateway on the ports above and
# stops what it started at the end.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
export IOT_DATA_DIR="${IOT_DATA_DIR:-$ROOT/data/bench-gateway}"
source "$ROOT/scripts/lib/common.sh"

CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
WARMUP="${WARMUP:-15}"
DURATION="${DURATION:-20}"
BATCH="${BATCH:-100}"
KAFKA_RECORDS="${KAFKA_RECORDS:-10000000}"
PARTITIONS="${PARTITIONS:-4}"
PROFILE="${PROFILE:-0}"
ROUNDS="${ROUNDS:-3}"
GENERATOR="${GENERATOR:-1}"
GENERATOR_WARMUP="${GENERATOR_WARMUP:-8}"
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
# The producer settings of the gateway's reference.conf, for the Kafka ceiling. LINGER_MS, if set,
# overrides linger.ms for both the gateway and the ceiling.
LINGER_MS="${LINGER_MS:-}"
default_linger="$(awk '$1 == "linger.ms" {print $3}' "$ROOT/event-gateway/src/main/resources/reference.conf")"
PRODUCER_PROPS=(acks=all enable.idempotence=true "linger.ms=${LINGER_MS:-$default_linger}" batch.size=65536 compression.type=lz4)

command -v wrk >/dev/null || fail "wrk not found; install it with 'apt-get install wrk'"
mkdir -p "$OUT_DIR"

started_kafka=""
cleanup() {
  "$ROOT/scripts/stop-gateway.sh" >/dev/null 2>&1 || true
  if [ -n "$started_kafka" ]; then "$ROOT/scripts/stop-kafka.sh" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

# --- build: the gateway, and the test classpath that holds kafka-tools (ProducerPerformance) ---
ensure_built event-gateway load-generator
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
export GATEWAY_JAVA_OPTS="${GATEWAY_BENCH_JAVA_OPTS:-}${LINGER_MS:+ -Devent-gateway.kafka.producer.linger.ms=$LINGER_MS}"
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

# record ROUND RUN EVENTS P50 P99 GATEWAY_CPU BROKER_CPU NOTE: one measurement, for the summary.
record() {
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >> "$MEASUREMENTS"
}

# run_wrk ROUND RUN NAME PATH BATCH: a short ramp-up, then the measured run.
run_wrk() {
  local round="$1" run="$2" name="$3" path="$4" batch="$5" log="$OUT_DIR/wrk-$3-round$1.txt"
  info "[round $round: $name] ${DURATION}s with $CONNECTIONS connections: POST $path, $batch event(s) per request"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d3s --timeout 15s -s "$BENCH_DIR/post-events.lua" "$URL" -- "$batch" "$path" >/dev/null
  local gateway_before broker_before gateway_after broker_after
  gateway_before="$(cpu_ms "$gateway_pid")" broker_before="$(cpu_ms "$kafka_pid")"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 15s --latency -s "$BENCH_DIR/post-events.lua" "$URL" -- "$batch" "$path" > "$log"
  gateway_after="$(cpu_ms "$gateway_pid")" broker_after="$(cpu_ms "$kafka_pid")"
  local rps non2xx errors events p50 p99 gateway_cpu broker_cpu note
  rps="$(awk '/^Requests\/sec:/ {print $2}' "$log")"
  non2xx="$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$log")"
  errors="$(awk '/Socket errors:/ {print}' "$log")"
  events="$(awk -v r="$rps" -v b="$batch" 'BEGIN {printf "%.0f", r * b}')"
  p50="$(to_ms "$(awk '$1 == "50%" {print $2}' "$log")")"
  p99="$(to_ms "$(awk '$1 == "99%" {print $2}' "$log")")"
  gateway_cpu="$(per_event_us "$gateway_before" "$gateway_after" "$events" "$DURATION")"
  broker_cpu="$(per_event_us "$broker_before" "$broker_after" "$events" "$DURATION")"
  note="${rps} req/s"
  [ -n "$non2xx" ] && note="$note; NON-2xx: $non2xx"
  [ -n "$errors" ] && note="$note; ${errors}"
  record "$round" "$run" "$events" "$p50" "$p99" "$gateway_cpu" "$broker_cpu" "$note"
  info "[round $round: $name] $events events/s, p50 $p50 ms, p99 $p99 ms, CPU per event: gateway $gateway_cpu us, broker $broker_cpu us ($note)"
}

# run_kafka_ceiling ROUND: ProducerPerformance on the same broker and topic, records of the same
# shape and size as the gateway's, keyed like them (10000 devices), with the gateway's producer settings.
run_kafka_ceiling() {
  local round="$1" log="$OUT_DIR/producer-performance-round$1.txt"
  info "[round $round: kafka-ceiling] ProducerPerformance: $KAFKA_RECORDS records of ~$record_size bytes, ${PRODUCER_PROPS[*]}"
  local broker_before summary events p50 p99 broker_cpu
  broker_before="$(cpu_ms "$kafka_pid")"
  tools org.apache.kafka.tools.ProducerPerformance --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --topic "$KAFKA_TOPIC" \
    --num-records "$KAFKA_RECORDS" --warmup-records "$((KAFKA_RECORDS / 5))" --throughput -1 \
    --payload-file "$payloads" --key-distribution random --record-key-range 10000 \
    --command-property "${PRODUCER_PROPS[@]}" > "$log"
  # The last summary line is the steady state (after the warm-up records).
  summary="$(grep 'records/sec' "$log" | tail -1)"
  events="$(sed -E 's/.* ([0-9.]+) records\/sec.*/\1/' <<< "$summary" | awk '{printf "%.0f", $1}')"
  p50="$(sed -E 's/.* ([0-9]+) ms 50th.*/\1/' <<< "$summary")"
  p99="$(sed -E 's/.* ([0-9]+) ms 99th.*/\1/' <<< "$summary")"
  broker_cpu="$(awk -v a="$broker_before" -v b="$(cpu_ms "$kafka_pid")" -v n="$KAFKA_RECORDS" 'BEGIN {printf "%.1f", (b - a) * 1000 / n}')"
  record "$round" 4 "$events" "$p50" "$p99" "–" "$broker_cpu" "per-record send→ack latency"
  info "[round $round: kafka-ceiling] $summary; broker CPU per event $broker_cpu us"
}

# run_generator ROUND: run 5, the load generator at max rate (a backfill at speed max sends as fast
# as the gateway acknowledges), one event per POST, CONNECTIONS concurrent requests. Counts the
# acknowledged events between its progress lines at GENERATOR_WARMUP s and at the end.
run_generator() {
  local round="$1" log="$OUT_DIR/generator-round$1.txt"
  info "[round $round: generator-single] ${GENERATOR_WARMUP}s warm-up + ${DURATION}s with $CONNECTIONS concurrent requests: POST /events, 1 event per request"
  local gateway_before broker_before gateway_after broker_after start_ms end_ms
  gateway_before="$(cpu_ms "$gateway_pid")" broker_before="$(cpu_ms "$kafka_pid")"
  (cd "$ROOT" && java -Xmx512m -XX:+UseParallelGC -cp "$(module_classpath load-generator)" org.iotpipeline.generator.GeneratorMain \
      --url "$URL/events" --devices 10000 --metrics 1 --backfill-start 2d --backfill-speed max \
      --batch-size 1 --concurrency "$CONNECTIONS" --duration "$((GENERATOR_WARMUP + DURATION))s" \
      -Dload-generator.progress-interval=1s > "$log" 2> "${log%.txt}.log") \
    || fail "the generator failed; see $log and ${log%.txt}.log"
  gateway_after="$(cpu_ms "$gateway_pid")" broker_after="$(cpu_ms "$kafka_pid")"
  grep -q 'adds up' "$log" || fail "the generator's counts did not add up; see $log"
  local events seconds p50 p99 gateway_cpu broker_cpu rejected failed
  # Steady state: acknowledged events between the first progress line at or after the warm-up and the last one.
  read -r events seconds < <(awk -v warmup="$GENERATOR_WARMUP" '
      /^progress/ { t = $2; sub(/s:$/, "", t); a = $0; sub(/.*acknowledged /, "", a); sub(/,? rejected.*/, "", a); gsub(/,/, "", a)
                    if (t + 0 >= warmup && !started) { started = 1; t0 = t + 0; a0 = a + 0 } ; t1 = t + 0; a1 = a + 0 }
      END { if (t1 > t0) printf "%.0f %d\n", (a1 - a0) / (t1 - t0), t1 - t0; else print "0 0" }' "$log")
  p50="$(sed -n 's/.*latency p50 \([0-9.]*\) ms, p99.*/\1/p' "$log" | tail -1)"
  p99="$(sed -n 's/.*, p99 \([0-9.]*\) ms, max.*/\1/p' "$log" | tail -1)"
  rejected="$(sed -n 's/^ *generated .* + rejected \([0-9,]*\) + failed \([0-9,]*\).*/\1/p' "$log")"
  failed="$(sed -n 's/^ *generated .* + rejected [0-9,]* + failed \([0-9,]*\).*/\1/p' "$log")"
  # CPU is taken over the whole generator run, warm-up included, so it is divided by all its events.
  local total
  total="$(awk '/throughput/ { v = $2; gsub(/,/, "", v); print v }' "$log")"
  gateway_cpu="$(per_event_us "$gateway_before" "$gateway_after" "$total" "$((GENERATOR_WARMUP + DURATION))")"
  broker_cpu="$(per_event_us "$broker_before" "$broker_after" "$total" "$((GENERATOR_WARMUP + DURATION))")"
  record "$round" 5 "$events" "$p50" "$p99" "$gateway_cpu" "$broker_cpu" "steady state over ${seconds}s; whole run $total events/s; rejected ${rejected:-?}, failed ${failed:-?}; latency over the whole run"
  info "[round $round: generator-single] $events events/s (whole run $total), p50 $p50 ms, p99 $p99 ms, CPU per event: gateway $gateway_cpu us, broker $broker_cpu us"
}

payloads="$OUT_DIR/payloads.ndjson"
"$BENCH_DIR/payloads.sh" 10000 > "$payloads"
record_size="$(awk '{s += length($0)} END {printf "%.0f", s / NR}' "$payloads")"
MEASUREMENTS="$OUT_DIR/measurements.tsv"
: > "$MEASUREMENTS"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"

warm_up /bench/noop 1
warm_up /events 1
warm_up /events "$BATCH"

# The four runs go round-robin, ROUNDS times: the machine may be shared, and runs measured close
# together see the same background load, so each round's ratios compare like with like.
for round in $(seq 1 "$ROUNDS"); do
  run_wrk "$round" 1 http-ceiling /bench/noop 1
  if [ "$PROFILE" = "1" ] && [ "$round" = 1 ]; then
    jcmd "$gateway_pid" JFR.start name=bench settings=profile filename="$profile_file" >/dev/null
  fi
  run_wrk "$round" 2 gateway-single /events 1
  run_wrk "$round" 3 gateway-batch /events "$BATCH"
  if [ "$PROFILE" = "1" ] && [ "$round" = 1 ]; then
    jcmd "$gateway_pid" JFR.stop name=bench >/dev/null
  fi
  run_kafka_ceiling "$round"
  if [ "$GENERATOR" = "1" ]; then run_generator "$round"; fi
done
curl -s "$URL/metrics" | grep -E '^gateway_events_(accepted|unavailable|rejected)' > "$OUT_DIR/gateway-counters.txt" || true
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

# --- summary: medians over the rounds ---
median() { sort -g | awk '{v[NR] = $1} END {if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
# column_median RUN COLUMN FORMAT: the median of one column of one run's rounds, or – if not numeric.
column_median() {
  local value
  value="$(awk -F'\t' -v run="$1" -v col="$2" '$2 == run && $col ~ /^[0-9.]+$/ {print $col}' "$MEASUREMENTS" | median)"
  if [ "$value" = "-" ]; then echo "–"; else awk -v v="$value" -v f="$3" 'BEGIN {printf f, v}'; fi
}
round_ratios() {
  awk -F'\t' -v a="$1" -v b="$2" '$2 == a {x[$1] = $3} $2 == b {y[$1] = $3}
    END {for (r in x) if (y[r] > 0) printf "%.2f\n", x[r] / y[r]}' "$MEASUREMENTS" | sort -g
}
row() {
  echo "| $1 | $2 | $(column_median "$1" 3 %.0f) | $(column_median "$1" 4 %.2f) | $(column_median "$1" 5 %.2f) | $(column_median "$1" 6 %.1f) | $(column_median "$1" 7 %.1f) |"
}
result="$OUT_DIR/results.md"
{
  echo "Run $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)); load average before: $load_before, after: $load_after"
  echo "wrk -t$THREADS -c$CONNECTIONS; ${WARMUP}s warm-up per path; $ROUNDS rounds of 3s ramp-up + ${DURATION}s per run; $PARTITIONS partitions; records ~$record_size bytes; ${PRODUCER_PROPS[*]}"
  echo
  echo "Medians over the rounds:"
  echo
  echo "| # | run | events/s | p50 ms | p99 ms | gateway CPU µs/event | broker CPU µs/event |"
  echo "|---|---|---:|---:|---:|---:|---:|"
  row 1 "HTTP ceiling (POST /bench/noop, 1 event per request)"
  row 2 "gateway, 1 event per POST /events"
  row 3 "gateway, $BATCH events per POST /events"
  row 4 "Kafka ceiling (ProducerPerformance; latency send→ack per record)"
  if [ "$GENERATOR" = "1" ]; then row 5 "load generator instead of wrk, 1 event per POST /events"; fi
  echo
  echo "Ratio 2/1 (single-event gateway / HTTP ceiling): $(round_ratios 2 1 | median) (per round: $(round_ratios 2 1 | paste -sd' ')); target ≥ 0.7"
  echo "Ratio 3/4 (batched gateway / Kafka ceiling): $(round_ratios 3 4 | median) (per round: $(round_ratios 3 4 | paste -sd' ')); target ≥ 0.7"
  if [ "$GENERATOR" = "1" ]; then
    echo "Ratio 5/2 (load generator / wrk, both driving the gateway with single events): $(round_ratios 5 2 | median) (per round: $(round_ratios 5 2 | paste -sd' ')); issue 4 asks ≥ 0.8 (of wrk against a trivial server)"
  fi
  echo
  echo "Every measurement (round, run, events/s, p50 ms, p99 ms, gateway µs/event, broker µs/event, notes):"
  echo
  echo '```'
  cat "$MEASUREMENTS"
  echo '```'
} > "$result"
echo
cat "$result"
info ""
info "Raw outputs in $OUT_DIR (wrk-*.txt, producer-performance-*.txt, measurements.tsv, gateway-counters.txt)"

if [ "$PROFILE" = "1" ] && [ -f "$profile_file" ]; then
  info ""
  info "Where the gateway spent its CPU during round 1 of runs 2 and 3 (JFR execution samples):"
  "$BENCH_DIR/hot-frames.sh" "$profile_file" 25 | tee "$OUT_DIR/hot-frames.txt"
fi
