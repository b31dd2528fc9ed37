#!/usr/bin/env bash
# Starts the development Kafka broker (KRaft, single node) in the background on 127.0.0.1:9092,
# with its data in data/kafka, and creates the topic iot_device_events.
# Environment: KAFKA_PORT, KAFKA_CONTROLLER_PORT, KAFKA_HOST, KAFKA_DATA_DIR, KAFKA_TOPIC,
# KAFKA_TOPIC_PARTITIONS, KAFKA_JAVA_OPTS (see local-kafka/README.md).
source "$(dirname "$0")/lib/common.sh"

start_service kafka local-kafka org.iotpipeline.kafka.LocalKafkaMain 'READY: Kafka on' \
  "${KAFKA_HOST:-127.0.0.1}" "${KAFKA_PORT:-9092}" 90 -Xmx512m
info "Bootstrap servers: ${KAFKA_HOST:-127.0.0.1}:${KAFKA_PORT:-9092}; topic ${KAFKA_TOPIC:-iot_device_events}. Stop it with scripts/stop-kafka.sh"
