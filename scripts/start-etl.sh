#!/usr/bin/env bash
# Starts the ETL pipeline (Spark Structured Streaming, local[*] by default) in the background: reads
# the events topic from Kafka, writes data/staging/measurements and data/dead-letters, checkpoints in
# data/checkpoints/etl, admin endpoint on 127.0.0.1:8081 (/health, /status, /metrics).
# Environment (see etl-pipeline/README.md for every key): KAFKA_BOOTSTRAP_SERVERS, KAFKA_TOPIC,
# ETL_ADMIN_HOST, ETL_ADMIN_PORT, STAGING_PATH, WAREHOUSE_PATH, LIVE_PATH, ETL_CHECKPOINT_PATH, ETL_DEAD_LETTERS_PATH,
# SPARK_MASTER, ETL_HEAP (default -Xmx2g), ETL_JAVA_OPTS (extra JVM options, e.g. -Detl-pipeline.window=1m).
source "$(dirname "$0")/lib/common.sh"

# Data paths follow IOT_DATA_DIR (common.sh sets STAGING_PATH, WAREHOUSE_PATH and LIVE_PATH the same way).
export ETL_CHECKPOINT_PATH="${ETL_CHECKPOINT_PATH:-$DATA_DIR/checkpoints/etl}"
export ETL_DEAD_LETTERS_PATH="${ETL_DEAD_LETTERS_PATH:-$DATA_DIR/dead-letters}"

# shellcheck disable=SC2086
start_service etl etl-pipeline org.iotpipeline.etl.EtlMain 'READY: ETL' \
  "${ETL_ADMIN_HOST:-127.0.0.1}" "${ETL_ADMIN_PORT:-8081}" 180 ${ETL_HEAP:--Xmx2g} $SPARK_JVM_OPTS
info "Staging: $STAGING_PATH; status: curl -s http://${ETL_ADMIN_HOST:-127.0.0.1}:${ETL_ADMIN_PORT:-8081}/status. Stop it with scripts/stop-etl.sh"
