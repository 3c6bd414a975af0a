#!/usr/bin/env bash
# The main job: builds rpctrace, runs the demo, prints the tree of its trace with the viewer
# bundled in trace-agent.jar, and writes the trace's HTML page.
set -euo pipefail
cd "$(dirname "$0")"
echo "==> building (mvn -q -DskipTests package)"
mvn -q -B -DskipTests package
LOG_DIR=${LOG_DIR:-./logs/demo}
rm -rf "$LOG_DIR"
echo "==> running the manual-API demo (records in $LOG_DIR)"
OUT=$(java -Drpctrace.log.dir="$LOG_DIR" -Drpctrace.service=demo -Drpctrace.version=java-demo-0.1 \
  -cp "trace-core/target/trace-core-0.1.0-SNAPSHOT.jar:trace-examples/target/classes" \
  io.rpctrace.examples.ManualApiDemo)
echo "$OUT"
TRACE_ID=$(echo "$OUT" | sed -n 's/^trace id: *//p')
echo "==> the records ($LOG_DIR/demo.trace.log)"
cat "$LOG_DIR/demo.trace.log"
echo
echo "==> java -jar trace-agent/target/trace-agent.jar trace $TRACE_ID $LOG_DIR"
java -jar trace-agent/target/trace-agent.jar trace "$TRACE_ID" "$LOG_DIR"
java -jar trace-agent/target/trace-agent.jar trace "$TRACE_ID" "$LOG_DIR" --html "$LOG_DIR/trace.html" >/dev/null
echo "==> HTML page: $LOG_DIR/trace.html"
