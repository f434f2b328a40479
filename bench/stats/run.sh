#!/usr/bin/env bash
# Issue 6's benchmark: aggregation rate of lifecycle events produced straight to Kafka, event-to-visible latency,
# and a 24-hour 1-minute trend query through the gateway with the official ONS SDK — the whole suite running on
# this machine (PostgreSQL, Kafka and the five services started by the e2e Suite).
#
#   bench/stats/run.sh                                  # starts everything itself
#   bench/stats/run.sh --env deploy/local/.run/env      # a running suite (no aggregation rate: no metrics access)
#
# Knobs (Java system properties via BENCH_OPTS): -Dbench.events=600000 -Dbench.historyEvents=120000 -Dbench.latencySamples=200
# -Dbench.queries=500. BENCH_SKIP_BUILD=1 reuses the last build.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
ENV_FILE=""
if [[ "${1:-}" == "--env" ]]; then ENV_FILE="$(realpath "$2")"; fi
OUT="bench/stats/target"
MVN="${MVN:-./mvnw}"

if [[ "${BENCH_SKIP_BUILD:-0}" != "1" ]]; then
  echo "==> building the services and the e2e classes (skip with BENCH_SKIP_BUILD=1)"
  $MVN -B -q ${MVN_ARGS:-} -pl gateway-service,resource-service,message-service,trace-service,stats-service -am \
    package -DskipTests
  # The e2e module's test classpath (the Suite, the official SDKs, test infrastructure), written by the last module.
  $MVN -B -q ${MVN_ARGS:-} -pl e2e-tests -am test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$ROOT/$OUT/classpath.txt"
fi
CP="e2e-tests/target/test-classes:$(cat "$OUT/classpath.txt")"
rm -rf "$OUT/classes" && mkdir -p "$OUT/classes"
javac -d "$OUT/classes" -cp "$CP" $(find bench/stats/src -name '*.java')
CP="$OUT/classes:$CP"
# Services run with the production JIT and GC, not the lean test settings.
exec java -Xmx1g ${BENCH_OPTS:-} -De2e.root="$ROOT" -De2e.env="$ENV_FILE" \
  -De2e.jvmArgs="-Xmx512m -XX:+UseParallelGC" -De2e.observability=defaults -Dit.infra="${IT_INFRA:-auto}" \
  -cp "$CP" io.openons.bench.stats.StatsBenchmark
