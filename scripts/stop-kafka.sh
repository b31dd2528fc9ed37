#!/usr/bin/env bash
# Stops the development Kafka broker cleanly (SIGTERM); its data in data/kafka stays.
source "$(dirname "$0")/lib/common.sh"
stop_service kafka 60
