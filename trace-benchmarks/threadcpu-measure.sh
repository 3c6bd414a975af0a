# Sourced by webflux-threadcpu.sh and light-threadcpu.sh once they have started the service:
# waits for its first answer, warms it up with wrk, then prints CPU time per thread group (from
# /proc/<pid>/task/*/stat, numbers in thread names folded) and what the request threads
# allocated (jcmd Thread.print -e), each divided by the requests wrk counted in the measured window.
# Expects: PID, PORT, ROUTE (the path's first segment; /ROUTE/1../ROUTE/100 are requested in
# turn), WARM and SECS (seconds), OUT (a directory), MODE (a label), REQUEST_THREADS (a regex of
# the request threads' names); optional CONNECTIONS (wrk's connections, 4 by default).
. trace-benchmarks/service-ready.sh
${WRK_PIN:-} wrk -t1 -c"${CONNECTIONS:-4}" -d"${WARM}s" -s "$OUT/wrk.lua" "http://127.0.0.1:$PORT/" > /dev/null
snap() {
  for t in /proc/$PID/task/*; do
    c=$(cat "$t/comm" 2>/dev/null) || continue
    s=($(sed 's/.*) //' "$t/stat" 2>/dev/null)) || continue
    echo "${c// /_} ${s[11]} ${s[12]}"
  done
}
allocated() {
  jcmd $PID Thread.print -e 2>/dev/null | python3 -c '
import re, sys
units = {"B": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
total = 0
for line in sys.stdin:
    m = re.match(r"\"([^\"]*)\".*allocated=(\d+)([BKMG])", line)
    if m and re.search(sys.argv[1], m.group(1)):
        total += int(m.group(2)) * units[m.group(3)]
print(total)' "$REQUEST_THREADS"
}
snap > "$OUT/before.txt"
ALLOC_BEFORE=$(allocated)
RESULT=$(${WRK_PIN:-} wrk -t1 -c"${CONNECTIONS:-4}" -d"${SECS}s" -s "$OUT/wrk.lua" "http://127.0.0.1:$PORT/")
snap > "$OUT/after.txt"
ALLOC_AFTER=$(allocated)
REQ=$(echo "$RESULT" | awk '/requests in/{print $1}')
echo "$MODE $ROUTE: $REQ requests in ${SECS}s; $(echo "$RESULT" | grep -E 'Requests/sec')"
echo "  request threads allocated $(( (ALLOC_AFTER - ALLOC_BEFORE) / REQ )) B/req"
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
