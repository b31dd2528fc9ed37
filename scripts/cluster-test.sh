#!/usr/bin/env bash
# Failover drills on the local multi-process cluster (scripts/cluster/lib.sh: HDFS, three KRaft
# brokers, a Spark standalone master with two workers, gateway, ETL driver and query server, each
# its own process). Every drill runs the load generator with a ledger and 5 % re-sent duplicates,
# and ends with table measurements compared with the ledger: every acknowledged (device, metric,
# window) exactly once, and no poll on the way ever saw a window with more events than the ledger.
#   1. backfill of 3 hours into the cluster                         -> ledger exact
#   2. steady load; kill -9 of the broker leading the most partitions -> gateway keeps answering
#      (503 while the cluster elects), the generator retries; ledger exact; the broker restarts
#   3. steady load; kill -9 of a Spark worker and its executors      -> the ETL goes on with the
#      other worker; ledger exact; the worker restarts
#   4. steady load; kill -9 of the ETL driver, start it again        -> ledger exact, nothing doubled
#   then: compaction published the closed hours on HDFS (manifests), and every ledger is still exact.
# Prints per drill the time to recover and the counts (acknowledged, 503s, retries).
# Runs on a fresh data directory (kept on failure) and the cluster's fixed ports (CLUSTER_* in
# scripts/cluster/lib.sh move them). Exit code 0 = every drill passed.
# CLUSTER_TEST_KEEP=1 keeps the data directory and logs after a pass too.
# Two ways to prove the check can fail (each must end in exit 1):
#   CLUSTER_TEST_BREAK=drop-ledger-event   drill 1 compares the table with a ledger one event short
#   CLUSTER_TEST_BREAK=copy-staging-file   drill 1 copies one committed staging file on HDFS after its
#                                          ledger matched, so a window is stored twice
set -Eeuo pipefail
trap 'echo "ERROR: scripts/cluster-test.sh line $LINENO failed: $BASH_COMMAND" >&2' ERR
# Ctrl-C or a SIGTERM must still stop the cluster: turn them into an exit, which runs cleanup.
trap 'exit 130' INT
trap 'exit 143' TERM
started_at=$(date +%s)
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/iot-cluster-test.XXXXXX")"
export CLUSTER_DATA_DIR="$work/cluster"
# shellcheck source=cluster/lib.sh
source "$here/cluster/lib.sh"
require_java

# Test pace: 1-minute windows, short lateness, quick heartbeats; compaction on, with a short cadence.
export ETL_WINDOW=1m ETL_WATERMARK_LATENESS=20s ETL_TRIGGER_INTERVAL=2s ETL_DEAD_LETTERS_TRIGGER_INTERVAL=2s ETL_IDLE_TIMEOUT=5s
export COMPACTION_ENABLED=true COMPACTION_INTERVAL=20s COMPACTION_GRACE=30s
export ETL_DRIVER_JAVA_OPTS="-Detl-pipeline.compaction.initial-delay=10s -Detl-pipeline.compaction.watermark-lag=0s"
# The generator retries a 503 or a lost connection up to this many times (default 6).
export GENERATOR_RETRY_MAX_ATTEMPTS="${GENERATOR_RETRY_MAX_ATTEMPTS:-10}"
LOAD_RATE="${CLUSTER_TEST_RATE:-400}"         # events/s of the steady load in drills 2-4
LOAD_SECONDS="${CLUSTER_TEST_LOAD_SECONDS:-60}"
VERIFY_WAIT="${CLUSTER_TEST_VERIFY_WAIT:-10m}"

ok=0
sampler=""
# kill_tree PID: SIGTERM to PID and everything below it. A background drill step is a subshell whose
# child is the generator's JVM; killing only the subshell would orphan the JVM.
kill_tree() {
  local child
  for child in $(pgrep -P "$1" || true); do kill_tree "$child"; done
  kill "$1" 2>/dev/null || true
}
cleanup() {
  local status=$? left
  trap - ERR INT TERM
  [ -n "$sampler" ] && kill_tree "$sampler"
  for pid in $(jobs -p); do kill_tree "$pid"; done
  stop_cluster > "$work/stop.log" 2>&1 || cat "$work/stop.log" >&2
  grep WARNING "$work/stop.log" >&2 || true
  left="$(cluster_pids | tr '\n' ' ')"
  if [ -n "${left// /}" ]; then
    echo "ERROR: cluster processes still running after the stop: $left" >&2
    [ "$status" = 0 ] && status=1
    ok=0
  fi
  if [ "$ok" = 1 ] && [ "${CLUSTER_TEST_KEEP:-0}" != 1 ]; then
    rm -rf "$work"
  elif [ "$ok" = 1 ]; then
    echo "CLUSTER_TEST_KEEP=1: logs and data kept in $work"
  else
    echo "CLUSTER TEST FAILED (exit $status); logs and data kept in $work (logs: $LOG_DIR)" >&2
    for log in "$LOG_DIR"/*.log; do
      [ -f "$log" ] || continue
      printf '\n----- last lines of %s -----\n' "$log" >&2
      tail -n 15 "$log" | cut -c1-400 >&2
    done
  fi
  exit "$status"
}
trap cleanup EXIT

step() { printf '\n==> cluster-test [%s s]: %s\n' "$(( $(date +%s) - started_at ))" "$*"; }
gateway_url="http://127.0.0.1:$GATEWAY_PORT/events"
query_url="http://127.0.0.1:$QUERY_SERVER_PORT/query"
status_url="http://127.0.0.1:$ETL_ADMIN_PORT/status"
results="$work/results.txt"
: > "$results"

# --- helpers ---------------------------------------------------------------------------------------
gateway_metric() { # gateway_metric REGEX: the sum of the gateway's meters matching REGEX (0 if none)
  local metrics
  metrics="$(curl -sf "http://127.0.0.1:$GATEWAY_PORT/metrics")" || return 1
  printf '%s\n' "$metrics" | { grep -E "$1" || true; } | awk '{s += $NF} END {printf "%d", s}'
}
accepted_total() { gateway_metric '^gateway_events_accepted_total'; }
responses_503() { gateway_metric '^gateway_http_requests_seconds_count\{method="POST",path="/events",status="503"\}'; }
etl_cores() { # cores the master has granted the ETL application now ("?" if it cannot tell)
  master_json 2>/dev/null | python3 -c 'import json,sys; print(sum(a["cores"] for a in json.load(sys.stdin)["activeapps"] if a["name"] == "iot-etl"))' 2>/dev/null \
    || echo "?"
}
etl_batch_id() { # the measurements query's last completed micro-batch (-1 before the first; empty if down)
  curl -sf "$status_url" 2>/dev/null | sed -n 's/.*"name":"measurements","active":[a-z]*,"lastBatchId":\(-\{0,1\}[0-9]*\).*/\1/p'
}
# await CONDITION TIMEOUT_S WHAT: polls a shell condition every 0.2 s until it holds.
await() {
  local deadline=$(( $(date +%s) + $2 ))
  until eval "$1"; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "$3 did not happen within $2 s"
    sleep 0.2
  done
}
generate() { # generate OUT LEDGER FIRST_DEVICE SEED ARGS...: the generator, to the cluster's gateway
  local out="$1" ledger="$2" first="$3" seed="$4"
  shift 4
  "$ROOT/scripts/start-generator.sh" --url "$gateway_url" --batch-size 50 --concurrency 4 --seed "$seed" \
    --duplicate-fraction 0.05 -Dload-generator.first-device-id="$first" -Dload-generator.ledger-window=1m \
    -Dload-generator.progress-interval=10s --ledger "$ledger" "$@" > "$out" 2>&1
}
steady_load() { # steady_load OUT LEDGER FIRST_DEVICE SEED: LOAD_RATE events/s for LOAD_SECONDS, live
  generate "$1" "$2" "$3" "$4" --devices 100 --metrics 5 --interval 1s --rate "$LOAD_RATE" --duration "${LOAD_SECONDS}s"
}
verify() { # verify LEDGER [ARGS]: the table must reach the ledger, and never exceed it meanwhile
  local ledger="$1"
  shift
  "$ROOT/scripts/verify-ledger.sh" --ledger "$ledger" --query-url "$query_url" --wait "$VERIFY_WAIT" --poll 3s \
    --never-above --require-duplicates "$@"
}
# load_counts NAME OUT 503_BEFORE: the generator's and the gateway's counts for one drill.
load_counts() {
  local name="$1" out="$2" before="$3" acked retries failed r503
  # The summary: "generated N = acknowledged A + rejected R + failed F" and "...; retries T; responses ..."
  acked="$(sed -n 's/^ *generated [0-9,]* = acknowledged \([0-9,]*\) .*/\1/p' "$out" | tail -1 | tr -d ,)"
  retries="$(sed -n 's/.*; retries \([0-9,]*\);.*/\1/p' "$out" | tail -1 | tr -d ,)"
  failed="$(sed -n 's/^ *generated .* + failed \([0-9,]*\).*/\1/p' "$out" | tail -1 | tr -d ,)"
  [ -n "$acked" ] && [ -n "$retries" ] && [ -n "$failed" ] || { cat "$out"; fail "$name: no summary from the generator (above)"; }
  r503=$(( $(responses_503) - before ))
  printf '%s: acknowledged %s events, %s responses 503, %s retries, %s failed\n' "$name" "$acked" "$r503" "$retries" "$failed" \
    | tee -a "$results"
  [ "${failed:-1}" = 0 ] || { cat "$out"; fail "$name: the generator gave up on ${failed:-?} events after its retries"; }
}
# wait_for_load OUT BEFORE: the generator is running and the gateway acknowledged 2,000 of its events.
wait_for_load() {
  await "[ \"\$(accepted_total)\" -ge $(( $2 + 2000 )) ]" 120 "steady load through the gateway (see $1)"
}

# --- the cluster -------------------------------------------------------------------------------------
step "building (if needed) and starting the cluster in $CLUSTER_DATA_DIR"
ensure_built local-kafka event-gateway load-generator etl-pipeline query-server cluster-kit
t=$(date +%s)
for part in $ALL_PARTS; do start_part "$part"; done
echo "cluster start: $(( $(date +%s) - t )) s" | tee -a "$results"

# --- drill 1 -------------------------------------------------------------------------------------------
drill_started=$(date +%s)
step "drill 1: backfill of 3 hours (20 devices x 3 metrics every 30 s) with 5 % re-sent duplicates"
ledger1="$work/ledger-1.json"
before503="$(responses_503)"
generate "$work/gen-1.out" "$ledger1" 0 41 --devices 20 --metrics 3 --interval 30s --backfill-start 3h --backfill-speed max
load_counts "drill 1 (backfill)" "$work/gen-1.out" "$before503"
if [ "${CLUSTER_TEST_BREAK:-}" = drop-ledger-event ]; then
  step "CLUSTER_TEST_BREAK: dropping one event from the ledger, so the table holds one more than it"
  python3 - "$ledger1" <<'PY'
import json, sys
with open(sys.argv[1]) as f:
    ledger = json.load(f)
window = ledger["windows"][0]
window["count"] -= 1
ledger["acknowledged"] -= 1
if window["count"] == 0:
    ledger["windows"].pop(0)
with open(sys.argv[1], "w") as f:
    json.dump(ledger, f)
PY
  VERIFY_WAIT="${CLUSTER_TEST_BREAK_WAIT:-4m}"
fi
t=$(now_ms)
verify "$ledger1" | tee "$work/verify-1.out" | grep -E '^(MATCH|MISMATCH|Ledger|ERROR)' || { cat "$work/verify-1.out"; fail "drill 1: the table does not equal the ledger"; }
echo "drill 1: table equal to the ledger $(( $(now_ms) - t )) ms after the backfill ended" | tee -a "$results"
echo "drill 1: took $(( $(date +%s) - drill_started )) s in all" | tee -a "$results"
if [ "${CLUSTER_TEST_BREAK:-}" = copy-staging-file ]; then
  step "CLUSTER_TEST_BREAK: copying one committed staging file on HDFS, so its windows are stored twice"
  file="$(hdfs_shell -ls -R "$STAGING_PATH" | awk '$NF ~ /\/part-[^\/]*\.parquet$/ {print $NF}' | head -1)"
  [ -n "$file" ] || fail "no staging file found to copy"
  hdfs_shell -cp "$file" "${file%.parquet}-copy.parquet"
  verify "$ledger1" || fail "drill 1 after CLUSTER_TEST_BREAK: the ledger check caught the doubled file (as it must)"
  fail "CLUSTER_TEST_BREAK: the ledger check did NOT catch a doubled staging file"
fi

# --- drill 2 -------------------------------------------------------------------------------------------
drill_started=$(date +%s)
step "drill 2: kill -9 of the broker leading the most partitions under ${LOAD_RATE} events/s"
kafka_tool describe "$BOOTSTRAP" "$TOPIC" | tee "$work/leaders-before.txt"
victim="$(awk '/^TOP_LEADER/ {print $2}' "$work/leaders-before.txt")"
[ -n "$victim" ] || fail "no partition leader found"
ledger2="$work/ledger-2.json"
before503="$(responses_503)" before="$(accepted_total)"
steady_load "$work/gen-2.out" "$ledger2" 1000 42 & gen=$!
wait_for_load "$work/gen-2.out" "$before"
# The gateway's acknowledgements, sampled every 200 ms: the longest pause after the kill is how long
# it stopped acknowledging.
# No ERR trap inside: the kill that ends the sampler may land in a command substitution.
( trap - ERR; while :; do printf '%s %s\n' "$(now_ms)" "$(accepted_total 2>/dev/null || echo -1)"; sleep 0.2; done ) > "$work/accepted-2.txt" & sampler=$!
# Started before the kill, so it times the election from the kill on (it waits while the victim leads).
kafka_tool await-leaders "$BOOTSTRAP" "$TOPIC" "$TOPIC_MIN_ISR" 120 "$victim" > "$work/elect-2.txt" 2>&1 & elect=$!
await "grep -q '^WATCHING' '$work/elect-2.txt'" 60 "the election watcher's first look (see $work/elect-2.txt)"
t_kill=$(now_ms)
pid="$(kill_now "kafka-$victim")"
info "killed kafka-$victim (pid $pid) at $t_kill"
wait "$elect" || { cat "$work/elect-2.txt"; fail "drill 2: the partitions of kafka-$victim got no new leader"; }
t_elected="$(sed -n 's/^LEADERS .* at \([0-9]*\)$/\1/p' "$work/elect-2.txt")"
wait "$gen" || { tail -20 "$work/gen-2.out"; fail "drill 2: the generator failed"; }
kill "$sampler"; sampler=""
stall="$(awk -v k="$t_kill" '$1 >= k && $2 >= 0 { if (last != "" && $2 > prev) { gap = $1 - last; if (gap > max) max = gap } if (last == "" || $2 > prev) { last = $1; prev = $2 } } END {printf "%d", max}' "$work/accepted-2.txt")"
echo "drill 2: new leaders for every partition of kafka-$victim $(( t_elected - t_kill )) ms after the kill; the gateway's longest pause in acknowledging: $stall ms" | tee -a "$results"
load_counts "drill 2 (broker killed)" "$work/gen-2.out" "$before503"
t=$(now_ms)
start_kafka_node "$victim"
kafka_tool await-leaders "$BOOTSTRAP" "$TOPIC" "$TOPIC_REPLICATION" 180 > "$work/rejoin-2.txt" || fail "kafka-$victim did not rejoin the in-sync replicas"
echo "drill 2: kafka-$victim restarted and back in every ISR after $(( $(now_ms) - t )) ms" | tee -a "$results"
t=$(now_ms)
verify "$ledger2" | tee "$work/verify-2.out" | grep -E '^(MATCH|MISMATCH|Ledger|ERROR)' || { cat "$work/verify-2.out"; fail "drill 2: the table does not equal the ledger"; }
echo "drill 2: table equal to the ledger $(( $(now_ms) - t )) ms after the load ended" | tee -a "$results"
echo "drill 2: took $(( $(date +%s) - drill_started )) s in all" | tee -a "$results"

# --- drill 3 -------------------------------------------------------------------------------------------
drill_started=$(date +%s)
step "drill 3: kill -9 of spark-worker-1 and its executors mid-stream"
ledger3="$work/ledger-3.json"
before503="$(responses_503)" before="$(accepted_total)" batch_before="$(etl_batch_id)"
steady_load "$work/gen-3.out" "$ledger3" 2000 43 & gen=$!
wait_for_load "$work/gen-3.out" "$before"
await "[ \"\$(etl_batch_id)\" -gt $batch_before ]" 120 "an ETL batch during the load"
worker_pid="$(running_pid spark-worker-1)" || fail "spark-worker-1 is not running"
executors="$(pgrep -P "$worker_pid" | tr '\n' ' ')"
[ -n "$executors" ] || fail "spark-worker-1 runs no executor"
batch_at_kill="$(etl_batch_id)"
t_kill=$(now_ms)
kill -9 "$worker_pid" $executors
rm -f "$(pid_file spark-worker-1)"
info "killed spark-worker-1 (pid $worker_pid) and its executors (pids $executors) at batch $batch_at_kill"
await "[ \"\$(etl_batch_id)\" -gt $batch_at_kill ]" 300 "an ETL batch after the worker died"
t_first=$(now_ms)
await "[ \"\$(etl_batch_id)\" -gt $(( batch_at_kill + 1 )) ]" 300 "a whole ETL batch after the worker died"
t_whole=$(now_ms)
echo "drill 3: first ETL batch committed $(( t_first - t_kill )) ms after the kill, a batch started after it $(( t_whole - t_kill )) ms after" | tee -a "$results"
echo "drill 3: the ETL application now holds $(etl_cores) core(s) of the master (2 before the kill)" | tee -a "$results"
curl -sf "$status_url" | grep -q '"name":"measurements","active":true' || fail "drill 3: the ETL's measurements query is not active"
wait "$gen" || { tail -20 "$work/gen-3.out"; fail "drill 3: the generator failed"; }
load_counts "drill 3 (worker killed)" "$work/gen-3.out" "$before503"
t=$(now_ms)
verify "$ledger3" | tee "$work/verify-3.out" | grep -E '^(MATCH|MISMATCH|Ledger|ERROR)' || { cat "$work/verify-3.out"; fail "drill 3: the table does not equal the ledger"; }
echo "drill 3: table equal to the ledger $(( $(now_ms) - t )) ms after the load ended (one worker)" | tee -a "$results"
echo "drill 3: took $(( $(date +%s) - drill_started )) s in all" | tee -a "$results"
start_spark_worker 1

# --- drill 4 -------------------------------------------------------------------------------------------
drill_started=$(date +%s)
step "drill 4: kill -9 of the ETL driver mid-stream, then a restart"
ledger4="$work/ledger-4.json"
before503="$(responses_503)" before="$(accepted_total)" batch_before="$(etl_batch_id)"
steady_load "$work/gen-4.out" "$ledger4" 3000 44 & gen=$!
wait_for_load "$work/gen-4.out" "$before"
await "[ \"\$(etl_batch_id)\" -gt $batch_before ]" 120 "an ETL batch during the load"
batch_at_kill="$(etl_batch_id)"
t_kill=$(now_ms)
pid="$(kill_now etl)"
info "killed the ETL driver (pid $pid) at batch $batch_at_kill"
start_etl
t_ready=$(now_ms)
await "[ \"\$(etl_batch_id)\" -ge 0 ] 2>/dev/null" 300 "a batch of the restarted ETL"
t_first=$(now_ms)
echo "drill 4: the restarted driver was ready $(( t_ready - t_kill )) ms after the kill and committed batch $(etl_batch_id) $(( t_first - t_kill )) ms after it" | tee -a "$results"
wait "$gen" || { tail -20 "$work/gen-4.out"; fail "drill 4: the generator failed"; }
load_counts "drill 4 (driver killed)" "$work/gen-4.out" "$before503"
t=$(now_ms)
verify "$ledger4" | tee "$work/verify-4.out" | grep -E '^(MATCH|MISMATCH|Ledger|ERROR)' || { cat "$work/verify-4.out"; fail "drill 4: the table does not equal the ledger"; }
echo "drill 4: table equal to the ledger $(( $(now_ms) - t )) ms after the load ended" | tee -a "$results"
echo "drill 4: took $(( $(date +%s) - drill_started )) s in all" | tee -a "$results"

# --- after the drills -------------------------------------------------------------------------------
step "compaction on HDFS: every hour that ended before the watermark is read from a published manifest"
deadline=$(( $(date +%s) + 300 ))
compacted=0
while [ "$(date +%s)" -lt "$deadline" ]; do
  watermark="$(curl -sf "$status_url" | sed -n 's/.*"watermark":"\([^"]*\)".*/\1/p')"
  if [ -n "$watermark" ] && "$ROOT/scripts/inspect.sh" --require-compacted-until "$watermark" > "$work/inspect.out" 2>&1; then
    compacted=1
    break
  fi
  sleep 3
done
grep -E 'hours ended by|ERROR' "$work/inspect.out" || true
[ "$compacted" = 1 ] || { cat "$work/inspect.out"; fail "closed hours are not compacted on HDFS after 5 minutes"; }
closed="$(sed -n 's/^\([0-9]*\) hours ended by .*/\1/p' "$work/inspect.out")"
[ "${closed:-0}" -ge 3 ] || fail "only ${closed:-0} closed hours were compacted; the backfill alone has 3"
echo "compaction: $closed closed hours published by manifests on HDFS" | tee -a "$results"
step "every ledger, once more (after compaction and every failure)"
for ledger in "$ledger1" "$ledger2" "$ledger3" "$ledger4"; do
  verify "$ledger" | grep -E '^(MATCH|MISMATCH|ERROR)' || fail "$(basename "$ledger"): the table no longer equals it"
done

ok=1
step "PASSED in $(( $(date +%s) - started_at )) s"
cat "$results"
