#!/usr/bin/env bash
# Messaging benchmark: builds the services, starts the suite (PostgreSQL, Kafka and the five services, as the
# e2e tests do) and prints: raw Kafka ceiling, publish throughput through the gateway at 64 publishers (1 KiB),
# index lag p99 under that load, and OnsMessageGetByMsgId p99 with >= 1,000,000 messages indexed.
# Options (environment): BENCH_SECONDS (60), BENCH_SENDERS (64), BENCH_INDEXED (1000000), BENCH_DIRECT (true:
# also measure message-service without the gateway), SKIP_BUILD=1. Figures go to bench/results/ (not committed).
set -euo pipefail
cd "$(dirname "$0")/../.."
MVN=./mvnw
[ -x "$MVN" ] || MVN=mvn
if [ "${SKIP_BUILD:-0}" != "1" ]; then
  "$MVN" -B -q package -DskipTests -pl resource-service,message-service,trace-service,stats-service,gateway-service -am
fi
mkdir -p bench/results
OUT="bench/results/messaging-$(date -u +%Y%m%dT%H%M%SZ).txt"
# The benchmark JVM (load generator and the in-JVM Kafka broker) must not pause what it measures: a 6 GB ZGC heap
# without proactive cycles, as in bench/gateway (with G1 its pauses showed in the lookup tail).
"$MVN" -B -q test -pl e2e-tests -am -Dtest=MessagingBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -DargLine="${BENCH_ARGLINE:--Xms6g -Xmx6g -XX:+UseZGC -XX:-ZProactive}" \
  -Dbench=true -Dbench.seconds="${BENCH_SECONDS:-60}" -Dbench.senders="${BENCH_SENDERS:-64}" \
  -Dbench.indexed="${BENCH_INDEXED:-1000000}" -Dbench.direct="${BENCH_DIRECT:-true}" -De2e.observability=defaults -De2e.jvmArgs="${BENCH_JVM_ARGS:--Xmx512m -XX:+UseParallelGC}" \
  | tee "$OUT.log"
sed -n '/=== OpenONS messaging benchmark ===/,/OnsMessageGetByMsgId via gateway/p' "$OUT.log" > "$OUT" || true
echo "figures saved to $OUT"
