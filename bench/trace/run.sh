#!/usr/bin/env bash
# Trace benchmark (issue 5). Prints:
#   - trace-event ingestion: lifecycle events produced straight to Kafka at full speed, stored by trace-service (events/s;
#     target >= 10,000);
#   - create-to-finish latency of single-message trace jobs (p50/p90/p99; target p99 <= 500 ms), through the gateway with
#     the official ONS SDK, then directly on trace-service's internal API.
# The whole suite is started by the e2e Suite (five service processes, PostgreSQL and Kafka from test-support: IT_INFRA=auto
# picks containers when Docker answers, else an embedded PostgreSQL (fsync off) and an in-JVM Kafka broker; IT_INFRA=local
# uses servers already running, see test-support's InfraMode).
#
# Usage: bench/trace/run.sh            (EVENTS=500000 JOBS=500 WARMUP_JOBS=100 IT_INFRA=auto SKIP_BUILD=1 to reuse jars)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
if command -v mvn >/dev/null 2>&1; then MVN=${MVN:-mvn}; else MVN=${MVN:-./mvnw}; fi
OUT="$ROOT/e2e-tests/target/trace-bench.txt"
rm -f "$OUT"

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "Building the service jars (mvn package -DskipTests)..."
  $MVN -B -q -DskipTests package
fi

echo "Running the trace benchmark (suite logs: e2e-tests/target/suite-logs/)..."
$MVN -B -q -pl e2e-tests -am test \
  -Dtest=TraceBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.infra="${IT_INFRA:-auto}" -De2e.observability=defaults \
  -Dbench.events="${EVENTS:-500000}" -Dbench.jobs="${JOBS:-500}" -Dbench.warmupJobs="${WARMUP_JOBS:-100}" \
  -Dbench.out="$OUT" > "$ROOT/e2e-tests/target/trace-bench.log" 2>&1 || {
    echo "The benchmark failed; see e2e-tests/target/trace-bench.log" >&2
    tail -40 "$ROOT/e2e-tests/target/trace-bench.log" >&2
    exit 1
  }
echo
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load before/after: $(cut -d' ' -f1-3 /proc/loadavg)"
cat "$OUT"
