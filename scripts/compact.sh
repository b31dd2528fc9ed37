#!/usr/bin/env bash
# One compaction run in the foreground: closed staging hours (ending before now - standalone-lag,
# or --horizon) become a few sorted, verified files per hour in the warehouse; superseded files
# older than the grace are deleted. See docs/compaction.md.
#
# Usage: scripts/compact.sh [--dry-run] [--horizon 2026-11-29T04:00:00Z] [--hour 2026-11-29T03]... [--help]
# Environment: STAGING_PATH, WAREHOUSE_PATH, COMPACTION_STANDALONE_LAG, COMPACTION_TARGET_FILE_SIZE,
#   COMPACTION_GRACE (see docs/compaction.md); COMPACT_JAVA_OPTS for extra JVM options
#   (e.g. -Xmx4g, -Dspark.master=spark://host:7077).
# Do not run it while the ETL service compacts the same store on its schedule (one compactor per store).
source "$(dirname "$0")/lib/common.sh"

require_java
ensure_built etl-pipeline >&2
cd "$ROOT"
# shellcheck disable=SC2086
exec java $SPARK_JVM_OPTS ${COMPACT_JAVA_OPTS:-} \
  -Dlogback.configurationFile=org/iotpipeline/etl/compaction/logback-cli.xml \
  -cp "$(module_classpath etl-pipeline)" org.iotpipeline.etl.compaction.CompactionMain "$@"
