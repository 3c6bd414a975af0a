/**
 * The manual API, and the only package of trace-core that applications use: {@link
 * io.rpctrace.Trace} (enter a request, make a call or a local span, levelled records, wrap
 * tasks for other threads, counters and timers), {@link io.rpctrace.Span} (the fields of the
 * record a span writes when it closes), {@link io.rpctrace.Counter} and {@link
 * io.rpctrace.Timer}, and {@link io.rpctrace.Traced} (methods the agent traces).
 * Names and behaviour: docs/model.md#the-manual-api.
 *
 * <p>Every other package of trace-core ({@code config}, {@code context}, {@code metrics},
 * {@code record}, {@code writer}, {@code internal} and below) is internal: it serves the
 * tracer, the agent and rpctrace's own modules, and may change in any release.
 */
package io.rpctrace;
