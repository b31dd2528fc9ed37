#!/usr/bin/env bash
# Stops every service started by the scripts, downstream first, Kafka last.
source "$(dirname "$0")/lib/common.sh"
for service in query-server etl gateway; do
  if running_pid "$service" >/dev/null; then
    stop_service "$service" 60
  fi
done
stop_service kafka 60
