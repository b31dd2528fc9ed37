#!/usr/bin/env bash
# Benchmark: can the load generator saturate a gateway? Starts a trivial akka-http server that
# answers 202 to everything (org.iotpipeline.generator.bench.NoopServer), then alternates, in the
# same run and against the same server:
#   (a) wrk POSTing one event per request (scripts/bench/generator/post-event.lua), and
#   (b) the generator at max rate (backfill at speed max), batch size 1,
# with the same number of connections, (c) the generator with BENCH_BATCH events per POST, and
# (d) a bare akka-http client (scripts/bench/generator/BareAkkaClient.java: a fixed request through
# cachedHostConnectionPool, nothing else), the floor of what any akka-http client costs. Reports events/s of both, the ratio generator / wrk
# (goal >= 0.8), latency p50/p99 and the CPU seconds each side used.
#
# Environment (defaults in brackets):
#   BENCH_PORT [28090]          port of the NoopServer (127.0.0.1)
#   BENCH_DURATION [20]         seconds measured per run
#   BENCH_WARMUP [10]           seconds of warm-up: one wrk run before the first round warms the server;
#                               each generator run lasts WARMUP + DURATION and only the last DURATION count
#   BENCH_CONNECTIONS [32]      wrk -c and the generator's concurrency (= its pooled connections)
#   BENCH_WRK_THREADS [2]       wrk -t
#   BENCH_ROUNDS [3]            rounds of (wrk, generator, generator batched, bare akka-http client); medians are reported
#   BENCH_BATCH [10]            batch size of the extra generator run (c) in each round; 1 = skip it
#   BENCH_GENERATOR_ARGS []     extra generator arguments, e.g. "-Dakka.actor.default-dispatcher.fork-join-executor.parallelism-max=2"
#   GENERATOR_JAVA_OPTS [-Xmx512m -XX:+UseParallelGC]  JVM options of the generator
#   NOOP_JAVA_OPTS [-Xmx512m -XX:+UseParallelGC]       JVM options of the server
# Output: a table on stdout; raw outputs under $IOT_DATA_DIR/bench/generator (default data/).
source "$(dirname "$0")/lib/common.sh"

PORT="${BENCH_PORT:-28090}"
DURATION="${BENCH_DURATION:-20}"
WARMUP="${BENCH_WARMUP:-10}"
CONNECTIONS="${BENCH_CONNECTIONS:-32}"
WRK_THREADS="${BENCH_WRK_THREADS:-2}"
ROUNDS="${BENCH_ROUNDS:-3}"
BATCH="${BENCH_BATCH:-10}"
GENERATOR_JAVA_OPTS="${GENERATOR_JAVA_OPTS:--Xmx512m -XX:+UseParallelGC}"
NOOP_JAVA_OPTS="${NOOP_JAVA_OPTS:--Xmx512m -XX:+UseParallelGC}"
URL="http://127.0.0.1:$PORT/events"
OUT="$DATA_DIR/bench/generator"
LUA="$ROOT/scripts/bench/generator/post-event.lua"

command -v wrk >/dev/null 2>&1 || fail "wrk not found on PATH (Debian/Ubuntu: apt-get install wrk)."
require_java
ensure_built load-generator
port_in_use 127.0.0.1 "$PORT" && fail "port $PORT is in use; set BENCH_PORT to a free port."
mkdir -p "$OUT"
CLASSPATH_GEN="$(module_classpath load-generator)"

# CPU seconds (user + system) a process has used so far.
cpu_seconds() {
  awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"
}

# --- the server -------------------------------------------------------------------------------
SERVER_LOG="$OUT/noop-server.log"
# shellcheck disable=SC2086
(cd "$ROOT" && exec java $NOOP_JAVA_OPTS -cp "$CLASSPATH_GEN" org.iotpipeline.generator.bench.NoopServer "$PORT" > "$SERVER_LOG" 2>&1) &
SERVER_PID=$!
stop_server() {
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
}
trap stop_server EXIT
for _ in $(seq 1 300); do
  grep -q 'READY:' "$SERVER_LOG" 2>/dev/null && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$SERVER_LOG" >&2; fail "NoopServer exited during start-up"; }
  sleep 0.2
done
grep -q 'READY:' "$SERVER_LOG" || fail "NoopServer did not start within 60 s (see $SERVER_LOG)"

info "Machine: $(nproc) cores ($(lscpu | awk -F: '/Model name/ {gsub(/^ +/, "", $2); print $2}')), $(java -version 2>&1 | head -1)"
info "Load before: $(uptime | sed 's/.*load average/load average/')"
info "Warm-up: wrk for ${WARMUP}s"
wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -s "$LUA" "$URL" > "$OUT/wrk-warmup.txt"

# wrk prints latencies like 1.23ms / 456.78us / 1.02s; convert to ms.
to_ms() {
  awk '{ v = $1; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 }; printf "%.2f", v }'
}

# run_generator ROUND BATCH_SIZE: one generator run at max rate; prints a table row and sets
# RUN_RATE (steady-state events/s) and RUN_WHOLE (events/s over the whole run incl. JVM start).
run_generator() {
  local round="$1" batch="$2" name="generator-$1-b$2" server_before server_cpu gen_p50 gen_p99 gen_cpu
  server_before="$(cpu_seconds "$SERVER_PID")"
  # A backfill at speed max is "as fast as the server acknowledges".
  # shellcheck disable=SC2086
  (cd "$ROOT" && /usr/bin/time -f '%U %S' -o "$OUT/$name.time" \
    java $GENERATOR_JAVA_OPTS -cp "$CLASSPATH_GEN" org.iotpipeline.generator.GeneratorMain \
      --url "$URL" --devices 10000 --metrics 1 --backfill-start 30d --backfill-speed max \
      --batch-size "$batch" --concurrency "$CONNECTIONS" --duration "$((WARMUP + DURATION))s" \
      -Dload-generator.progress-interval=1s ${BENCH_GENERATOR_ARGS:-} > "$OUT/$name.txt" 2> "$OUT/$name.log") \
    || fail "the generator failed (exit $?); see $OUT/$name.txt and .log"
  server_cpu="$(awk -v a="$server_before" -v b="$(cpu_seconds "$SERVER_PID")" 'BEGIN { printf "%.1f", b - a }')"
  grep -q 'adds up' "$OUT/$name.txt" || fail "the generator's counts did not add up; see $OUT/$name.txt"
  # Steady state: acknowledged events between the first progress line at or after WARMUP s and the last one.
  RUN_RATE="$(awk -v warmup="$WARMUP" '
      /^progress/ { t = $2; sub(/s:$/, "", t); a = $0; sub(/.*acknowledged /, "", a); sub(/,? rejected.*/, "", a); gsub(/,/, "", a)
                    if (t + 0 >= warmup && !started) { started = 1; t0 = t + 0; a0 = a + 0 } ; t1 = t + 0; a1 = a + 0 }
      END { if (t1 > t0) printf "%.0f", (a1 - a0) / (t1 - t0); else print 0 }' "$OUT/$name.txt")"
  RUN_WHOLE="$(awk '/throughput/ { v = $2; gsub(/,/, "", v); print v }' "$OUT/$name.txt")"
  gen_p50="$(sed -n 's/.*latency p50 \([0-9.]*\) ms, p99.*/\1/p' "$OUT/$name.txt")"
  gen_p99="$(sed -n 's/.*, p99 \([0-9.]*\) ms, max.*/\1/p' "$OUT/$name.txt")"
  gen_cpu="$(awk '{ printf "%.1f", $1 + $2 }' "$OUT/$name.time")"
  printf '%-6s %-14s %12s %9s %9s %10s %10s   (whole run incl. JVM start: %s events/s)\n' \
    "$round" "generator b=$batch" "$RUN_RATE" "$gen_p50" "$gen_p99" "$gen_cpu" "$server_cpu" "$RUN_WHOLE"
}

declare -a WRK_RATES GEN_RATES GEN_WHOLE RATIOS BATCH_RATES BARE_RATES
printf '\n%-6s %-14s %12s %9s %9s %10s %10s\n' round client events/s p50_ms p99_ms client_cpu server_cpu
for round in $(seq 1 "$ROUNDS"); do
  # (a) wrk
  server_before="$(cpu_seconds "$SERVER_PID")"
  /usr/bin/time -f '%U %S' -o "$OUT/wrk-$round.time" \
    wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$LUA" "$URL" > "$OUT/wrk-$round.txt"
  server_cpu="$(awk -v a="$server_before" -v b="$(cpu_seconds "$SERVER_PID")" 'BEGIN { printf "%.1f", b - a }')"
  wrk_rate="$(awk '/Requests\/sec/ { printf "%.0f", $2 }' "$OUT/wrk-$round.txt")"
  wrk_p50="$(awk '$1 == "50%" { print $2 }' "$OUT/wrk-$round.txt" | to_ms)"
  wrk_p99="$(awk '$1 == "99%" { print $2 }' "$OUT/wrk-$round.txt" | to_ms)"
  wrk_cpu="$(awk '{ printf "%.1f", $1 + $2 }' "$OUT/wrk-$round.time")"
  printf '%-6s %-14s %12s %9s %9s %10s %10s\n' "$round" wrk "$wrk_rate" "$wrk_p50" "$wrk_p99" "$wrk_cpu" "$server_cpu"

  # (b) the generator at max rate, batch size 1 (the comparison), then (c) with BATCH events per POST.
  run_generator "$round" 1
  gen_rate="$RUN_RATE"; gen_whole="$RUN_WHOLE"
  if [ "$BATCH" -gt 1 ]; then
    run_generator "$round" "$BATCH"
    BATCH_RATES+=("$RUN_RATE")
  fi
  # (d) the bare akka-http client, with the generator's JVM options and dispatcher setting.
  server_before="$(cpu_seconds "$SERVER_PID")"
  # shellcheck disable=SC2086
  (cd "$ROOT" && /usr/bin/time -f '%U %S' -o "$OUT/bare-$round.time" \
    java $GENERATOR_JAVA_OPTS -Dakka.actor.default-dispatcher.fork-join-executor.parallelism-min=2 -cp "$CLASSPATH_GEN" \
      "$ROOT/scripts/bench/generator/BareAkkaClient.java" "$URL" "$CONNECTIONS" "$((WARMUP + DURATION))" "$WARMUP" \
      > "$OUT/bare-$round.txt" 2>&1) || fail "the bare akka-http client failed; see $OUT/bare-$round.txt"
  server_cpu="$(awk -v a="$server_before" -v b="$(cpu_seconds "$SERVER_PID")" 'BEGIN { printf "%.1f", b - a }')"
  bare_rate="$(sed -n 's/.*steady state \([0-9]*\) requests.*/\1/p' "$OUT/bare-$round.txt")"
  printf '%-6s %-14s %12s %9s %9s %10s %10s\n' "$round" "bare akka-http" "$bare_rate" - - \
    "$(awk '{ printf "%.1f", $1 + $2 }' "$OUT/bare-$round.time")" "$server_cpu"
  BARE_RATES+=("$bare_rate")

  WRK_RATES+=("$wrk_rate"); GEN_RATES+=("$gen_rate"); GEN_WHOLE+=("$gen_whole")
  RATIOS+=("$(awk -v g="$gen_rate" -v w="$wrk_rate" 'BEGIN { printf "%.2f", g / w }')")
done

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
info ""
info "Median over $ROUNDS rounds: wrk $(median "${WRK_RATES[@]}") events/s, generator $(median "${GEN_RATES[@]}") events/s (steady state; whole run $(median "${GEN_WHOLE[@]}"))"
[ "$BATCH" -gt 1 ] && info "Generator with $BATCH events per POST: median $(median "${BATCH_RATES[@]}") events/s ($(awk -v g="$(median "${BATCH_RATES[@]}")" -v w="$(median "${WRK_RATES[@]}")" 'BEGIN { printf "%.2f", g / w }') x wrk's single-event rate)"
info "Bare akka-http client (floor of any akka-http client): median $(median "${BARE_RATES[@]}") requests/s; generator / bare = $(awk -v g="$(median "${GEN_RATES[@]}")" -v b="$(median "${BARE_RATES[@]}")" 'BEGIN { printf "%.2f", g / b }')"
info "Ratio generator / wrk per round: ${RATIOS[*]}; median $(median "${RATIOS[@]}") (goal >= 0.8)"
info "Load after: $(uptime | sed 's/.*load average/load average/')"
info "Raw outputs: $OUT"
