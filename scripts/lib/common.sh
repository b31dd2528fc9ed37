#!/usr/bin/env bash
# Shared by every start/stop script: where things live, build-on-demand, and starting and stopping
# a service JVM in the background with a pid file and a log. Source it; do not run it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DATA_DIR="${IOT_DATA_DIR:-$ROOT/data}"
LOG_DIR="$DATA_DIR/logs"
RUN_DIR="$DATA_DIR/run"
# The store and the broker's data follow IOT_DATA_DIR, so one variable moves a whole system.
export KAFKA_DATA_DIR="${KAFKA_DATA_DIR:-$DATA_DIR/kafka}"
export STAGING_PATH="${STAGING_PATH:-$DATA_DIR/staging/measurements}"
export WAREHOUSE_PATH="${WAREHOUSE_PATH:-$DATA_DIR/warehouse/measurements}"
export LIVE_PATH="${LIVE_PATH:-$DATA_DIR/live}"
# Clients find the broker the scripts start, wherever KAFKA_HOST/KAFKA_PORT put it.
export KAFKA_BOOTSTRAP_SERVERS="${KAFKA_BOOTSTRAP_SERVERS:-${KAFKA_HOST:-127.0.0.1}:${KAFKA_PORT:-9092}}"
# Spark's own JVM option list (the same as spark.jvm.options in pom.xml); every JVM that may
# create a SparkSession needs it on Java 17.
SPARK_JVM_OPTS="$(tr '\n' ' ' < "$ROOT/scripts/lib/spark-jvm-options")"
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"

info() { printf '%s\n' "$*"; }
fail() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

require_java() {
  command -v java >/dev/null 2>&1 || fail "java not found on PATH. Install a JDK 17 (e.g. 'apt-get install openjdk-17-jdk') and try again."
  local version
  version="$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')"
  [ "${version%%.*}" -ge 17 ] 2>/dev/null || fail "Java 17 or newer is required, found Java ${version:-unknown} at $(command -v java). Set JAVA_HOME/PATH to a JDK 17."
}

require_maven() {
  command -v mvn >/dev/null 2>&1 || fail "mvn not found on PATH. Install Maven 3.8+ (e.g. 'apt-get install maven') and try again."
}

# staleness MODULE: prints why MODULE needs building (nothing if its jar is newer than every
# source file it is made from).
staleness() {
  local module="$1"
  local jar="$ROOT/$module/target/$module.jar"
  if [ ! -f "$jar" ] || [ ! -d "$ROOT/$module/target/lib" ]; then
    printf 'not built yet'
  elif [ -n "$(find "$ROOT/pom.xml" "$ROOT/$module/pom.xml" "$ROOT/$module/src/main" "$ROOT/common-model/src/main" "$ROOT/docs/openapi" -newer "$jar" -type f -print -quit 2>/dev/null)" ]; then
    printf 'sources changed'
  fi
}

# ensure_built MODULE...: builds the given modules (and the modules they need) in one Maven run
# unless each is up to date.
ensure_built() {
  local module stale="" modules=""
  for module in "$@"; do
    if [ -n "$(staleness "$module")" ]; then
      stale="$stale $module ($(staleness "$module"))"
      modules="${modules:+$modules,}$module"
    fi
  done
  [ -n "$modules" ] || return 0
  require_maven
  info "Building$stale; the first build downloads the dependencies (~550 MB from Maven Central) and takes a few minutes..."
  # -DskipTests, not -Dmaven.test.skip: the modules' test scope needs common-model's test jar
  # (ReferenceConfig), which maven.test.skip would not build, so dependency resolution would fail.
  (cd "$ROOT" && mvn -B -q -Dstyle.color=never -DskipTests package -pl "$modules" -am) \
    || fail "the build failed; run 'mvn -B package -DskipTests -pl $modules -am' to see why."
  # The jar plugin leaves a jar whose classes did not change untouched (e.g. after a change in
  # common-model only), which would make the check above rebuild on every start.
  for module in ${modules//,/ }; do touch "$ROOT/$module/target/$module.jar"; done
}

module_classpath() {
  local module="$1"
  printf '%s' "$ROOT/$module/target/$module.jar:$ROOT/$module/target/lib/*"
}

pid_file() { printf '%s' "$RUN_DIR/$1.pid"; }

# running_pid NAME: prints the pid of NAME if its pid file names a live process.
running_pid() {
  local file pid
  file="$(pid_file "$1")"
  [ -f "$file" ] || return 1
  pid="$(cat "$file")"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    printf '%s' "$pid"
    return 0
  fi
  rm -f "$file"
  return 1
}

port_in_use() {
  local host="$1" port="$2"
  (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null
}

# start_service NAME MODULE MAIN_CLASS READY_REGEX HOST PORT TIMEOUT_S [JVM options...]
# Starts MAIN_CLASS in the background from the repository root, logging to data/logs/NAME.log,
# and waits until the log shows READY_REGEX. Extra JVM options come from $NAME_JAVA_OPTS too.
# SUPERVISED=1: run it under scripts/lib/supervise.sh, which restarts it when it dies.
start_service() {
  local name="$1" module="$2" main="$3" ready="$4" host="$5" port="$6" timeout="$7"
  shift 7
  local pid
  if pid="$(running_pid "$name")"; then
    info "$name is already running (pid $pid); stop it with scripts/stop-$name.sh"
    return 0
  fi
  if port_in_use "$host" "$port"; then
    fail "port $port on $host is already in use by another process, so $name cannot start. Stop that process (e.g. 'ss -ltnp | grep :$port') or configure another port (see $module/README.md)."
  fi
  require_java
  ensure_built "$module"
  mkdir -p "$LOG_DIR" "$RUN_DIR"
  local log="$LOG_DIR/$name.log"
  local from=1
  [ -f "$log" ] && from=$(( $(wc -l < "$log") + 1 ))
  local extra_var
  extra_var="$(printf '%s_JAVA_OPTS' "$name" | tr 'a-z-' 'A-Z_')"
  # With SUPERVISED=1 the pid file names scripts/lib/supervise.sh, which restarts a JVM that died.
  local supervisor=()
  [ "${SUPERVISED:-0}" = 1 ] && supervisor=("$ROOT/scripts/lib/supervise.sh" "$name")
  # shellcheck disable=SC2086
  (cd "$ROOT" && exec nohup "${supervisor[@]+"${supervisor[@]}"}" java "$@" ${!extra_var:-} -cp "$(module_classpath "$module")" "$main" >> "$log" 2>&1 < /dev/null) &
  pid=$!
  echo "$pid" > "$(pid_file "$name")"
  info "Starting $name (pid $pid, log $log)..."
  local waited=0
  while ! tail -n "+$from" "$log" 2>/dev/null | grep -qE "$ready"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$(pid_file "$name")"
      printf 'ERROR: %s exited during start-up. Last lines of %s:\n' "$name" "$log" >&2
      tail -n 25 "$log" >&2
      exit 1
    fi
    if [ "$waited" -ge "$((timeout * 5))" ]; then
      printf 'ERROR: %s did not become ready within %s s (still running as pid %s). Last lines of %s:\n' "$name" "$timeout" "$pid" "$log" >&2
      tail -n 25 "$log" >&2
      exit 1
    fi
    sleep 0.2
    waited=$((waited + 1))
  done
  info "$name is ready on $host:$port"
}

# stop_service NAME [TIMEOUT_S]: SIGTERM, wait for a clean exit, SIGKILL only as a last resort.
stop_service() {
  local name="$1" timeout="${2:-60}"
  local pid
  if ! pid="$(running_pid "$name")"; then
    info "$name is not running"
    return 0
  fi
  info "Stopping $name (pid $pid)..."
  kill -TERM "$pid"
  local waited=0
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$waited" -ge "$((timeout * 5))" ]; then
      info "WARNING: $name did not stop within $timeout s; killing it (see $LOG_DIR/$name.log)"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.2
    waited=$((waited + 1))
  done
  rm -f "$(pid_file "$name")"
  info "$name stopped"
}
