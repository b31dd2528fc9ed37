#!/usr/bin/env bash
# One command to see the whole pipeline work on a fresh machine (Java 17 + Maven):
#   builds if needed; starts Kafka, the event gateway, the ETL and the query server in the
#   background (logs data/logs, pids data/run); backfills 2 hours of history for 100 devices x 3
#   metrics through the gateway; waits until the rollups in table measurements match exactly what
#   the gateway acknowledged; prints three sample queries; says how to go on and how to stop.
#   Run it again on the same data directory (the pipeline keeps running or is restarted): the
#   next backfill uses new device ids, lands in windows that are already final (stored as late
#   rows), and is checked exactly the same way.
# Environment: QUICKSTART_DEVICES (100), QUICKSTART_METRICS (3), QUICKSTART_HOURS (2), and every
# service's own variables (ports, paths; see the module READMEs). Stop with scripts/stop-all.sh.
source "$(dirname "$0")/lib/common.sh"

devices="${QUICKSTART_DEVICES:-100}"
metrics="${QUICKSTART_METRICS:-3}"
hours="${QUICKSTART_HOURS:-2}"
interval_s=10
query_url="http://${QUERY_SERVER_HOST:-127.0.0.1}:${QUERY_SERVER_PORT:-8082}/query"
ledger="$DATA_DIR/quickstart-ledger.json"
# Each run backfills its own device ids, so its ledger can be checked exactly even when earlier
# runs stored data for the same hours.
next_device_file="$DATA_DIR/quickstart-next-device"

step() { printf '\n==> %s\n' "$*"; }

require_java
require_maven

# Refuse early, and say which, if a port we need belongs to something else.
check_port() {
  local name="$1" host="$2" port="$3" variable="$4"
  if ! running_pid "$name" >/dev/null && port_in_use "$host" "$port"; then
    fail "port $port is in use by another program, so $name cannot start. Stop that program ('ss -ltnp | grep :$port' shows it) or choose another port with $variable=<port>."
  fi
}
check_port kafka "${KAFKA_HOST:-127.0.0.1}" "${KAFKA_PORT:-9092}" KAFKA_PORT
check_port kafka "${KAFKA_HOST:-127.0.0.1}" "${KAFKA_CONTROLLER_PORT:-9093}" KAFKA_CONTROLLER_PORT
check_port gateway "${GATEWAY_HOST:-127.0.0.1}" "${GATEWAY_PORT:-8080}" GATEWAY_PORT
check_port etl "${ETL_ADMIN_HOST:-127.0.0.1}" "${ETL_ADMIN_PORT:-8081}" ETL_ADMIN_PORT
check_port query-server "${QUERY_SERVER_HOST:-127.0.0.1}" "${QUERY_SERVER_PORT:-8082}" QUERY_SERVER_PORT

step "Building (only what changed)"
ensure_built local-kafka event-gateway load-generator etl-pipeline query-server

step "Starting Kafka, the event gateway, the ETL and the query server"
"$ROOT/scripts/start-kafka.sh"
"$ROOT/scripts/start-gateway.sh"
"$ROOT/scripts/start-etl.sh"
"$ROOT/scripts/start-query-server.sh"

# Stop the backfill a few minutes before now: the newest windows close when the watermark passes
# their end, and a heartbeat never moves event time past the clock.
ticks=$(( (hours * 3600 - 600) / interval_s ))
events=$(( devices * metrics * ticks ))
first_device="$(cat "$next_device_file" 2>/dev/null || echo 0)"
printf '%s\n' $(( first_device + devices )) > "$next_device_file"
step "Backfilling ${hours} h of history: $devices devices (ids $first_device..$(( first_device + devices - 1 ))) x $metrics metrics every ${interval_s} s = $events events"
rm -f "$ledger"
"$ROOT/scripts/start-generator.sh" --devices "$devices" --metrics "$metrics" --interval "${interval_s}s" \
  --backfill-start "${hours}h" --backfill-speed max --count "$events" --batch-size 100 --concurrency 8 \
  -Dload-generator.first-device-id="$first_device" --ledger "$ledger" \
  || fail "the generator did not deliver every event (see above); the services' logs are in $LOG_DIR"

step "Waiting until table measurements holds exactly what the gateway acknowledged"
info "(windows become final when the watermark passes them, the last ones after the ETL's idle timeout, 30 s;"
info " on a pipeline that already ran, the backfill's windows are final already and its events are stored as late rows at once)"
"$ROOT/scripts/verify-ledger.sh" --ledger "$ledger" --query-url "$query_url" --wait 5m --poll 5s \
  || fail "the rollups did not match the ledger within 5 minutes; see $LOG_DIR/etl.log and 'curl -s http://127.0.0.1:${ETL_ADMIN_PORT:-8081}/status'"

show_query() {
  local title="$1" sql="$2"
  printf '\n-- %s\n%s\n\n' "$title" "$sql"
  local csv
  csv="$(curl -sS --fail-with-body "$query_url?format=csv" --data-binary "$sql")" \
    || fail "the query failed: $csv"
  if command -v column >/dev/null 2>&1; then
    printf '%s\n' "$csv" | column -t -s,
  else
    printf '%s\n' "$csv"
  fi
}

step "Four sample queries (POST SQL to $query_url)"
show_query "Hourly averages of device $(( first_device + 1 )) (exact: sum of sums / sum of counts)" \
"SELECT date_trunc('HOUR', window_start) AS hour, metric_id, sum(event_count) AS events,
       round(sum(value_sum) / sum(event_count), 3) AS avg_value, round(min(value_min), 3) AS min_value,
       round(max(value_max), 3) AS max_value
FROM measurements WHERE device_id = $(( first_device + 1 )) GROUP BY 1, 2 ORDER BY 1, 2"
show_query "Top 5 devices by their maximum of metric 0 in the last hour" \
"SELECT device_id, round(max(value_max), 3) AS max_value, sum(event_count) AS events
FROM measurements WHERE metric_id = 0 AND window_start >= current_timestamp() - INTERVAL 1 HOUR
GROUP BY device_id ORDER BY max_value DESC LIMIT 5"
show_query "The newest reading of every metric of device $(( first_device + 7 )), whenever it arrived (table latest_readings)" \
"SELECT * FROM latest_readings WHERE device_id = $(( first_device + 7 )) ORDER BY metric_id"
show_query "Events per metric over everything" \
"SELECT metric_id, sum(event_count) AS events, count(*) AS windows, min(window_start) AS first_window,
       max(window_end) AS last_window
FROM measurements GROUP BY metric_id ORDER BY metric_id"

# With a data directory of its own, the other scripts need it too to find the services' pids and data.
env_prefix=""
if [ -n "${IOT_DATA_DIR:-}" ]; then env_prefix="IOT_DATA_DIR=$IOT_DATA_DIR "; fi
cat <<MSG

==> The pipeline is running.
  Send events:     curl -H 'Content-Type: application/json' -d '{"deviceId":7,"metricId":1,"timestamp":'\$(date +%s000)',"value":21.5}' http://127.0.0.1:${GATEWAY_PORT:-8080}/events
  Query:           curl -d 'SELECT * FROM measurements LIMIT 10' $query_url
  Live:            curl -d 'SELECT * FROM latest_readings WHERE device_id = 7' $query_url
                   curl -d 'SELECT window_start, event_count, final FROM measurements_live WHERE device_id = 7 ORDER BY window_start DESC LIMIT 5' $query_url
  Tables:          curl http://${QUERY_SERVER_HOST:-127.0.0.1}:${QUERY_SERVER_PORT:-8082}/tables
  ETL status:      curl http://${ETL_ADMIN_HOST:-127.0.0.1}:${ETL_ADMIN_PORT:-8081}/status
  More load:       ${env_prefix}scripts/start-generator.sh --devices 1000 --interval 1s      (live, Ctrl-C to stop)
  Files:           ${env_prefix}scripts/inspect.sh      (staging and warehouse, per hour, from Parquet footers)
  Logs:            $LOG_DIR/
  Stop all:        ${env_prefix}scripts/stop-all.sh     (data stays in $DATA_DIR; delete it to start from nothing)
MSG
