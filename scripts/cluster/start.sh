#!/usr/bin/env bash
# Starts the local multi-process cluster (see scripts/cluster/lib.sh for every process, port and
# directory): HDFS, three Kafka brokers with the topic (replication 3, min.insync.replicas 2), a
# Spark standalone master and two workers, the gateway, the ETL on the master and the query server
# as its own application. Each part waits until it is ready; a failure stops with the log's tail.
#   scripts/cluster/start.sh                 everything, in that order
#   scripts/cluster/start.sh hdfs kafka      only these parts (hdfs kafka spark gateway etl query-server)
# Stop with scripts/cluster/stop.sh (data stays in data/cluster; delete it to start from nothing).
source "$(dirname "$0")/lib.sh"
require_java
ensure_built local-kafka event-gateway load-generator etl-pipeline query-server cluster-kit
parts="${*:-$ALL_PARTS}"
started=$(date +%s)
for part in $parts; do
  info "==> cluster: starting $part"
  start_part "$part"
done
info "Cluster parts up ($parts) in $(( $(date +%s) - started )) s. Status: scripts/cluster/status.sh"
