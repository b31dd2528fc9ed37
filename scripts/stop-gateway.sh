#!/usr/bin/env bash
# Stops the Event Gateway cleanly (SIGTERM): it closes its port, lets in-flight requests finish,
# then flushes and closes its Kafka producer.
source "$(dirname "$0")/lib/common.sh"
stop_service gateway 60
