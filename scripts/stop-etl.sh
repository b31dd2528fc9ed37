#!/usr/bin/env bash
# Stops the ETL pipeline cleanly (SIGTERM: the streaming queries stop, then Spark). A micro-batch in
# flight is abandoned and redone from the checkpoint on the next start, without loss or duplicates.
source "$(dirname "$0")/lib/common.sh"
stop_service etl 120
