#!/usr/bin/env bash
# The main job: builds the agent and the example shop (the modules they need), starts a Kafka broker and four services
# (gateway, orders, inventory, notifier), each in its own JVM with the rpctrace agent, places a
# few orders (one failing, one in debug mode), prints their trace ids and the tree of one trace,
# writes its HTML page, and stops everything. Records, logs and the page go to ${DEMO_DIR:-logs/demo}.
# Needs only JDK 17+ and Maven: H2 is embedded, the broker comes from Maven Central, Redis is
# used when one answers on 127.0.0.1:6379, memcached when one answers on 127.0.0.1:11211.
# SHOP_DB_URL (+ SHOP_DB_USER, SHOP_DB_PASSWORD) puts the shop's tables in MariaDB or
# PostgreSQL instead.
set -euo pipefail
cd "$(dirname "$0")"
echo "==> building (mvn -q -B -DskipTests package -pl trace-examples -am)"
mvn -q -B -DskipTests package -pl trace-examples -am
exec java -cp "trace-examples/target/trace-examples.jar:trace-examples/target/lib/*" \
  io.rpctrace.examples.shop.Demo --dir "${DEMO_DIR:-logs/demo}" --agent trace-agent/target/trace-agent.jar
