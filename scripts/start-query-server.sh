#!/usr/bin/env bash
# Starts the Query Server in the background on 127.0.0.1:8082 (log data/logs/query-server.log),
# reading data/warehouse/measurements and data/staging/measurements, and waits until it is ready.
# It runs under scripts/lib/supervise.sh: if the JVM dies (a fatal error no query should cause, or a
# kill), it is started again and the log says so on a line with "SUPERVISOR ... died".
# Environment: QUERY_SERVER_HOST, QUERY_SERVER_PORT, STAGING_PATH, WAREHOUSE_PATH, SPARK_MASTER,
# QUERY_SERVER_TOKEN, QUERY_SERVER_JAVA_OPTS (extra JVM options, e.g. -Xmx4g) — see query-server/README.md.
source "$(dirname "$0")/lib/common.sh"

host="${QUERY_SERVER_HOST:-127.0.0.1}"
port="${QUERY_SERVER_PORT:-8082}"
# shellcheck disable=SC2086  # SPARK_JVM_OPTS is a list of options
SUPERVISED=1 start_service query-server query-server org.iotpipeline.query.QueryServerMain 'READY: query-server on' \
  "$host" "$port" 120 -Xmx1g $SPARK_JVM_OPTS
info "Try: curl -d 'SELECT count(*) FROM measurements' http://$host:$port/query"
info "Stop it with scripts/stop-query-server.sh"
