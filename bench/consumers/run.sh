#!/usr/bin/env bash
# Consumer benchmark (issue 4). Prints:
#   - OnsConsumerAccumulate latency (p50/p90/p99/max; target p99 <= 50 ms) for an HTTP group subscribed to 20 topics
#     with a backlog of 1,000,000 messages (loaded by a plain Kafka producer, indexed by message-service), Detail=false
#     and true, through the gateway with the official ONS SDK, then directly on message-service's internal API; the
#     answer's TotalDiff must equal the backlog;
#   - redelivery timing error: for each redelivery of an unacked message, the time the consumer (official MQ HTTP SDK)
#     received it again minus the NextConsumeTime its previous delivery announced (target p99 <= 1 s).
# The whole suite is started by the e2e Suite (five service processes, PostgreSQL and Kafka from test-support: IT_INFRA=auto
# picks containers when Docker answers, else an embedded PostgreSQL (fsync off) and an in-JVM Kafka broker; IT_INFRA=local
# uses servers already running, see test-support's InfraMode).
#
# Usage: bench/consumers/run.sh   (MESSAGES=1000000 CALLS=500 WARMUP_CALLS=1000 REDELIVERIES=300 ROUNDS=3 RETRY_MS=2000
#                                  CONSUMERS=4 WAIT_SECONDS=3 IT_INFRA=auto SKIP_BUILD=1 to reuse jars)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
if command -v mvn >/dev/null 2>&1; then MVN=${MVN:-mvn}; else MVN=${MVN:-./mvnw}; fi
OUT="$ROOT/e2e-tests/target/consumer-bench.txt"
rm -f "$OUT"

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "Building the service jars (mvn package -DskipTests)..."
  $MVN -B -q -DskipTests package
fi

echo "Running the consumer benchmark (suite logs: e2e-tests/target/suite-logs/)..."
$MVN -B -q -pl e2e-tests -am test \
  -Dtest=ConsumerBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.infra="${IT_INFRA:-auto}" -De2e.observability=defaults \
  -Dbench.messages="${MESSAGES:-1000000}" -Dbench.calls="${CALLS:-500}" -Dbench.warmupCalls="${WARMUP_CALLS:-1000}" \
  -Dbench.redeliveries="${REDELIVERIES:-300}" -Dbench.rounds="${ROUNDS:-3}" -Dbench.retryMillis="${RETRY_MS:-2000}" \
  -Dbench.consumers="${CONSUMERS:-4}" -Dbench.waitSeconds="${WAIT_SECONDS:-3}" \
  -Dbench.out="$OUT" > "$ROOT/e2e-tests/target/consumer-bench.log" 2>&1 || {
    echo "The benchmark failed; see e2e-tests/target/consumer-bench.log" >&2
    tail -40 "$ROOT/e2e-tests/target/consumer-bench.log" >&2
    [ -f "$OUT" ] && cat "$OUT" >&2
    exit 1
  }
echo
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load before/after: $(cut -d' ' -f1-3 /proc/loadavg)"
cat "$OUT"
