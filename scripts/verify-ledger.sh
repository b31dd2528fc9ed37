#!/usr/bin/env bash
# Compares a load-generator ledger with table measurements through the query server: every
# acknowledged (device, metric, window) stored exactly once with the ledger's count and sum.
#   scripts/verify-ledger.sh --ledger data/ledger.json [--query-url http://127.0.0.1:8082/query] [--wait 5m]
# Exit code 0 = match, 1 = mismatch, 2 = bad arguments. --help for all options.
source "$(dirname "$0")/lib/common.sh"
require_java
ensure_built load-generator
cd "$ROOT"
exec java -Xmx256m -cp "$(module_classpath load-generator)" org.iotpipeline.generator.verify.VerifyLedgerMain "$@"
