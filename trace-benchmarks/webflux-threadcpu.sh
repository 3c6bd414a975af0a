#!/usr/bin/env bash
# What the agent adds per served WebFlux request and per WebClient call, measured as CPU time per
# thread group with the load generator (wrk) in another process (docs/benchmarks.md, "Spring
# WebFlux + WebClient"). Starts io.rpctrace.bench.WebFluxService bare, with the packaged agent, or
# with the agent and its reactor module off; warms it up with wrk, then reads every thread's CPU
# time (/proc/<pid>/task/*/stat, utime+stime) before and after the measured window and prints it
# per thread group (numbers in thread names folded) divided by the requests wrk reports.
#
#   trace-benchmarks/webflux-threadcpu.sh MODE [ROUTE] [WARMUP_S] [MEASURED_S]
#     MODE   bare | agent | noreactor
#     ROUTE  items (one served request) | proxy (a served request that makes one WebClient call
#            to the service's own /items/{id}: two served requests and one client call); default proxy
#
#   mvn -q -B -DskipTests package -pl trace-agent,trace-benchmarks -am
#   for m in bare agent noreactor bare agent noreactor; do trace-benchmarks/webflux-threadcpu.sh $m proxy 40 30; done
#
# Needs wrk and Linux /proc. PORT=..., JAVA_OPTS=... (e.g. -XX:StartFlightRecording=...), AGENT=...
# (another agent jar), CP=... (another benchmarks jar), CONNECTIONS=... (wrk's connections, 4 by
# default: both cores busy; 1: the service below its CPU limit) change the defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=$1; ROUTE=${2:-proxy}; WARM=${3:-40}; SECS=${4:-30}; PORT=${PORT:-18090}
AGENT=${AGENT:-trace-agent/target/trace-agent.jar}
CP=${CP:-trace-benchmarks/target/benchmarks.jar}
OUT=${OUT:-/tmp/webflux-threadcpu-$MODE}; rm -rf "$OUT"; mkdir -p "$OUT"
ARGS=()
case $MODE in
  bare) ;;
  agent) ARGS+=("-javaagent:$AGENT=service=webflux,log.dir=$OUT") ;;
  noreactor) ARGS+=("-javaagent:$AGENT=service=webflux,log.dir=$OUT,instrumentation.reactor.enabled=false") ;;
  *) echo "MODE: bare | agent | noreactor" >&2; exit 2 ;;
esac
java "${ARGS[@]}" ${JAVA_OPTS:-} -Xms256m -Xmx512m -cp "$CP" io.rpctrace.bench.WebFluxService "$PORT" > "$OUT/out.log" 2>&1 &
PID=$!
REQUEST_THREADS=reactor-http
. trace-benchmarks/threadcpu-measure.sh
