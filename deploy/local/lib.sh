# shellcheck shell=bash disable=SC2034  # the variables are used by the scripts that source this file
# Shared by up.sh, down.sh and new-account.sh: paths, logging, and the bookkeeping of the processes the local
# run starts. Source it; it does not run anything by itself.

LOCAL_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$LOCAL_DIR/../.." && pwd)
RUN_DIR="$LOCAL_DIR/.run"
LOG_DIR="$RUN_DIR/logs"
PID_DIR="$RUN_DIR/pids"
SECRETS_FILE="$RUN_DIR/secrets.env"
ENV_FILE="$RUN_DIR/env"
LAUNCHER_DIR="$LOCAL_DIR/launcher/target"
LAUNCHER_CLASSPATH="$LAUNCHER_DIR/local-launcher.jar:$LAUNCHER_DIR/lib/*"
PGDATA_DIR="$RUN_DIR/pgdata"
KAFKA_DIR="$RUN_DIR/kafka"

PG_PORT=${ONS_PG_PORT:-5432}
KAFKA_PORT=9092
KAFKA_CONTROLLER_PORT=9093
GATEWAY_PORT=8080

# The services in start order, with their HTTP ports.
SERVICES=(resource-service message-service trace-service stats-service gateway-service)
declare -A SERVICE_PORT=(
  [gateway-service]=8080 [resource-service]=8081 [message-service]=8082
  [trace-service]=8083 [stats-service]=8084
)

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }
warn() { printf '[%s] WARNING: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '[%s] ERROR: %s\n' "$(date +%H:%M:%S)" "$*" >&2; exit 1; }

# True when something accepts TCP connections on 127.0.0.1:$1 (pure bash: no ss/nc needed).
port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# True when $1:$2 accepts TCP connections within 5 seconds.
reachable() {
  # shellcheck disable=SC2016  # expanded by the inner bash
  timeout 5 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null
}

# Best-effort description of the process listening on port $1, for error messages.
port_owner() {
  local line=""
  if command -v ss >/dev/null 2>&1; then
    line=$(ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'users:(([^)]*))' | head -n 1 || true)
  fi
  printf '%s' "${line:-unknown process}"
}

# The command line of process $1, arguments separated by spaces (empty when it does not exist).
cmdline_of() {
  { tr '\0' ' ' <"/proc/$1/cmdline"; } 2>/dev/null || true
}

# Every Java process we start carries these two properties, so that it can be recognised even after its pid
# file is gone (and a recycled pid is never mistaken for it).
marker_args() {
  MARKER_ARGS=("-Dopenons.local.root=$REPO_ROOT" "-Dopenons.local.component=$1")
}

is_our_process() { # pid name
  local cmd
  cmd=$(cmdline_of "$1")
  [[ " $cmd " == *" -Dopenons.local.root=$REPO_ROOT "* && " $cmd " == *" -Dopenons.local.component=$2 "* ]]
}

# Prints the pid of our running component $1 and succeeds, or fails when it is not running.
running_pid() {
  local name=$1 pid="" file="$PID_DIR/$1.pid" proc
  if [[ -f $file ]]; then
    pid=$(<"$file")
    if [[ $pid =~ ^[0-9]+$ ]] && is_our_process "$pid" "$name"; then
      printf '%s' "$pid"
      return 0
    fi
  fi
  # The pid file is missing or stale: look for the process itself.
  for proc in $(grep -l -a -F -e "-Dopenons.local.component=$name" /proc/[0-9]*/cmdline 2>/dev/null || true); do
    pid=${proc#/proc/}
    pid=${pid%/cmdline}
    if is_our_process "$pid" "$name"; then
      mkdir -p "$PID_DIR"
      printf '%s\n' "$pid" >"$file"
      printf '%s' "$pid"
      return 0
    fi
  done
  rm -f "$file"
  return 1
}

# start_process NAME [VAR=value ...] -- COMMAND...
# Starts COMMAND in the background with the variables added to its environment (not to its command line, where
# any user could read secrets), output to logs/NAME.log (the previous log is kept as NAME.log.1), and records
# the pid of the process itself: the subshell execs, so $! is the pid of COMMAND, never of a wrapper.
start_process() {
  local name=$1 log_file="$LOG_DIR/$1.log"
  shift
  local -a variables=()
  while [[ $# -gt 0 && $1 != -- ]]; do
    variables+=("$1")
    shift
  done
  shift
  mkdir -p "$LOG_DIR" "$PID_DIR"
  if [[ -f $log_file ]]; then
    mv -f "$log_file" "$log_file.1"
  fi
  (
    for assignment in "${variables[@]}"; do
      export "${assignment?}"
    done
    exec 9>&- # the lock of up.sh (take_lock) must not outlive it in the started processes
    exec nohup "$@" >"$log_file" 2>&1 </dev/null
  ) &
  printf '%s\n' "$!" >"$PID_DIR/$name.pid"
}

# Waits up to $2 seconds for process $1 to end; fails when it is still alive.
wait_for_exit() {
  local pid=$1 deadline=$((SECONDS + $2))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      return 1
    fi
    sleep 0.3
  done
}

# stop_pid PID LABEL TIMEOUT [SIGNAL]: asks process PID to stop, kills it after TIMEOUT seconds.
stop_pid() {
  kill "-${4:-TERM}" "$1" 2>/dev/null || return 0
  await_stop "$1" "$2" "$3"
}

# await_stop PID LABEL TIMEOUT: waits for a process already asked to stop, kills it after TIMEOUT seconds.
await_stop() {
  local pid=$1 label=$2 timeout=$3
  if ! wait_for_exit "$pid" "$timeout"; then
    warn "$label (pid $pid) did not stop within ${timeout}s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
    wait_for_exit "$pid" 10 || warn "$label (pid $pid) survived kill -9"
  fi
}

# The PostgreSQL server of our data directory, also when its launcher is gone (it runs detached from it).
postmaster_pid() {
  local pid
  [[ -f "$PGDATA_DIR/postmaster.pid" ]] || return 1
  pid=$(head -n 1 "$PGDATA_DIR/postmaster.pid" 2>/dev/null || true)
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [[ " $(cmdline_of "$pid") " == *" -D $PGDATA_DIR "* ]] || return 1
  printf '%s' "$pid"
}

# Reads KEY's value from a KEY=value file (no sourcing: the file is data, not code).
read_setting() { # file key
  [[ -f $1 ]] || return 0
  sed -n "s/^$2=//p" "$1" | tail -n 1
}

# Random string of $1 characters from the alphabet $2 (at most 256 characters); unbiased, from /dev/urandom.
random_string() {
  local length=$1 alphabet=$2 out="" byte limit
  limit=$((256 - 256 % ${#alphabet}))
  while ((${#out} < length)); do
    for byte in $(od -An -tu1 -N64 /dev/urandom); do
      if ((byte < limit && ${#out} < length)); then
        out+=${alphabet:byte % ${#alphabet}:1}
      fi
    done
  done
  printf '%s' "$out"
}

# One up.sh or down.sh at a time (flock is part of util-linux; without it, no lock is taken).
take_lock() {
  mkdir -p "$RUN_DIR"
  command -v flock >/dev/null 2>&1 || return 0
  exec 9>"$RUN_DIR/.lock"
  flock -n 9 || die "another up.sh or down.sh is running in this directory; wait for it to finish"
}
