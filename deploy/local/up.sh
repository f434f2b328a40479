#!/usr/bin/env bash
# Starts the whole OpenONS suite on this machine: PostgreSQL, Kafka and the five services. See --help.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  cat <<EOF
Usage: deploy/local/up.sh

Starts OpenONS on this machine, needing nothing but a JDK 17 (and Maven Central for the first build):
  - PostgreSQL: embedded (real PostgreSQL binaries from Maven Central), data in deploy/local/.run/pgdata,
    port ${PG_PORT}; or an external one when ONS_DB_URL is set;
  - Kafka: a single-node KRaft broker on 127.0.0.1:${KAFKA_PORT} (controller ${KAFKA_CONTROLLER_PORT}), data in
    deploy/local/.run/kafka; or an external one when ONS_KAFKA_BOOTSTRAP is set;
  - gateway-service (8080), resource-service (8081), message-service (8082), trace-service (8083),
    stats-service (8084), built first with ./mvnw.
Then it waits until every service is ready and prints the endpoint and the bootstrap access key, also written
to deploy/local/.run/env (ONS_ENDPOINT, ONS_ACCESS_KEY_ID, ONS_ACCESS_KEY_SECRET, ONS_ACCOUNT_ID,
ONS_ADMIN_TOKEN). Running it again leaves running components alone; state survives down.sh and up.sh.

Environment (all optional):
  ONS_DB_URL, ONS_DB_USER, ONS_DB_PASSWORD   external PostgreSQL (JDBC URL; user/password default openons)
  ONS_PG_PORT                                port of the embedded PostgreSQL (default 5432)
  ONS_KAFKA_BOOTSTRAP                        external Kafka bootstrap servers (host:port,...)
  ONS_SKIP_BUILD=1                           do not run ./mvnw package (the jars must exist)
  ONS_START_TIMEOUT                          seconds to wait for the services (default 240)
  ONS_SERVICE_JAVA_OPTS                      JVM options of each service (default -Xmx256m -XX:+UseParallelGC,
                                             the collector of the container images)
  ONS_KEY_ENCRYPTION_KEY, ONS_ADMIN_TOKEN, ONS_BOOTSTRAP_ACCOUNT_ID, ONS_BOOTSTRAP_ACCESS_KEY_ID,
  ONS_BOOTSTRAP_ACCESS_KEY_SECRET            override the values generated once in deploy/local/.run/secrets.env

Logs: deploy/local/.run/logs/<name>.log; stop everything with deploy/local/down.sh.
EOF
}

case "${1:-}" in
  -h | --help) usage; exit 0 ;;
  "") ;;
  *) usage >&2; exit 2 ;;
esac

START_TIMEOUT=${ONS_START_TIMEOUT:-240}
read -r -a SERVICE_JAVA_OPTS <<<"${ONS_SERVICE_JAVA_OPTS:--Xmx256m -XX:+UseParallelGC}"
EMBEDDED_PG=true
[[ -z ${ONS_DB_URL:-} ]] || EMBEDDED_PG=false
EMBEDDED_KAFKA=true
[[ -z ${ONS_KAFKA_BOOTSTRAP:-} ]] || EMBEDDED_KAFKA=false

check_java() {
  command -v java >/dev/null 2>&1 || die "java is not on the PATH: install a JDK 17 or newer"
  local version
  version=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  [[ ${version%%.*} =~ ^[0-9]+$ && ${version%%.*} -ge 17 ]] \
    || die "Java 17 or newer is required; 'java' is version ${version:-unknown}"
}

# Generated once, kept in .run/secrets.env (mode 600); a value set in the environment wins.
load_secrets() {
  local key value generated=() old_umask
  mkdir -p "$RUN_DIR"
  old_umask=$(umask)
  umask 077
  touch "$SECRETS_FILE"
  for key in ONS_KEY_ENCRYPTION_KEY ONS_ADMIN_TOKEN ONS_BOOTSTRAP_ACCOUNT_ID ONS_BOOTSTRAP_ACCESS_KEY_ID \
    ONS_BOOTSTRAP_ACCESS_KEY_SECRET; do
    value=${!key:-}
    [[ -n $value ]] || value=$(read_setting "$SECRETS_FILE" "$key")
    if [[ -z $value ]]; then
      case "$key" in
        # base64 of 32 random bytes: the AES-256 key that encrypts access-key secrets at rest.
        ONS_KEY_ENCRYPTION_KEY) value=$(head -c 32 /dev/urandom | base64 | tr -d '\n') ;;
        ONS_ADMIN_TOKEN) value=$(random_string 40 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789') ;;
        ONS_BOOTSTRAP_ACCOUNT_ID) value="1$(random_string 15 0123456789)" ;;
        ONS_BOOTSTRAP_ACCESS_KEY_ID) value="LTAI$(random_string 20 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')" ;;
        ONS_BOOTSTRAP_ACCESS_KEY_SECRET) value=$(random_string 30 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789') ;;
      esac
      printf '%s=%s\n' "$key" "$value" >>"$SECRETS_FILE"
      generated+=("$key")
    fi
    printf -v "$key" "%s" "$value"
  done
  umask "$old_umask"
  if ((${#generated[@]} > 0)); then
    log "Generated ${generated[*]} into ${SECRETS_FILE#"$REPO_ROOT"/}"
    if [[ $EMBEDDED_PG == true && -f "$PGDATA_DIR/PG_VERSION" && " ${generated[*]} " == *" ONS_KEY_ENCRYPTION_KEY "* ]]; then
      warn "the database in ${PGDATA_DIR#"$REPO_ROOT"/} was created with another key-encryption key: its stored" \
        "access keys cannot be decrypted. Remove deploy/local/.run/pgdata (and .run/kafka) to start afresh."
    fi
  fi
}

# Fails with a clear message when one of the ports is taken by a process this script did not start.
require_free_ports() { # component port...
  local component=$1 port
  shift
  for port in "$@"; do
    if port_open "$port"; then
      die "port $port, needed by $component, is in use by a process not started by up.sh ($(port_owner "$port")). Stop it or wait until it is free, then run up.sh again."
    fi
  done
}

# An external PostgreSQL or Kafka that cannot be reached is reported here, not as stack traces in five logs.
check_external() {
  local host port
  if [[ $EMBEDDED_PG == false && $ONS_DB_URL =~ ^jdbc:postgresql://([^/:,?]+)(:([0-9]+))?(/|$) ]]; then
    host=${BASH_REMATCH[1]} port=${BASH_REMATCH[3]:-5432}
    reachable "$host" "$port" || die "cannot reach PostgreSQL at $host:$port (ONS_DB_URL=$ONS_DB_URL)"
  fi
  if [[ $EMBEDDED_KAFKA == false && ${ONS_KAFKA_BOOTSTRAP%%,*} =~ ^([^:]+):([0-9]+)$ ]]; then
    host=${BASH_REMATCH[1]} port=${BASH_REMATCH[2]}
    reachable "$host" "$port" || die "cannot reach Kafka at $host:$port (ONS_KAFKA_BOOTSTRAP=$ONS_KAFKA_BOOTSTRAP)"
  fi
}

# Checks every port up front, so that a conflict stops up.sh before it has started anything.
check_ports() {
  local conflicts=() name port
  if [[ $EMBEDDED_PG == true ]] && ! running_pid postgres >/dev/null && ! postmaster_pid >/dev/null \
    && port_open "$PG_PORT"; then
    conflicts+=("$PG_PORT (PostgreSQL; set ONS_PG_PORT to use another): $(port_owner "$PG_PORT")")
  fi
  if [[ $EMBEDDED_KAFKA == true ]] && ! running_pid kafka >/dev/null; then
    for port in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
      if port_open "$port"; then
        conflicts+=("$port (Kafka): $(port_owner "$port")")
      fi
    done
  fi
  for name in "${SERVICES[@]}"; do
    port=${SERVICE_PORT[$name]}
    if ! running_pid "$name" >/dev/null && port_open "$port"; then
      conflicts+=("$port ($name): $(port_owner "$port")")
    fi
  done
  if ((${#conflicts[@]} > 0)); then
    printf '  port %s\n' "${conflicts[@]}" >&2
    die "these ports are in use by processes not started by up.sh. Stop them or wait until they are free, then run up.sh again."
  fi
}

# Runs "$@" with its output in logs/$1.log, printing a line every 15 s so a long step does not look stuck.
run_with_progress() { # name label command...
  local name=$1 label=$2 log_file="$LOG_DIR/$1.log" pid started=$SECONDS next=15
  shift 2
  mkdir -p "$LOG_DIR"
  "$@" >"$log_file" 2>&1 9>&- &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    if ((SECONDS - started >= next)); then
      log "  ... $label: $((SECONDS - started))s"
      next=$((next + 15))
    fi
  done
  if ! wait "$pid"; then
    tail -n 40 "$log_file" >&2 || true
    die "$label failed; the full output is in ${log_file#"$REPO_ROOT"/}"
  fi
}

build_suite() {
  local running=() name
  for name in "${SERVICES[@]}" postgres kafka; do
    if running_pid "$name" >/dev/null; then
      running+=("$name")
    fi
  done
  if [[ ${ONS_SKIP_BUILD:-} == 1 ]]; then
    log "Skipping the build (ONS_SKIP_BUILD=1)"
  elif ((${#running[@]} > 0)); then
    # Rewriting the jars of running JVMs could crash them.
    log "Not rebuilding: ${running[*]} already running (run down.sh first to pick up code changes)"
  else
    log "Building the suite: ./mvnw -B -q package -DskipTests (the first build downloads dependencies: minutes)"
    run_with_progress build "build" "$REPO_ROOT/mvnw" -B -q -f "$REPO_ROOT/pom.xml" package -DskipTests
    log "Build done"
  fi
  [[ -f "$LAUNCHER_DIR/local-launcher.jar" && -d "$LAUNCHER_DIR/lib" ]] \
    || die "deploy/local/launcher/target is incomplete: build the suite (run up.sh without ONS_SKIP_BUILD)"
  for name in "${SERVICES[@]}"; do
    [[ -f "$REPO_ROOT/$name/target/quarkus-app/quarkus-run.jar" ]] \
      || die "$name/target/quarkus-app/quarkus-run.jar is missing: build the suite (run up.sh without ONS_SKIP_BUILD)"
  done
}

# Reports that component $1 failed ($2 says how), with the telling lines of its log, and stops up.sh.
fail_component() { # name what
  local log_file="$LOG_DIR/$1.log" excerpt
  excerpt=$(grep -E '(^|[[:space:]])(ERROR|FATAL)[[:space:]]|^Caused by:' "$log_file" 2>/dev/null | tail -n 8 || true)
  [[ -n $excerpt ]] || excerpt=$(tail -n 20 "$log_file" 2>/dev/null || true)
  printf '%s\n' "$excerpt" | cut -c1-400 >&2
  die "$1 $2; see deploy/local/.run/logs/$1.log (what did start keeps running: fix the cause and run up.sh again, or stop it all with down.sh)"
}

# Waits until $1's log has a line matching $2, failing early when the process dies.
wait_for_log_line() { # name pattern timeout
  local name=$1 pattern=$2 deadline=$((SECONDS + $3)) pid
  pid=$(<"$PID_DIR/$name.pid")
  until grep -q -- "$pattern" "$LOG_DIR/$name.log" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      fail_component "$name" "exited while starting"
    fi
    if ((SECONDS >= deadline)); then
      fail_component "$name" "did not become ready within $3s"
    fi
    sleep 0.5
  done
}

start_postgres() {
  local pid
  if [[ $EMBEDDED_PG == false ]]; then
    log "PostgreSQL: external, ${ONS_DB_URL}"
    return
  fi
  if pid=$(running_pid postgres); then
    log "PostgreSQL: already running (pid $pid), port $PG_PORT"
    return
  fi
  # A server left behind by a launcher that was killed hard: stop it cleanly before starting again.
  if pid=$(postmaster_pid); then
    log "PostgreSQL: stopping a server left running without its launcher (pid $pid)"
    stop_pid "$pid" "PostgreSQL server" 60 INT
  fi
  require_free_ports PostgreSQL "$PG_PORT"
  log "PostgreSQL: starting on port $PG_PORT (data in ${PGDATA_DIR#"$REPO_ROOT"/})"
  marker_args postgres
  start_process postgres -- java -Xmx128m "${MARKER_ARGS[@]}" -cp "$LAUNCHER_CLASSPATH" \
    io.openons.local.LocalPostgres --data-dir "$PGDATA_DIR" --binaries-dir "$RUN_DIR/pg-binaries" --port "$PG_PORT"
  STARTED_POSTGRES=true
}

write_kafka_config() {
  mkdir -p "$KAFKA_DIR/data"
  cat >"$KAFKA_DIR/server.properties" <<EOF
# Written by deploy/local/up.sh on every start: a single-node KRaft cluster (broker and controller in one).
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KAFKA_DIR/data
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
# The services create their topics themselves.
auto.create.topics.enable=false
EOF
}

start_kafka() {
  local pid cluster_id
  if [[ $EMBEDDED_KAFKA == false ]]; then
    log "Kafka: external, ${ONS_KAFKA_BOOTSTRAP}"
    return
  fi
  if pid=$(running_pid kafka); then
    log "Kafka: already running (pid $pid), 127.0.0.1:$KAFKA_PORT"
    return
  fi
  # A second broker on the same log directory breaks the first one: never start unless both ports are free.
  require_free_ports Kafka "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"
  write_kafka_config
  if [[ ! -f "$KAFKA_DIR/data/meta.properties" ]]; then
    log "Kafka: formatting the storage in ${KAFKA_DIR#"$REPO_ROOT"/}/data"
    cluster_id=$(java -cp "$LAUNCHER_CLASSPATH" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)
    [[ $cluster_id =~ ^[A-Za-z0-9_-]{22}$ ]] || die "could not generate a Kafka cluster id (got '$cluster_id')"
    run_with_progress kafka-format "formatting Kafka storage" java -cp "$LAUNCHER_CLASSPATH" kafka.tools.StorageTool \
      format -t "$cluster_id" -c "$KAFKA_DIR/server.properties" --standalone
  fi
  log "Kafka: starting on 127.0.0.1:$KAFKA_PORT (controller $KAFKA_CONTROLLER_PORT)"
  marker_args kafka
  start_process kafka -- java -Xms256m -Xmx512m "${MARKER_ARGS[@]}" -cp "$LAUNCHER_CLASSPATH" \
    kafka.Kafka "$KAFKA_DIR/server.properties"
  STARTED_KAFKA=true
}

start_service() { # name
  local name=$1 port=${SERVICE_PORT[$1]} pid
  if pid=$(running_pid "$name"); then
    log "$name: already running (pid $pid), port $port"
    return
  fi
  require_free_ports "$name" "$port"
  local -a variables=(
    "HTTP_PORT=$port"
    "DB_URL=$DB_URL" "DB_USER=$DB_USER" "DB_PASSWORD=$DB_PASSWORD"
    "KAFKA_BOOTSTRAP_SERVERS=$KAFKA_BOOTSTRAP"
  )
  case "$name" in
    gateway-service)
      variables+=(
        "ONS_RESOURCE_SERVICE_URL=http://127.0.0.1:${SERVICE_PORT[resource-service]}"
        "ONS_MESSAGE_SERVICE_URL=http://127.0.0.1:${SERVICE_PORT[message-service]}"
        "ONS_TRACE_SERVICE_URL=http://127.0.0.1:${SERVICE_PORT[trace-service]}"
        "ONS_STATS_SERVICE_URL=http://127.0.0.1:${SERVICE_PORT[stats-service]}"
        "ONS_KEY_ENCRYPTION_KEY=$ONS_KEY_ENCRYPTION_KEY"
        "ONS_ADMIN_TOKEN=$ONS_ADMIN_TOKEN"
        "ONS_BOOTSTRAP_ACCOUNT_ID=$ONS_BOOTSTRAP_ACCOUNT_ID"
        "ONS_BOOTSTRAP_ACCESS_KEY_ID=$ONS_BOOTSTRAP_ACCESS_KEY_ID"
        "ONS_BOOTSTRAP_ACCESS_KEY_SECRET=$ONS_BOOTSTRAP_ACCESS_KEY_SECRET"
      )
      ;;
    message-service)
      # Consume TPS in OnsConsumerAccumulate/OnsConsumerStatus comes from stats-service's aggregates.
      variables+=("ONS_STATS_SERVICE_URL=http://127.0.0.1:${SERVICE_PORT[stats-service]}")
      ;;
    resource-service)
      variables+=("ONS_PUBLIC_HTTP_ENDPOINT=$ENDPOINT" "ONS_PUBLIC_KAFKA_BOOTSTRAP=$KAFKA_BOOTSTRAP")
      ;;
  esac
  log "$name: starting on port $port"
  marker_args "$name"
  start_process "$name" "${variables[@]}" -- java "${SERVICE_JAVA_OPTS[@]}" "${MARKER_ARGS[@]}" \
    -jar "$REPO_ROOT/$name/target/quarkus-app/quarkus-run.jar"
}

# True when GET /q/health/ready on 127.0.0.1:$1 answers 200 (pure bash: curl is not required).
service_ready() {
  # shellcheck disable=SC2016  # expanded by the inner bash
  timeout 5 bash -c '
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    printf "GET /q/health/ready HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n" >&3
    IFS= read -r status <&3 || exit 1
    [[ $status == "HTTP/1."?" 200"* ]]' _ "$1" 2>/dev/null
}

wait_for_services() {
  local deadline=$((SECONDS + START_TIMEOUT)) started=$SECONDS next=15 name pid
  local -a waiting=("${SERVICES[@]}") still=()
  log "Waiting for the services to be ready (up to ${START_TIMEOUT}s)"
  while ((${#waiting[@]} > 0)); do
    still=()
    for name in "${waiting[@]}"; do
      if service_ready "${SERVICE_PORT[$name]}"; then
        log "$name: ready (http://127.0.0.1:${SERVICE_PORT[$name]})"
      elif ! pid=$(running_pid "$name"); then
        fail_component "$name" "exited while starting"
      else
        still+=("$name")
      fi
    done
    waiting=("${still[@]+"${still[@]}"}")
    ((${#waiting[@]} > 0)) || break
    if ((SECONDS >= deadline)); then
      warn "not ready after ${START_TIMEOUT}s: ${waiting[*]}"
      fail_component "${waiting[0]}" "is not ready after ${START_TIMEOUT}s (ONS_START_TIMEOUT)"
    fi
    if ((SECONDS - started >= next)); then
      log "  ... still waiting for ${waiting[*]} ($((SECONDS - started))s)"
      next=$((next + 15))
    fi
    sleep 1
  done
}

write_env_file() {
  local old_umask
  old_umask=$(umask)
  umask 077
  cat >"$ENV_FILE" <<EOF
ONS_ENDPOINT=$ENDPOINT
ONS_ACCESS_KEY_ID=$ONS_BOOTSTRAP_ACCESS_KEY_ID
ONS_ACCESS_KEY_SECRET=$ONS_BOOTSTRAP_ACCESS_KEY_SECRET
ONS_ACCOUNT_ID=$ONS_BOOTSTRAP_ACCOUNT_ID
ONS_ADMIN_TOKEN=$ONS_ADMIN_TOKEN
EOF
  umask "$old_umask"
}

main() {
  trap 'echo; warn "interrupted: what was started keeps running; run up.sh again to wait for it, or down.sh to stop it"; exit 130' INT
  check_java
  mkdir -p "$RUN_DIR" "$LOG_DIR" "$PID_DIR"
  take_lock
  # Quarkus reads .env and config/ from its working directory: never pick up whatever the caller's has.
  cd "$RUN_DIR"
  load_secrets
  check_external
  check_ports
  build_suite

  ENDPOINT="http://127.0.0.1:$GATEWAY_PORT"
  if [[ $EMBEDDED_PG == true ]]; then
    DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/openons" DB_USER=openons DB_PASSWORD=openons
  else
    DB_URL=$ONS_DB_URL DB_USER=${ONS_DB_USER:-openons} DB_PASSWORD=${ONS_DB_PASSWORD:-openons}
  fi
  KAFKA_BOOTSTRAP=${ONS_KAFKA_BOOTSTRAP:-127.0.0.1:$KAFKA_PORT}

  STARTED_POSTGRES=false STARTED_KAFKA=false
  start_postgres
  start_kafka
  if [[ $STARTED_POSTGRES == true ]]; then
    wait_for_log_line postgres "LocalPostgres: ready" 180
    log "PostgreSQL: ready on port $PG_PORT"
  fi
  if [[ $STARTED_KAFKA == true ]]; then
    wait_for_log_line kafka "Kafka Server started" 120
    log "Kafka: ready on 127.0.0.1:$KAFKA_PORT"
  fi

  local name
  for name in "${SERVICES[@]}"; do
    start_service "$name"
  done
  wait_for_services
  write_env_file

  cat <<EOF

OpenONS is running. Endpoint and bootstrap access key (also in deploy/local/.run/env):

ONS_ENDPOINT=$ENDPOINT
ONS_ACCESS_KEY_ID=$ONS_BOOTSTRAP_ACCESS_KEY_ID
ONS_ACCESS_KEY_SECRET=$ONS_BOOTSTRAP_ACCESS_KEY_SECRET
ONS_ACCOUNT_ID=$ONS_BOOTSTRAP_ACCOUNT_ID

  use them:         set -a; source deploy/local/.run/env; set +a
  another account:  deploy/local/new-account.sh [name]
  admin commands:   deploy/ons-admin.sh --help
  logs:             deploy/local/.run/logs/
  stop:             deploy/local/down.sh
EOF
}

main
