#!/usr/bin/env bash
# A handful of hostile requests from issue 13, sent while the e2e backfill runs: each must get its
# 4xx and leave both services answering. Usage: hostile-requests.sh GATEWAY_URL QUERY_URL
# (e.g. http://127.0.0.1:8080/events http://127.0.0.1:8082/query). Exit 0 = every answer as expected.
set -uo pipefail
gateway="$1" query="$2"
failures=0
expect() { # NAME EXPECTED_STATUS CURL_ARGS...
  local name="$1" expected="$2"
  shift 2
  local status
  status="$(curl -s -o /dev/null -w '%{http_code}' --max-time 60 "$@")"
  if [ "$status" = "$expected" ]; then
    printf 'hostile: %-48s %s as expected\n' "$name" "$status"
  else
    printf 'hostile: %-48s got %s, expected %s\n' "$name" "$status" "$expected"
    failures=$(( failures + 1 ))
  fi
}
now_ms="$(date +%s)000"

# Gateway
expect "event from 2 weeks ago (outside the horizon)" 400 -H 'Content-Type: application/json' \
  -d "{\"deviceId\":1,\"metricId\":1,\"timestamp\":$(( $(date +%s) - 14 * 86400 ))000,\"value\":1}" "$gateway"
expect "event an hour ahead (outside the horizon)" 400 -H 'Content-Type: application/json' \
  -d "{\"deviceId\":1,\"metricId\":1,\"timestamp\":$(( $(date +%s) + 3600 ))000,\"value\":1}" "$gateway"
expect "value 1e-400 (would underflow to 0)" 400 -H 'Content-Type: application/json' \
  -d "{\"deviceId\":1,\"metricId\":1,\"timestamp\":$now_ms,\"value\":1e-400}" "$gateway"
expect "UTF-16 body" 400 -H 'Content-Type: application/json' \
  --data-binary @<(printf '{"deviceId":1,"metricId":1,"timestamp":%s,"value":1}' "$now_ms" | iconv -f UTF-8 -t UTF-16) "$gateway"
expect "20,000 empty objects (over the event cap)" 413 -H 'Content-Type: application/x-ndjson' \
  --data-binary @<(yes '{}' | head -n 20000) "$gateway"
expect "gzip bomb of empty objects" 413 -H 'Content-Type: application/x-ndjson' -H 'Content-Encoding: gzip' \
  --data-binary @<(yes '{}' | head -n 2000000 | gzip -9) "$gateway"

# Query server
expect "\${env:...} substitution" 403 -d "SELECT '\${env:QUERY_SERVER_TOKEN}', current_user()" "$query"
expect "nested parentheses beyond the limit" 400 --data-binary "SELECT $(printf '(%.0s' $(seq 1 200))1$(printf ')%.0s' $(seq 1 200))" "$query"
expect "catastrophic RLIKE" 403 -d "SELECT concat(repeat('0', 50), '!') RLIKE '^(0|1)*\$'" "$query"
expect "XML function reading a file" 403 -d "SELECT xpath_string('<a/>', '/a')" "$query"
expect "input_file_name() (host paths)" 403 -d "SELECT input_file_name() FROM measurements LIMIT 1" "$query"
expect "DDL" 403 -d "DROP VIEW measurements" "$query"
expect "an OutOfMemoryError in a task" 400 -d "SELECT length(repeat(cast(id AS string), 2147483647)) FROM range(1)" "$query"

# Both still answer.
expect "gateway still answers" 202 -H 'Content-Type: application/json' \
  -d "{\"deviceId\":999999,\"metricId\":9,\"timestamp\":$now_ms,\"value\":1}" "$gateway"
expect "query server still answers" 200 -d "SELECT 1" "$query"
exit $(( failures > 0 ))
