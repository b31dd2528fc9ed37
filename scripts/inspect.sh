#!/usr/bin/env bash
# Per hour, what staging and warehouse hold: files, rows, bytes, window_start range (from Parquet
# footers; no Spark). See docs/compaction.md.
#
# Usage: scripts/inspect.sh [--json] [--hour 2026-11-29T03]... [--help]
# Environment: STAGING_PATH, WAREHOUSE_PATH; INSPECT_JAVA_OPTS for extra JVM options.
source "$(dirname "$0")/lib/common.sh"

require_java
ensure_built etl-pipeline >&2
cd "$ROOT"
# shellcheck disable=SC2086
exec java ${INSPECT_JAVA_OPTS:-} \
  -Dlogback.configurationFile=org/iotpipeline/etl/compaction/logback-cli.xml \
  -cp "$(module_classpath etl-pipeline)" org.iotpipeline.etl.compaction.InspectMain "$@"
