#!/usr/bin/env bash
# The side-by-side benchmark (docs/benchmarks.md, "Side by side"): the light service
# (trace-benchmarks/light-service) and the demo shop, each without an agent, with rpctrace, and
# with the OpenTelemetry javaagent (exporters none; and logging-otlp, every span to a file),
# alternating, several rounds. Prints each measurement and a summary table; writes a CSV and an
# SVG chart (default target/side-by-side/). Needs JDK 17+, Maven, and MariaDB (127.0.0.1:3306,
# root, no password, database test) and Redis (127.0.0.1:6379) for the light service.
#
#   trace-benchmarks/side-by-side.sh                       # the full run: 3 rounds, 120 s warm-up, 60 s loops
#   trace-benchmarks/side-by-side.sh --rounds 1 --warmup 20 --seconds 10   # a quick look
#
# Options after the script's name go to io.rpctrace.examples.bench.SideBySide (see its Javadoc).
# MVN=... runs another Maven; SKIP_BUILD=1 reuses what the last run built.
set -euo pipefail
cd "$(dirname "$0")/.."
MVN=${MVN:-mvn}
OTEL_VERSION=2.33.1
OTEL_JAR=trace-benchmarks/target/otel/opentelemetry-javaagent.jar
if [ "${SKIP_BUILD:-}" != 1 ]; then
  echo "==> building the agent, the shop and the light service"
  $MVN -q -B -DskipTests package -pl trace-agent,trace-examples,trace-benchmarks/light-service -am
fi
if [ ! -f "$OTEL_JAR" ]; then
  echo "==> fetching io.opentelemetry.javaagent:opentelemetry-javaagent:$OTEL_VERSION"
  $MVN -q -B -N dependency:copy -Dartifact=io.opentelemetry.javaagent:opentelemetry-javaagent:$OTEL_VERSION \
    -DoutputDirectory="$(dirname "$OTEL_JAR")" -Dmdep.stripVersion=true
fi
exec java -cp "trace-examples/target/trace-examples.jar:trace-examples/target/lib/*" io.rpctrace.examples.bench.SideBySide \
  --agent trace-agent/target/trace-agent.jar --otel "$OTEL_JAR" \
  --light-jar trace-benchmarks/light-service/target/light-service.jar "$@"
