/**
 * Internal (not API): the {@code metric.*} records of docs/metrics.md (module timers, user
 * counters and timers, per-client-IP windows, rpctrace's own figures), with bounded
 * cardinality. Applications reach it through {@code Trace.counter} and {@code Trace.timer}.
 */
package io.rpctrace.metrics;
