#!/usr/bin/env bash
# Stops the Query Server started by scripts/start-query-server.sh: SIGTERM, which cancels running
# queries and stops Spark; SIGKILL only if it has not exited after 60 s.
source "$(dirname "$0")/lib/common.sh"
stop_service query-server 60
