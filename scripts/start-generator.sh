#!/usr/bin/env bash
# Runs the load generator in the FOREGROUND (Ctrl-C stops it after the requests in flight finished
# and prints the summary). Arguments are passed through: flags such as --devices 100 --rate 500,
# and any configuration key as -Dload-generator.<key>=<value>; --help lists them.
# Environment: GENERATOR_URL, GENERATOR_DEVICES, ... (see load-generator/README.md) and
# GENERATOR_JAVA_OPTS for JVM options (default -Xmx512m -XX:+UseParallelGC: less GC work per request than G1).
# Exit code: the generator's (0 ok, 1 error, 2 bad configuration, 3 events failed after retries).
source "$(dirname "$0")/lib/common.sh"

require_java
ensure_built load-generator
cd "$ROOT"
# exec: Ctrl-C / SIGTERM go straight to the JVM, whose shutdown hook drains and prints the summary.
# shellcheck disable=SC2086
exec java ${GENERATOR_JAVA_OPTS:--Xmx512m -XX:+UseParallelGC} -cp "$(module_classpath load-generator)" \
  org.iotpipeline.generator.GeneratorMain "$@"
