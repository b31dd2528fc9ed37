#!/usr/bin/env bash
# Brings the system up on the embedded defaults. At this stage of the project it starts only the
# embedded Kafka broker; the gateway, ETL and query server join as they land (see README.md).
source "$(dirname "$0")/lib/common.sh"
require_java
"$ROOT/scripts/start-kafka.sh"
info ""
info "Kafka is up on 127.0.0.1:9092 with topic iot_device_events."
info "The other services are not part of the quickstart yet. Stop everything with scripts/stop-all.sh"
