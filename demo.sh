#!/usr/bin/env bash
# The main job: builds rpctrace and runs the demo, then shows the records it wrote.
set -euo pipefail
cd "$(dirname "$0")"
echo "==> building (mvn -q -DskipTests package)"
mvn -q -B -DskipTests package
LOG_DIR=${LOG_DIR:-./logs/demo}
rm -rf "$LOG_DIR"
echo "==> running the manual-API demo (records in $LOG_DIR)"
java -Drpctrace.log.dir="$LOG_DIR" -Drpctrace.service=demo -Drpctrace.version=java-demo-0.1 \
  -cp "trace-core/target/trace-core-0.1.0-SNAPSHOT.jar:trace-examples/target/classes" \
  io.rpctrace.examples.ManualApiDemo
echo "==> $LOG_DIR/demo.trace.log"
cat "$LOG_DIR/demo.trace.log"
