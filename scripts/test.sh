#!/usr/bin/env bash
# The project's test command (what CI runs through .ci/run): every module's unit and integration
# tests (mvn verify: real embedded Kafka broker, real local SparkSession), then the end-to-end proof
# with every service as its own process (scripts/e2e-test.sh). Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp -Dstyle.color=never verify "$@"
scripts/e2e-test.sh
