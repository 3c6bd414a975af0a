/**
 * Internal (not API): library-agnostic logging integration (docs/logging.md): level mapping,
 * the capture and debug-mode thresholds, and filling {@code log.*} records from a framework's
 * event. Shared by {@code trace-logback}, {@code trace-log4j2} and the agent's logging
 * instrumentation, which pass plain values (ints, strings) so that nothing here depends on a
 * logging library.
 */
package io.rpctrace.internal.logging;
