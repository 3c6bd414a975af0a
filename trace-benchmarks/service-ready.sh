# Sourced by threadcpu-measure.sh and attach-cpu.sh once they have started the service: stops it
# on exit, waits for its first answer (failing with its output if it dies first), and writes
# $OUT/wrk.lua, which requests /ROUTE/1../ROUTE/100 in turn.
# Expects: PID, PORT, ROUTE (the path's first segment), OUT (a directory holding out.log).
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
