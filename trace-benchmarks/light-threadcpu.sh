#!/usr/bin/env bash
# What the agent adds per request of the light service (trace-benchmarks/light-service: one REST
# endpoint, a JDBC query on MariaDB and a Redis GET), measured as CPU time per thread group and
# bytes allocated by the request threads, with the load generator (wrk) in another process
# (docs/benchmarks.md, "Side by side", "Per thread, with wrk as the load"). Starts the service bare
# or with the packaged agent, warms it up with wrk, then measures (trace-benchmarks/threadcpu-measure.sh).
#
#   trace-benchmarks/light-threadcpu.sh MODE [WARMUP_S] [MEASURED_S]
#     MODE   bare | agent
#
#   mvn -q -B -DskipTests package -pl trace-agent,trace-benchmarks/light-service -am
#   for m in bare agent bare agent; do trace-benchmarks/light-threadcpu.sh $m 40 30; done
#
# Needs wrk, jcmd, Linux /proc, MariaDB (127.0.0.1:3306, root, database test) and Redis
# (127.0.0.1:6379). PORT=..., JAVA_OPTS=... (e.g. -XX:StartFlightRecording=...), AGENT=... (another
# agent jar, to compare two builds in one session) change the defaults; SERVICE_PIN="taskset -c 0" and
# WRK_PIN="taskset -c 1" put the service and wrk on a core each; CONNECTIONS=... sets wrk's
# connections (4 by default).
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=$1; WARM=${2:-40}; SECS=${3:-30}; PORT=${PORT:-18091}; ROUTE=items
AGENT=${AGENT:-trace-agent/target/trace-agent.jar}
JAR=trace-benchmarks/light-service/target/light-service.jar
OUT=${OUT:-/tmp/light-threadcpu-$MODE}; rm -rf "$OUT"; mkdir -p "$OUT"
ARGS=()
case $MODE in
  bare) ;;
  agent) ARGS+=("-javaagent:$AGENT=service=light,log.dir=$OUT") ;;
  *) echo "MODE: bare | agent" >&2; exit 2 ;;
esac
${SERVICE_PIN:-} java "${ARGS[@]}" ${JAVA_OPTS:-} -Xms256m -Xmx512m -jar "$JAR" --server.port="$PORT" > "$OUT/out.log" 2>&1 &
PID=$!
REQUEST_THREADS='http-nio-.*-exec-'
. trace-benchmarks/threadcpu-measure.sh
