/**
 * Library-agnostic logging integration (SPEC §6): level mapping, the capture and debug-mode
 * thresholds, and filling {@code log.*} records from a framework's event. Shared by
 * {@code trace-logback}, {@code trace-log4j2} and the agent's logging instrumentation, which
 * pass plain values (ints, strings) so that nothing here depends on a logging library.
 * Not part of the public API.
 */
package io.rpctrace.internal.logging;
