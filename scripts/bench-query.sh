#!/usr/bin/env bash
# Query benchmark: Spark through the query server's HTTP API against DuckDB over the same Parquet
# files, in one run. Generates ~10 M rollup rows (30 days x 300 devices x 4 metrics at 5-minute
# windows) in the warehouse layout once (cached in data/bench/query), builds the hourly and daily
# tiers with the real compactor (scripts/compact.sh), starts a query server on them
# (port 48082 unless BENCH_QUERY_PORT is set), runs the fixed query set, prints p50/p95 per query
# and the ratio, and writes the table to data/bench/query/results-<time>.md.
#
# Environment (all optional):
#   BENCH_QUERY_DIR      data directory                       (default data/bench/query)
#   BENCH_QUERY_PORT     port of the benchmark's query server (default 48082)
#   BENCH_DAYS BENCH_DEVICES BENCH_METRICS   data size        (default 30, 300, 4)
#   BENCH_ROW_GROUP_ROWS rows per Parquet row group           (default 10000)
#   BENCH_WARMUP BENCH_RUNS                                   (default 5, 30)
#   QUERY_SERVER_BENCH_JAVA_OPTS extra JVM options of the server, e.g. Spark settings to try:
#     -Dquery-server.spark.spark.sql.shuffle.partitions=2
source "$(dirname "$0")/lib/common.sh"

bench_dir="${BENCH_QUERY_DIR:-$ROOT/data/bench/query}"
port="${BENCH_QUERY_PORT:-48082}"
days="${BENCH_DAYS:-30}"
devices="${BENCH_DEVICES:-300}"
metrics="${BENCH_METRICS:-4}"
row_group_rows="${BENCH_ROW_GROUP_ROWS:-10000}"
first_day="2026-11-01"
warmup="${BENCH_WARMUP:-5}"
runs="${BENCH_RUNS:-30}"

require_java
require_maven
ensure_built query-server
info "Compiling the benchmark classes (test sources of query-server)..."
(cd "$ROOT" && mvn -B -q -o -Dstyle.color=never -pl query-server -am test-compile \
    dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt) \
  || (cd "$ROOT" && mvn -B -q -Dstyle.color=never -pl query-server -am test-compile \
    dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt) \
  || fail "building the benchmark failed; run 'mvn -pl query-server -am test-compile' to see why"
bench_cp="$ROOT/query-server/target/test-classes:$ROOT/query-server/target/classes:$(cat "$ROOT/query-server/target/bench-classpath.txt")"

# shellcheck disable=SC2086
java -Xmx2g $SPARK_JVM_OPTS -cp "$bench_cp" org.iotpipeline.query.bench.BenchDataGenerator \
  "$bench_dir" "$first_day" "$days" "$devices" "$metrics" "$row_group_rows"

export STAGING_PATH="$bench_dir/staging/measurements"
export WAREHOUSE_PATH="$bench_dir/warehouse/measurements"
export LIVE_PATH="$bench_dir/live"
# The tiers (measurements_1h, measurements_1d) from the generated hours, as the ETL's compaction
# builds them; a second run finds them up to date and does nothing.
COMPACTION_GRACE=10m "$ROOT/scripts/compact.sh" --horizon "$(date -u -d "$first_day + $days days" +%Y-%m-%dT%H:%M:%SZ)" \
  | tail -1 || fail "building the tiers failed"
export QUERY_SERVER_PORT="$port"
trap 'stop_service query-server-bench 60' EXIT
# shellcheck disable=SC2086
start_service query-server-bench query-server org.iotpipeline.query.QueryServerMain 'READY: query-server on' \
  127.0.0.1 "$port" 180 -Xmx1g $SPARK_JVM_OPTS

result="$bench_dir/results-$(date -u +%Y%m%dT%H%M%SZ).md"
{
  echo "# Query benchmark $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB RAM, $(uname -sr); load before: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "Data: $(find "$WAREHOUSE_PATH" -name '*.parquet' | wc -l) files, $(du -sh "$WAREHOUSE_PATH" | cut -f1), days=$days devices=$devices metrics=$metrics row-group-rows=$row_group_rows."
  echo "Server options: ${QUERY_SERVER_BENCH_JAVA_OPTS:-(defaults)}"
  echo
} > "$result.head"
java -Xmx1g -cp "$bench_cp" org.iotpipeline.query.bench.QueryBenchmark "http://127.0.0.1:$port" \
  "$WAREHOUSE_PATH" "$first_day" "$days" "$warmup" "$runs" "$result.body"
# The round trip once more with wrk (HTTP/1.1, one connection), against the no-op route as the
# baseline: the JDK client above adds ~2 ms per request of its own (its GET /health vs wrk's).
if command -v wrk > /dev/null; then
  lua="$(mktemp)"
  printf 'wrk.method = "POST"\nwrk.body = "SELECT 1"\nwrk.headers["Content-Type"] = "text/plain"\n' > "$lua"
  wrk_p50() { wrk -t1 -c1 -d15s --latency "$@" | awk '$1 == "50%" {print $2}'; }
  select_p50="$(wrk_p50 -s "$lua" "http://127.0.0.1:$port/query?rows=arrays")"
  health_p50="$(wrk_p50 "http://127.0.0.1:$port/health")"
  rm -f "$lua"
  line="\`SELECT 1\` with wrk (one connection, 15 s): p50 $select_p50; no-op route \`GET /health\` the same way: p50 $health_p50."
  echo "$line"
  printf '\n%s\n' "$line" >> "$result.body"
else
  info "wrk not installed (apt-get install wrk): SELECT 1 measured with the Java client only"
fi
cat "$result.head" "$result.body" > "$result" && rm -f "$result.head" "$result.body"
echo "Load after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$result"
info "Results written to $result"
