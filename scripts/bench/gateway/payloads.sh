#!/usr/bin/env bash
# Writes COUNT event JSON lines shaped like the gateway's Kafka record values (same fields, same
# number formats as post-events.lua), for ProducerPerformance's --payload-file.
set -euo pipefail
count="${1:-10000}"
now="$(($(date +%s) * 1000))"
awk -v count="$count" -v now="$now" 'BEGIN {
  srand(42);
  for (i = 0; i < count; i++) {
    n = int(rand() * 100000) + i;
    v = (n % 1000) / 8;
    # Canonical JSON writes a double with at least one decimal (125.0), as EventCodec does.
    value = (v == int(v)) ? sprintf("%d.0", v) : sprintf("%s", v);
    printf "{\"deviceId\":%d,\"metricId\":%d,\"timestamp\":%.0f,\"value\":%s}\n", n % 10000, n % 16, now - (n % 60000), value;
  }
}'
