#!/usr/bin/env bash
# What the agent adds per request of the light service (trace-benchmarks/light-service) or of the
# WebFlux service (io.rpctrace.bench.WebFluxService, route /proxy/{id}: two served requests and one
# WebClient call per request), measured in ONE service JVM: bare windows, then the packaged agent attached to the running service (as to
# a running JVM: agentmain), re-warmed, then traced windows; a control run does the same without
# attaching (what the windows drift by themselves). Fork to fork this service lands near one of
# two CPU levels per request, with or without the agent (docs/benchmarks.md, "Side by side"); in
# one JVM the bare and the traced windows share its JIT's choices for everything the agent does
# not touch. Each window: wrk for WINDOW_S seconds, the process's CPU time (/proc/<pid>/stat,
# utime+stime) divided by the requests wrk counted.
#
#   trace-benchmarks/attach-cpu.sh SERVICE MODE [WINDOWS] [WINDOW_S] [WARMUP_S]
#     SERVICE light | webflux
#     MODE    attach | control
#
#   mvn -q -B -DskipTests package -pl trace-agent,trace-benchmarks,trace-benchmarks/light-service -am
#   for m in attach control control attach; do trace-benchmarks/attach-cpu.sh light $m 6 20 60; done
#
# Prints one line per window ("bare" or "traced", CPU µs per request, requests/s) and the medians.
# Needs wrk, Linux /proc, a JDK with jdk.attach; the light service MariaDB (127.0.0.1:3306, root,
# database test) and Redis (127.0.0.1:6379). PORT=..., AGENT=... (another agent jar) change the defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
SERVICE=$1; MODE=$2; WINDOWS=${3:-6}; WINDOW=${4:-20}; WARM=${5:-60}; PORT=${PORT:-18092}
AGENT=$(realpath "${AGENT:-trace-agent/target/trace-agent.jar}")
OUT=${OUT:-/tmp/attach-cpu-$SERVICE-$MODE}; rm -rf "$OUT"; mkdir -p "$OUT"
case $MODE in attach|control) ;; *) echo "MODE: attach | control" >&2; exit 2 ;; esac
case $SERVICE in
  light) ROUTE=items; CMD=(-jar trace-benchmarks/light-service/target/light-service.jar --server.port="$PORT") ;;
  webflux) ROUTE=proxy; CMD=(-cp trace-benchmarks/target/benchmarks.jar io.rpctrace.bench.WebFluxService "$PORT") ;;
  *) echo "SERVICE: light | webflux" >&2; exit 2 ;;
esac

java -Xms256m -Xmx512m "${CMD[@]}" > "$OUT/out.log" 2>&1 &
PID=$!
. trace-benchmarks/service-ready.sh
cpu_ticks() { awk '{print $14 + $15}' /proc/$PID/stat; }
TCK=$(getconf CLK_TCK)
window() {   # window LABEL: one measured window
  local before after result req
  before=$(cpu_ticks)
  result=$(wrk -t1 -c4 -d"${WINDOW}s" -s "$OUT/wrk.lua" "http://127.0.0.1:$PORT/")
  after=$(cpu_ticks)
  req=$(echo "$result" | awk '/requests in/{print $1}')
  awk -v l="$1" -v b="$before" -v a="$after" -v r="$req" -v t="$TCK" -v s="$WINDOW" \
      'BEGIN { printf "%s %.2f us/req %.0f req/s\n", l, (a - b) * 1e6 / t / r, r / s }' | tee -a "$OUT/windows.txt"
}
wrk -t1 -c4 -d"${WARM}s" -s "$OUT/wrk.lua" "http://127.0.0.1:$PORT/" > /dev/null
for i in $(seq "$WINDOWS"); do window bare; done
if [ "$MODE" = attach ]; then
  # as a user attaches it to a running JVM, from another process: the agent jar's attach command
  java -jar "$AGENT" attach "$PID" "service=$SERVICE,log.dir=$OUT"
fi
wrk -t1 -c4 -d"${WARM}s" -s "$OUT/wrk.lua" "http://127.0.0.1:$PORT/" > /dev/null
for i in $(seq "$WINDOWS"); do window traced; done
python3 - "$OUT/windows.txt" "$MODE" "$SERVICE" <<'P'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
med = {k: statistics.median(float(r[1]) for r in rows if r[0] == k) for k in ("bare", "traced")}
rps = {k: statistics.median(float(r[3]) for r in rows if r[0] == k) for k in ("bare", "traced")}
print("%s %s: CPU per request, medians: first windows %.2f us, second windows %.2f us (x%.3f); req/s %.0f -> %.0f"
      % (sys.argv[3], sys.argv[2], med["bare"], med["traced"], med["traced"] / med["bare"], rps["bare"], rps["traced"]))
P
