#!/usr/bin/env bash
# Issue 2's benchmark: signed OnsTopicList through the gateway (50 concurrent clients) versus the same
# operation directly on resource-service, with the whole suite running on this machine.
#
#   bench/gateway/run.sh                      # starts PostgreSQL, Kafka and the five services itself
#   bench/gateway/run.sh --env deploy/local/.run/env   # uses a running suite (no direct comparison)
#
# Knobs (Java system properties via BENCH_OPTS): -Dbench.clients=50 -Dbench.seconds=30 -Dbench.warmup=60
# The warm-up matters: every service of the freshly started suite is still compiling its hot paths (JIT) for the
# first minute; with 15 s of warm-up the gateway figure was a quarter of the warm one.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
ENV_FILE=""
if [[ "${1:-}" == "--env" ]]; then ENV_FILE="$(realpath "$2")"; fi

echo "==> building the suite and the benchmark (skip with BENCH_SKIP_BUILD=1)"
if [[ "${BENCH_SKIP_BUILD:-0}" != "1" ]]; then
  ./mvnw -B -q -pl bench/gateway -am package -DskipTests
  ./mvnw -B -q -pl gateway-service,resource-service,message-service,trace-service,stats-service -am package -DskipTests
fi
CP="bench/gateway/target/classes:$(cat bench/gateway/target/classpath.txt)"
# Services run with the production JIT and GC (ParallelGC, as in the container images), not the lean test settings.
# The benchmark JVM (load generator, and the in-JVM Kafka broker when it starts the infrastructure) must not
# disturb what it measures: with G1 it paused 5-20 ms every ~2 s, with a small ZGC heap its concurrent cycles took
# a core for ~0.4 s every ~20 s — both counted as the gateway's latency in the fixed-rate phase (measured from when
# each request was due). A 6 GB ZGC heap without proactive cycles collects about once in two minutes, pause-free.
exec java -Xms6g -Xmx6g -XX:+UseZGC -XX:-ZProactive ${BENCH_OPTS:-} -De2e.root="$ROOT" -De2e.env="$ENV_FILE" \
  -De2e.jvmArgs="-Xmx512m -XX:+UseParallelGC" -De2e.observability=defaults -De2e.dbPoolMax=20 -Dit.infra="${IT_INFRA:-auto}" \
  -cp "$CP" io.openons.bench.gateway.GatewayBenchmark
