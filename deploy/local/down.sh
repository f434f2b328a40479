#!/usr/bin/env bash
# Stops what deploy/local/up.sh started: the services, then Kafka, then PostgreSQL. See --help.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  cat <<EOF
Usage: deploy/local/down.sh

Stops what deploy/local/up.sh started on this machine, gracefully (SIGTERM) and with kill -9 after a timeout:
the five services first, then the Kafka broker, then the embedded PostgreSQL. External PostgreSQL and Kafka
are never touched. Data stays in deploy/local/.run (pgdata, kafka), so up.sh starts again where you left off;
remove deploy/local/.run to start from scratch (after down.sh).

Environment: ONS_STOP_TIMEOUT   seconds to wait for each component before kill -9 (default 30; Kafka gets 60)
EOF
}

case "${1:-}" in
  -h | --help) usage; exit 0 ;;
  "") ;;
  *) usage >&2; exit 2 ;;
esac

STOP_TIMEOUT=${ONS_STOP_TIMEOUT:-30}

stop_component() { # name timeout
  local name=$1 pid
  if pid=$(running_pid "$name"); then
    log "$name: stopping (pid $pid)"
    stop_pid "$pid" "$name" "$2"
    log "$name: stopped"
  else
    log "$name: not running"
  fi
  rm -f "$PID_DIR/$name.pid"
}

main() {
  local name pid pids=() names=()
  take_lock
  # The services stop independently of each other: signal them all, then wait.
  for ((i = ${#SERVICES[@]} - 1; i >= 0; i--)); do
    name=${SERVICES[i]}
    if pid=$(running_pid "$name"); then
      log "$name: stopping (pid $pid)"
      kill -TERM "$pid" 2>/dev/null || true
      pids+=("$pid") names+=("$name")
    else
      log "$name: not running"
    fi
  done
  for i in "${!pids[@]}"; do
    await_stop "${pids[i]}" "${names[i]}" "$STOP_TIMEOUT"
    rm -f "$PID_DIR/${names[i]}.pid"
    log "${names[i]}: stopped"
  done

  stop_component kafka $((STOP_TIMEOUT * 2))
  stop_component postgres "$STOP_TIMEOUT"
  # The PostgreSQL server runs detached from its launcher: after a hard kill of the launcher it is still there.
  if pid=$(postmaster_pid); then
    log "PostgreSQL server: stopping (pid $pid, left without its launcher)"
    stop_pid "$pid" "PostgreSQL server" "$STOP_TIMEOUT" INT
  fi
  log "Everything is stopped; the data stays in ${RUN_DIR#"$REPO_ROOT"/}"
}

main
