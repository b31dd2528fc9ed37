#!/usr/bin/env bash
# The local multi-process cluster (issue 18), shared by scripts/cluster/{start,stop,status}.sh and
# scripts/cluster-test.sh. Source it; do not run it. Every part is its own process on this machine:
#   hdfs                        NameNode + DataNode (MiniDFSCluster, cluster-kit)    hdfs://127.0.0.1:19820
#   kafka-1, kafka-2, kafka-3   KRaft brokers, each also a controller (3 voters)     127.0.0.1:19092,19093,19094
#   spark-master                Spark standalone master                              spark://127.0.0.1:7077 (UI :18090)
#   spark-worker-1, -2          Spark standalone workers, 2 cores / 1 GiB each; they launch the executors
#   gateway                     event gateway, acks=all to all three brokers         :18080
#   etl                         ETL driver (spark-submit, client mode) on the master :18081 (admin)
#   query-server                query server, its own application on the master      :18082
# State (HDFS blocks, Kafka logs, Spark work dirs, logs, pids) lives in data/cluster/ (CLUSTER_DATA_DIR),
# apart from the single-machine scripts' data/. Every port can be moved with the CLUSTER_* variables below.
set -euo pipefail

CLUSTER_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export CLUSTER_DATA_DIR="${CLUSTER_DATA_DIR:-${IOT_DATA_DIR:-$CLUSTER_ROOT/data}/cluster}"
# common.sh puts logs and pid files under IOT_DATA_DIR: here that is the cluster's own directory.
export IOT_DATA_DIR="$CLUSTER_DATA_DIR"
unset KAFKA_DATA_DIR STAGING_PATH WAREHOUSE_PATH LIVE_PATH KAFKA_BOOTSTRAP_SERVERS ETL_CHECKPOINT_PATH ETL_DEAD_LETTERS_PATH
# shellcheck source=../lib/common.sh
source "$CLUSTER_ROOT/scripts/lib/common.sh"

# --- Addresses (fixed defaults, each overridable) ------------------------------------------------
HDFS_PORT="${CLUSTER_HDFS_PORT:-19820}"
HDFS_HTTP_PORT="${CLUSTER_HDFS_HTTP_PORT:-19870}"
HDFS_URI="hdfs://127.0.0.1:$HDFS_PORT"
KAFKA_FIRST_PORT="${CLUSTER_KAFKA_PORT:-19092}"                      # brokers 1..3 on this port + 0..2
KAFKA_FIRST_CONTROLLER_PORT="${CLUSTER_KAFKA_CONTROLLER_PORT:-19192}" # controllers on this port + 0..2
KAFKA_NODES="1 2 3"
TOPIC="${KAFKA_TOPIC:-iot_device_events}"
TOPIC_PARTITIONS="${CLUSTER_TOPIC_PARTITIONS:-6}"
TOPIC_REPLICATION=3
TOPIC_MIN_ISR=2
SPARK_MASTER_PORT="${CLUSTER_SPARK_MASTER_PORT:-7077}"
SPARK_MASTER_UI_PORT="${CLUSTER_SPARK_MASTER_UI_PORT:-18090}"
SPARK_WORKER_FIRST_UI_PORT="${CLUSTER_SPARK_WORKER_UI_PORT:-18091}"  # workers 1..2 on this port + 0..1
SPARK_WORKERS="1 2"
SPARK_WORKER_CORES="${CLUSTER_SPARK_WORKER_CORES:-2}"
SPARK_WORKER_MEMORY="${CLUSTER_SPARK_WORKER_MEMORY:-1g}"
SPARK_EXECUTOR_MEMORY="${CLUSTER_SPARK_EXECUTOR_MEMORY:-512m}"
SPARK_MASTER_URL="spark://127.0.0.1:$SPARK_MASTER_PORT"
export GATEWAY_PORT="${CLUSTER_GATEWAY_PORT:-18080}"
export ETL_ADMIN_PORT="${CLUSTER_ETL_ADMIN_PORT:-18081}"
export QUERY_SERVER_PORT="${CLUSTER_QUERY_SERVER_PORT:-18082}"

kafka_port() { echo $(( KAFKA_FIRST_PORT + $1 - 1 )); }
kafka_controller_port() { echo $(( KAFKA_FIRST_CONTROLLER_PORT + $1 - 1 )); }
BOOTSTRAP=""
VOTERS=""
for _node in $KAFKA_NODES; do
  BOOTSTRAP="${BOOTSTRAP:+$BOOTSTRAP,}127.0.0.1:$(kafka_port "$_node")"
  VOTERS="${VOTERS:+$VOTERS,}$_node@127.0.0.1:$(kafka_controller_port "$_node")"
done
unset _node

# What the services read (their own variables, see the module READMEs): every path on HDFS.
export KAFKA_BOOTSTRAP_SERVERS="$BOOTSTRAP"
export KAFKA_TOPIC="$TOPIC"
export STAGING_PATH="$HDFS_URI/iot/staging/measurements"
export WAREHOUSE_PATH="$HDFS_URI/iot/warehouse/measurements"
export LIVE_PATH="$HDFS_URI/iot/live"
export ETL_CHECKPOINT_PATH="$HDFS_URI/iot/checkpoints/etl"
export ETL_DEAD_LETTERS_PATH="$HDFS_URI/iot/dead-letters"

export SPARK_HOME="$CLUSTER_DATA_DIR/spark-home"
export SPARK_SCALA_VERSION=2.13
CONF_DIR="$CLUSTER_DATA_DIR/conf"

# The jars docs/etl-spark-cluster.md hands to spark-submit with --jars: what the ETL needs beyond a
# Spark distribution. SPARK_HOME/jars holds the ETL's runtime jars without these (and without
# picocli, used only by the compaction command-line tools), i.e. what a distribution holds.
APP_JAR_PATTERN='^(common-model-|spark-sql-kafka-0-10_2\.13-|spark-token-provider-kafka-0-10_2\.13-|commons-pool2-|kafka-clients-|akka-|ssl-config-core_2\.13-|scala-java8-compat_2\.13-|reactive-streams-|config-|micrometer-|prometheus-metrics-|HdrHistogram-|LatencyUtils-|jspecify-).*\.jar$'

cluster_kit() { # cluster_kit MAIN ARGS...: runs a cluster-kit tool in the foreground
  local main="$1"
  shift
  java -Xmx128m -cp "$(module_classpath cluster-kit)" "org.iotpipeline.cluster.$main" "$@"
}
kafka_tool() { cluster_kit KafkaClusterMain "$@"; }

now_ms() { date +%s%3N; }

# --- Processes -----------------------------------------------------------------------------------
declare -A LOG_FROM=()

# spawn NAME COMMAND...: starts COMMAND in the background from the repository root (log
# LOG_DIR/NAME.log, pid RUN_DIR/NAME.pid) without waiting; await_ready waits for it.
spawn() {
  local name="$1" pid log
  shift
  if pid="$(running_pid "$name")"; then
    fail "$name is already running (pid $pid); stop the cluster with scripts/cluster/stop.sh"
  fi
  mkdir -p "$LOG_DIR" "$RUN_DIR"
  log="$LOG_DIR/$name.log"
  LOG_FROM[$name]=1
  [ -f "$log" ] && LOG_FROM[$name]=$(( $(wc -l < "$log") + 1 ))
  (cd "$ROOT" && exec nohup "$@" >> "$log" 2>&1 < /dev/null) &
  pid=$!
  # Not a job of the caller: a drill's cleanup ends its own jobs, the cluster stops in order.
  disown "$pid"
  echo "$pid" > "$(pid_file "$name")"
  info "Started $name (pid $pid, log $log)"
}

# await_ready NAME REGEX TIMEOUT_S: waits until NAME's log (since its spawn) shows REGEX; fails
# loudly, with the log's tail, if the process exits or the time runs out.
await_ready() {
  local name="$1" regex="$2" timeout="$3" log pid deadline
  log="$LOG_DIR/$name.log"
  pid="$(cat "$(pid_file "$name")" 2>/dev/null)" || fail "$name has no pid file"
  deadline=$(( $(date +%s) + timeout ))
  until tail -n "+${LOG_FROM[$name]:-1}" "$log" 2>/dev/null | grep -qE "$regex"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$(pid_file "$name")"
      printf 'ERROR: %s exited during start-up. Last lines of %s:\n' "$name" "$log" >&2
      tail -n 30 "$log" >&2
      exit 1
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      printf 'ERROR: %s did not become ready within %s s (pid %s). Last lines of %s:\n' "$name" "$timeout" "$pid" "$log" >&2
      tail -n 30 "$log" >&2
      exit 1
    fi
    sleep 0.2
  done
  info "$name is ready"
}

require_free_port() { # require_free_port NAME PORT
  if port_in_use 127.0.0.1 "$2"; then
    fail "port $2 is already in use, so $1 cannot start. Stop that process ('ss -ltnp | grep :$2') or move the cluster's port (CLUSTER_* variables in scripts/cluster/lib.sh)."
  fi
}

# kill_now NAME: kill -9 of NAME's process (the drills), waits until it is gone; prints the pid.
kill_now() {
  local name="$1" pid
  pid="$(running_pid "$name")" || fail "$name is not running, so it cannot be killed"
  kill -9 "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  rm -f "$(pid_file "$name")"
  printf '%s' "$pid"
}

# --- SPARK_HOME ----------------------------------------------------------------------------------
# A Spark "distribution" made of what Maven already brought: jars/ links the ETL's runtime jars
# except the application's own (APP_JAR_PATTERN), conf/ and bin/ come from scripts/cluster/spark-home.
build_spark_home() {
  local lib="$ROOT/etl-pipeline/target/lib" jar count=0
  [ -d "$lib" ] || fail "$lib is missing; build first (mvn -B package -DskipTests)"
  rm -rf "$SPARK_HOME"
  mkdir -p "$SPARK_HOME/jars" "$SPARK_HOME/work"
  cp -R "$ROOT/scripts/cluster/spark-home/bin" "$ROOT/scripts/cluster/spark-home/conf" "$SPARK_HOME/"
  for jar in "$lib"/*.jar; do
    case "$(basename "$jar")" in picocli-*) continue ;; esac
    if ! basename "$jar" | grep -qE "$APP_JAR_PATTERN"; then
      ln -s "$jar" "$SPARK_HOME/jars/"
      count=$((count + 1))
    fi
  done
  printf 'Spark %s built from etl-pipeline/target/lib by scripts/cluster (not an Apache release)\n' \
    "$(basename "$SPARK_HOME"/jars/spark-core_*.jar .jar | sed 's/.*-//')" > "$SPARK_HOME/RELEASE"
  info "SPARK_HOME $SPARK_HOME: $count jars linked from $lib"
}

# The --jars list of docs/etl-spark-cluster.md, comma-separated.
etl_app_jars() {
  find "$ROOT/etl-pipeline/target/lib" -maxdepth 1 -name '*.jar' -printf '%f\n' | grep -E "$APP_JAR_PATTERN" | sort \
    | sed "s#^#$ROOT/etl-pipeline/target/lib/#" | paste -sd, -
}

# --- HDFS ----------------------------------------------------------------------------------------
start_hdfs() {
  require_free_port hdfs "$HDFS_PORT"
  require_free_port hdfs-http "$HDFS_HTTP_PORT"
  spawn hdfs java -Xmx384m -cp "$(module_classpath cluster-kit)" org.iotpipeline.cluster.HdfsMain \
    "$CLUSTER_DATA_DIR/hdfs" "$HDFS_PORT" "$HDFS_HTTP_PORT"
  await_ready hdfs 'READY: HDFS on' 180
}

# --- Kafka ---------------------------------------------------------------------------------------
kafka_classpath() { module_classpath local-kafka; }

# kafka_properties NODE: server.properties of one combined broker + controller.
write_kafka_properties() {
  local node="$1" dir="$CLUSTER_DATA_DIR/kafka-$1"
  mkdir -p "$CONF_DIR" "$dir"
  cat > "$CONF_DIR/kafka-$node.properties" <<EOF
# Broker $node of the local cluster (written by scripts/cluster/lib.sh).
process.roles=broker,controller
node.id=$node
controller.quorum.voters=$VOTERS
listeners=PLAINTEXT://127.0.0.1:$(kafka_port "$node"),CONTROLLER://127.0.0.1:$(kafka_controller_port "$node")
advertised.listeners=PLAINTEXT://127.0.0.1:$(kafka_port "$node")
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$dir
# Every topic, the internal ones and those created on demand (the ETL's heartbeat topic), has three
# replicas and needs two in sync: one broker may die without losing an acknowledged record.
default.replication.factor=3
min.insync.replicas=2
offsets.topic.replication.factor=3
transaction.state.log.replication.factor=3
transaction.state.log.min.isr=2
share.coordinator.state.topic.replication.factor=3
share.coordinator.state.topic.min.isr=2
unclean.leader.election.enable=false
num.partitions=1
group.initial.rebalance.delay.ms=0
log.retention.hours=168
# A broker that stops heartbeating is fenced after this long and its partitions get new leaders
# (Kafka's default is 9 s; the gateway's send timeout is 10 s).
broker.session.timeout.ms=6000
broker.heartbeat.interval.ms=1000
EOF
}

format_kafka() { # format_kafka NODE CLUSTER_ID: formats the node's storage on its first start only
  local node="$1" id="$2"
  [ -f "$CLUSTER_DATA_DIR/kafka-$node/meta.properties" ] && return 0
  java -Xmx128m -cp "$(kafka_classpath)" kafka.tools.StorageTool format -t "$id" -c "$CONF_DIR/kafka-$node.properties" \
    > "$LOG_DIR/kafka-$node-format.log" 2>&1 \
    || { cat "$LOG_DIR/kafka-$node-format.log" >&2; fail "formatting the storage of kafka-$node failed"; }
}

start_kafka_node() { # start_kafka_node NODE: starts one broker without waiting for the quorum
  local node="$1"
  require_free_port "kafka-$node" "$(kafka_port "$node")"
  require_free_port "kafka-$node controller" "$(kafka_controller_port "$node")"
  write_kafka_properties "$node"
  spawn "kafka-$node" java -Xmx384m -cp "$(kafka_classpath)" kafka.Kafka "$CONF_DIR/kafka-$node.properties"
}

start_kafka() {
  mkdir -p "$LOG_DIR"
  local id_file="$CLUSTER_DATA_DIR/kafka-cluster-id" node
  if [ ! -f "$id_file" ]; then
    java -Xmx128m -cp "$(kafka_classpath)" kafka.tools.StorageTool random-uuid > "$id_file.tmp" 2> "$LOG_DIR/kafka-format.log" \
      || fail "could not create a Kafka cluster id (see $LOG_DIR/kafka-format.log)"
    mv "$id_file.tmp" "$id_file"
  fi
  local formats=""
  for node in $KAFKA_NODES; do
    write_kafka_properties "$node"
    format_kafka "$node" "$(cat "$id_file")" & formats="$formats $!"
  done
  for node in $formats; do wait "$node" || fail "formatting the Kafka storage failed (logs: $LOG_DIR/kafka-*-format.log)"; done
  for node in $KAFKA_NODES; do start_kafka_node "$node"; done
  kafka_tool await-brokers "$BOOTSTRAP" 3 120 || fail "the three Kafka brokers did not form a cluster (logs: $LOG_DIR/kafka-*.log)"
  kafka_tool create-topic "$BOOTSTRAP" "$TOPIC" "$TOPIC_PARTITIONS" "$TOPIC_REPLICATION" "$TOPIC_MIN_ISR" \
    || fail "could not create topic $TOPIC"
  kafka_tool await-leaders "$BOOTSTRAP" "$TOPIC" "$TOPIC_REPLICATION" 60 || fail "topic $TOPIC is not fully replicated"
}

# --- Spark standalone ----------------------------------------------------------------------------
spark_daemon() { # spark_daemon NAME HEAP MAIN ARGS...: a master or worker JVM from SPARK_HOME
  local name="$1" heap="$2" main="$3"
  shift 3
  # shellcheck disable=SC2086  # SPARK_JVM_OPTS is a list of options
  spawn "$name" java "-Xmx$heap" $SPARK_JVM_OPTS -cp "$SPARK_HOME/conf:$SPARK_HOME/jars/*" "$main" "$@"
}

start_spark_master() {
  require_free_port spark-master "$SPARK_MASTER_PORT"
  require_free_port spark-master-ui "$SPARK_MASTER_UI_PORT"
  spark_daemon spark-master 256m org.apache.spark.deploy.master.Master \
    --host 127.0.0.1 --port "$SPARK_MASTER_PORT" --webui-port "$SPARK_MASTER_UI_PORT"
  await_ready spark-master 'I have been elected leader' 90
}

start_spark_worker() { # start_spark_worker N
  local n="$1" ui=$(( SPARK_WORKER_FIRST_UI_PORT + $1 - 1 ))
  require_free_port "spark-worker-$n-ui" "$ui"
  mkdir -p "$CLUSTER_DATA_DIR/spark-work-$n"
  spark_daemon "spark-worker-$n" 256m org.apache.spark.deploy.worker.Worker \
    --host 127.0.0.1 --cores "$SPARK_WORKER_CORES" --memory "$SPARK_WORKER_MEMORY" \
    --work-dir "$CLUSTER_DATA_DIR/spark-work-$n" --webui-port "$ui" "$SPARK_MASTER_URL"
  await_ready "spark-worker-$n" 'Successfully registered with master' 90
}

start_spark() {
  build_spark_home
  start_spark_master
  local n
  for n in $SPARK_WORKERS; do start_spark_worker "$n"; done
}

# master_json: the master's state (workers, applications, cores) as JSON.
master_json() { curl -sf "http://127.0.0.1:$SPARK_MASTER_UI_PORT/json/"; }

# --- Services ------------------------------------------------------------------------------------
start_gateway() {
  # -Diot.cluster.dir marks the JVM as this cluster's (stop_leftovers); the last -Xmx wins.
  GATEWAY_JAVA_OPTS="-Xmx256m -Diot.cluster.dir=$CLUSTER_DATA_DIR/ ${GATEWAY_JAVA_OPTS:-}" "$ROOT/scripts/start-gateway.sh"
}

# The ETL exactly as docs/etl-spark-cluster.md submits it: client deploy mode, the driver is this
# process; --jars names what a distribution lacks. ETL_SUBMIT_OPTS adds spark-submit options and
# ETL_DRIVER_JAVA_OPTS driver JVM options (e.g. -Detl-pipeline.window=1m).
start_etl() {
  require_free_port etl "$ETL_ADMIN_PORT"
  local jars
  jars="$(etl_app_jars)"
  # shellcheck disable=SC2086  # ETL_SUBMIT_OPTS is a list of options
  spawn etl "$SPARK_HOME/bin/spark-submit" \
    --class org.iotpipeline.etl.EtlMain \
    --master "$SPARK_MASTER_URL" --deploy-mode client \
    --name iot-etl \
    --jars "$jars" \
    --driver-memory "${ETL_DRIVER_MEMORY:-768m}" \
    --executor-memory "$SPARK_EXECUTOR_MEMORY" --executor-cores 1 --total-executor-cores 2 \
    --conf spark.sql.shuffle.partitions=4 \
    --conf "spark.executor.extraJavaOptions=$SPARK_JVM_OPTS" \
    --conf spark.driver.host=127.0.0.1 \
    --conf spark.ui.enabled=false \
    ${ETL_SUBMIT_OPTS:-} \
    --driver-java-options "-Detl-pipeline.admin.port=$ETL_ADMIN_PORT ${ETL_DRIVER_JAVA_OPTS:-}" \
    "$ROOT/etl-pipeline/target/etl-pipeline.jar"
  await_ready etl 'READY: ETL' 300
}

# The query server as its own application on the same master (docs/operations.md: SPARK_MASTER and
# the server is the driver); its Spark settings come from a configuration file.
write_query_server_conf() {
  mkdir -p "$CONF_DIR"
  cat > "$CONF_DIR/query-server.conf" <<EOF
# The query server on the local cluster (written by scripts/cluster/lib.sh).
include classpath("application.conf")
query-server.spark {
  "spark.master" = "$SPARK_MASTER_URL"
  "spark.app.name" = "query-server"
  # Executors run our classes too: the server's jar and the store model, shipped by the driver.
  "spark.jars" = "$ROOT/query-server/target/query-server.jar,$(ls "$ROOT"/query-server/target/lib/common-model-*.jar)"
  "spark.executor.memory" = "$SPARK_EXECUTOR_MEMORY"
  "spark.executor.cores" = 1
  "spark.cores.max" = 2
  "spark.executor.extraJavaOptions" = "$SPARK_JVM_OPTS"
  "spark.driver.host" = "127.0.0.1"
}
EOF
}

start_query_server() {
  write_query_server_conf
  QUERY_SERVER_JAVA_OPTS="-Xmx512m -Dconfig.file=$CONF_DIR/query-server.conf ${QUERY_SERVER_JAVA_OPTS:-}" \
    "$ROOT/scripts/start-query-server.sh"
}

# --- Whole cluster -------------------------------------------------------------------------------
ALL_PARTS="hdfs kafka spark gateway etl query-server"

start_part() {
  case "$1" in
    hdfs) start_hdfs ;;
    kafka) start_kafka ;;
    spark) start_spark ;;
    gateway) start_gateway ;;
    etl) start_etl ;;
    query-server) start_query_server ;;
    *) fail "unknown part $1 (one of: $ALL_PARTS)" ;;
  esac
}

# Every process name, downstream first: the order to stop in.
ALL_PROCESSES="query-server etl gateway spark-worker-2 spark-worker-1 spark-master kafka-3 kafka-2 kafka-1 hdfs"

# stop_together TIMEOUT_S NAME...: SIGTERM to all at once, then waits for each (SIGKILL past the
# timeout). The brokers stop together: a broker that is the last of its controller quorum cannot
# finish a controlled shutdown and would wait for the others forever.
stop_together() {
  local timeout="$1" name pid pids="" deadline
  shift
  for name in "$@"; do
    if pid="$(running_pid "$name")"; then
      info "Stopping $name (pid $pid)..."
      kill -TERM "$pid" 2>/dev/null || true
      pids="$pids $name:$pid"
    fi
  done
  deadline=$(( $(date +%s) + timeout ))
  for entry in $pids; do
    name="${entry%%:*}" pid="${entry#*:}"
    while kill -0 "$pid" 2>/dev/null; do
      if [ "$(date +%s)" -ge "$deadline" ]; then
        info "WARNING: $name did not stop within $timeout s; killing it (see $LOG_DIR/$name.log)"
        kill -KILL "$pid" 2>/dev/null || true
        break
      fi
      sleep 0.2
    done
    rm -f "$(pid_file "$name")"
    info "$name stopped"
  done
}

stop_cluster() {
  local name
  for name in query-server etl gateway; do
    if running_pid "$name" >/dev/null; then stop_service "$name" 90; fi
  done
  # A worker that stops kills its executors.
  stop_together 60 spark-worker-1 spark-worker-2
  stop_together 30 spark-master
  stop_together 60 kafka-1 kafka-2 kafka-3
  stop_together 60 hdfs
  stop_leftovers
}

# cluster_pids: every live process whose command line names this cluster's data directory — all of
# them do (classpath under SPARK_HOME, a config file under CONF_DIR, or -Diot.cluster.dir): executors
# and supervised children have no pid file, and a kill -9 of a worker orphans its executors.
cluster_pids() {
  local pid
  for pid in $(pgrep -f -- "$CLUSTER_DATA_DIR/" || true); do
    # Not this shell, and not a shell running a script of ours (the drills themselves).
    [ "$pid" = "$$" ] && continue
    case "$(ps -o comm= -p "$pid" 2>/dev/null)" in java) printf '%s\n' "$pid" ;; esac
  done
}

# stop_leftovers: SIGTERM, then SIGKILL after 20 s, to any cluster JVM the pid files did not name;
# a stop must leave nothing behind, also after a failed drill.
stop_leftovers() {
  local pids deadline
  pids="$(cluster_pids | tr '\n' ' ')"
  [ -n "${pids// /}" ] || return 0
  info "WARNING: cluster processes without a pid file: $pids; stopping them"
  # shellcheck disable=SC2086  # a list of pids
  kill -TERM $pids 2>/dev/null || true
  deadline=$(( $(date +%s) + 20 ))
  while [ -n "$(cluster_pids)" ] && [ "$(date +%s)" -lt "$deadline" ]; do sleep 0.2; done
  pids="$(cluster_pids | tr '\n' ' ')"
  if [ -n "${pids// /}" ]; then
    info "WARNING: killing $pids (did not stop within 20 s)"
    # shellcheck disable=SC2086
    kill -KILL $pids 2>/dev/null || true
  fi
}

# hdfs_shell ARGS...: Hadoop's FsShell (what "hdfs dfs" runs) against the cluster's HDFS, e.g.
# hdfs_shell -ls -R /iot. Its client configuration is a core-site.xml in CONF_DIR, as on any Hadoop
# client (FsShell refuses to run without one).
hdfs_shell() {
  mkdir -p "$CONF_DIR"
  printf '<configuration>\n  <property><name>fs.defaultFS</name><value>%s</value></property>\n</configuration>\n' \
    "$HDFS_URI" > "$CONF_DIR/core-site.xml"
  java -Xmx128m -cp "$CONF_DIR:$(module_classpath cluster-kit)" org.apache.hadoop.fs.FsShell "$@"
}
