#!/usr/bin/env bash
# Starts the Event Gateway in the background on 127.0.0.1:8080, writing to Kafka at
# 127.0.0.1:9092 (topic iot_device_events). Kafka need not be up: the gateway answers 503 until
# it is. Environment: GATEWAY_HOST, GATEWAY_PORT, KAFKA_BOOTSTRAP_SERVERS, KAFKA_TOPIC,
# GATEWAY_AUTH_ENABLED / GATEWAY_KEYS_FILE (API keys; required on an address other than loopback),
# GATEWAY_TLS_ENABLED / GATEWAY_TLS_KEY_STORE / GATEWAY_TLS_KEY_STORE_PASSWORD (HTTPS),
# GATEWAY_JAVA_OPTS (extra JVM options, e.g. -Devent-gateway.max-body-size=4m); see
# event-gateway/README.md for every setting.
source "$(dirname "$0")/lib/common.sh"

start_service gateway event-gateway org.iotpipeline.gateway.GatewayMain 'READY: event gateway' \
  "${GATEWAY_HOST:-127.0.0.1}" "${GATEWAY_PORT:-8080}" 60 -Xmx512m -XX:+UseParallelGC
case "${GATEWAY_TLS_ENABLED:-off}" in true | on | yes) scheme=https ;; *) scheme=http ;; esac
info "POST events to $scheme://${GATEWAY_HOST:-127.0.0.1}:${GATEWAY_PORT:-8080}/events. Stop it with scripts/stop-gateway.sh"
