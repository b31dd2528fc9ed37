#!/usr/bin/env bash
# Shows the local cluster: each process (pid or down), the topic's partition leaders and in-sync
# replicas, the Spark master's workers and applications, and the services' health.
# Exit code 0 if every process runs, 1 otherwise.
source "$(dirname "$0")/lib.sh"
down=0
printf '%-16s %-8s %s\n' PROCESS PID LOG
for name in hdfs kafka-1 kafka-2 kafka-3 spark-master spark-worker-1 spark-worker-2 gateway etl query-server; do
  if pid="$(running_pid "$name")"; then
    printf '%-16s %-8s %s\n' "$name" "$pid" "$LOG_DIR/$name.log"
  else
    printf '%-16s %-8s %s\n' "$name" down "$LOG_DIR/$name.log"
    down=1
  fi
done
echo
echo "HDFS: $HDFS_URI (web UI http://127.0.0.1:$HDFS_HTTP_PORT)"
echo "Kafka: $BOOTSTRAP, topic $TOPIC"
if running_pid kafka-1 >/dev/null || running_pid kafka-2 >/dev/null || running_pid kafka-3 >/dev/null; then
  kafka_tool describe "$BOOTSTRAP" "$TOPIC" 2>&1 | sed 's/^/  /' || true
fi
echo "Spark: $SPARK_MASTER_URL (web UI http://127.0.0.1:$SPARK_MASTER_UI_PORT)"
if json="$(master_json 2>/dev/null)"; then
  printf '%s' "$json" | python3 -c '
import json, sys
m = json.load(sys.stdin)
for w in m.get("workers", []):
    print("  worker %-40s %-6s cores %d/%d used, memory %d/%d MiB used" % (w["id"], w["state"], w["coresused"], w["cores"], w["memoryused"], w["memory"]))
for a in m.get("activeapps", []):
    print("  app    %-40s %-13s %s, cores %d" % (a["id"], a["name"], a["state"], a["cores"]))
' 2>/dev/null || printf '  %s\n' "$json" | head -c 2000
fi
for svc in "gateway $GATEWAY_PORT /ready" "etl $ETL_ADMIN_PORT /health" "query-server $QUERY_SERVER_PORT /ready"; do
  set -- $svc
  printf '%-13s http://127.0.0.1:%s%s -> %s\n' "$1" "$2" "$3" "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$2$3" || true)"
done
exit "$down"
