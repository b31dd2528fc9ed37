#!/usr/bin/env bash
# ETL throughput benchmark: preloads N events into a fresh topic, then drains it with Trigger.AvailableNow
# on one SparkSession, timing the measurements query with our exactly-once writer against the same
# query into Spark's noop sink (with and without de-duplication, alternated, median of REPS runs),
# plus decode-only runs (EventCodec vs from_json) and the whole service (both queries).
#
# Usage: scripts/bench-etl.sh [EVENTS=2000000] [REPS=2]
# Environment: KAFKA_PORT/KAFKA_CONTROLLER_PORT/KAFKA_DATA_DIR (the broker of scripts/start-kafka.sh is
# used, and started and stopped here if it is not running), BENCH_MASTER (local[2]),
# BENCH_SHUFFLE_PARTITIONS (4), BENCH_FILES_PER_HOUR (1), BENCH_TOPIC_PARTITIONS (4), BENCH_HEAP (-Xmx4g),
# BENCH_STATE_STORE (rocksdb, the default of the service; or hdfs = Spark's in-memory state store).
# Results: printed and kept in data/bench/etl-<time>.txt (see docs/perf-etl.md).
source "$(dirname "$0")/lib/common.sh"

EVENTS="${1:-2000000}"
REPS="${2:-2}"
MASTER="${BENCH_MASTER:-local[2]}"
SHUFFLE="${BENCH_SHUFFLE_PARTITIONS:-4}"
FILES_PER_HOUR="${BENCH_FILES_PER_HOUR:-1}"
PARTITIONS="${BENCH_TOPIC_PARTITIONS:-4}"
BOOTSTRAP="${KAFKA_HOST:-127.0.0.1}:${KAFKA_PORT:-9092}"
STAMP="$(date +%Y%m%d-%H%M%S)"
WORK="$DATA_DIR/bench/etl-$STAMP"
RESULTS="$DATA_DIR/bench/etl-$STAMP.txt"
WARMUP_EVENTS=$(( EVENTS / 10 < 100000 ? 100000 : EVENTS / 10 ))

require_java
require_maven
info "Building etl-pipeline with its test classes (the benchmark driver lives there)..."
(cd "$ROOT" && mvn -B -q -Dstyle.color=never -DskipTests package -pl etl-pipeline -am) \
  || fail "building etl-pipeline failed; run 'mvn -B package -DskipTests -pl etl-pipeline -am' to see why."
# The driver uses common-model's test classes too (ReferenceConfig).
CP="$ROOT/etl-pipeline/target/test-classes:$ROOT/common-model/target/test-classes:$(module_classpath etl-pipeline)"

started_kafka=""
if ! running_pid kafka >/dev/null; then
  "$ROOT/scripts/start-kafka.sh"
  started_kafka="yes"
fi
cleanup() {
  rm -rf "$WORK"
  if [ -n "$started_kafka" ]; then "$ROOT/scripts/stop-kafka.sh"; fi
}
trap cleanup EXIT

mkdir -p "$WORK"
{
  echo "# ETL benchmark $STAMP: $EVENTS events, $REPS repetition(s)"
  echo "# machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB RAM, $(uname -sr)"
  echo "# java: $(java -version 2>&1 | head -1)"
  echo "# load before: $(uptime)"
} | tee "$RESULTS"

# shellcheck disable=SC2086
java -Xmx1g -cp "$CP" org.iotpipeline.etl.bench.BenchPreload "$BOOTSTRAP" "bench_warmup_$STAMP" "$WARMUP_EVENTS" "$PARTITIONS" | tee -a "$RESULTS"
# shellcheck disable=SC2086
java -Xmx1g -cp "$CP" org.iotpipeline.etl.bench.BenchPreload "$BOOTSTRAP" "bench_events_$STAMP" "$EVENTS" "$PARTITIONS" | tee -a "$RESULTS"

# shellcheck disable=SC2086
(cd "$WORK" && java ${BENCH_HEAP:--Xmx4g} $SPARK_JVM_OPTS -Dlogback.configurationFile="$ROOT/scripts/bench/etl/logback-bench.xml" \
  -Dbench.stateStore="${BENCH_STATE_STORE:-rocksdb}" \
  -cp "$CP" org.iotpipeline.etl.bench.EtlBenchmark "$BOOTSTRAP" "bench_events_$STAMP" "$EVENTS" \
  "bench_warmup_$STAMP" "$WORK" "$REPS" "$MASTER" "$SHUFFLE" "$FILES_PER_HOUR") | grep --line-buffered -vE '^\s*$' | tee -a "$RESULTS"
echo "# load after: $(uptime)" | tee -a "$RESULTS"
info "Results kept in $RESULTS"
