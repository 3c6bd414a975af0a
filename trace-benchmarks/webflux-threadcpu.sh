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
# (another agent jar), CP=... (another benchmarks jar) change the defaults.
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
trap 'kill $PID 2>/dev/null || true' EXIT
until curl -sf "http://127.0.0.1:$PORT/$ROUTE/1" > /dev/null; do
  kill -0 $PID 2>/dev/null || { cat "$OUT/out.log"; exit 1; }
  sleep 0.2
done
cat > "$OUT/wrk.lua" <<L
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", "/$ROUTE/" .. ((counter % 100) + 1))
end
L
wrk -t1 -c4 -d"${WARM}s" -s "$OUT/wrk.lua" "http://127.0.0.1:$PORT/" > /dev/null
snap() {
  for t in /proc/$PID/task/*; do
    c=$(cat "$t/comm" 2>/dev/null) || continue
    s=($(sed 's/.*) //' "$t/stat" 2>/dev/null)) || continue
    echo "${c// /_} ${s[11]} ${s[12]}"
  done
}
snap > "$OUT/before.txt"
RESULT=$(wrk -t1 -c4 -d"${SECS}s" -s "$OUT/wrk.lua" "http://127.0.0.1:$PORT/")
snap > "$OUT/after.txt"
REQ=$(echo "$RESULT" | awk '/requests in/{print $1}')
echo "$MODE $ROUTE: $REQ requests in ${SECS}s; $(echo "$RESULT" | grep -E 'Requests/sec')"
python3 - "$REQ" "$OUT/before.txt" "$OUT/after.txt" "$(getconf CLK_TCK)" <<'P'
import collections, re, sys
req, tck = int(sys.argv[1]), int(sys.argv[4])
def load(path):
    d = collections.Counter()
    for line in open(path):
        name, u, s = line.split()
        d[re.sub(r"\d+", "N", name)] += int(u) + int(s)
    return d
a, b = load(sys.argv[2]), load(sys.argv[3])
rows = sorted(((b[k] - a.get(k, 0)) * 1000.0 / tck, k) for k in b)
total = sum(ms for ms, _ in rows)
for ms, k in reversed(rows):
    if ms > 0:
        print("  %-28s %8.0f ms  %7.2f us/req" % (k, ms, ms * 1000.0 / req))
print("  %-28s %8.0f ms  %7.2f us/req" % ("TOTAL", total, total * 1000.0 / req))
P
