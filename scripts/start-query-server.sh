#!/usr/bin/env bash
# Starts the Query Server in the background on 127.0.0.1:8082 (log data/logs/query-server.log),
# reading data/warehouse/measurements and data/staging/measurements, and waits until it is ready.
# It runs under scripts/lib/supervise.sh: if the JVM dies (a fatal error no query should cause, or a
# kill), it is started again and the log says so on a line with "SUPERVISOR ... died".
# Environment: QUERY_SERVER_HOST, QUERY_SERVER_PORT, STAGING_PATH, WAREHOUSE_PATH, SPARK_MASTER,
# QUERY_SERVER_TOKEN, QUERY_SERVER_JAVA_OPTS (extra JVM options, e.g. -Xmx4g) — see query-server/README.md.
# The console's pipeline page reads the gateway and the ETL admin endpoint at QUERY_SERVER_GATEWAY_URL and
# QUERY_SERVER_ETL_URL; when unset they follow GATEWAY_HOST/GATEWAY_PORT (https with GATEWAY_TLS_ENABLED)
# and ETL_ADMIN_HOST/ETL_ADMIN_PORT, as the other start scripts use them.
source "$(dirname "$0")/lib/common.sh"

host="${QUERY_SERVER_HOST:-127.0.0.1}"
port="${QUERY_SERVER_PORT:-8082}"
case "${GATEWAY_TLS_ENABLED:-off}" in true | on | yes) gateway_scheme=https ;; *) gateway_scheme=http ;; esac
# A wildcard bind address is reached through loopback from here.
reach() { case "$1" in 0.0.0.0 | "::" | "[::]") printf '127.0.0.1' ;; *) printf '%s' "$1" ;; esac; }
export QUERY_SERVER_GATEWAY_URL="${QUERY_SERVER_GATEWAY_URL:-$gateway_scheme://$(reach "${GATEWAY_HOST:-127.0.0.1}"):${GATEWAY_PORT:-8080}}"
export QUERY_SERVER_ETL_URL="${QUERY_SERVER_ETL_URL:-http://$(reach "${ETL_ADMIN_HOST:-127.0.0.1}"):${ETL_ADMIN_PORT:-8081}}"
# shellcheck disable=SC2086  # SPARK_JVM_OPTS is a list of options
SUPERVISED=1 start_service query-server query-server org.iotpipeline.query.QueryServerMain 'READY: query-server on' \
  "$host" "$port" 120 -Xmx1g $SPARK_JVM_OPTS
info "Console: http://$host:$port/ (pipeline page reads $QUERY_SERVER_GATEWAY_URL and $QUERY_SERVER_ETL_URL)"
info "Try: curl -d 'SELECT count(*) FROM measurements' http://$host:$port/query"
info "Stop it with scripts/stop-query-server.sh"
