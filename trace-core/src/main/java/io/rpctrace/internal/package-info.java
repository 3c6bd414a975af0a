/**
 * Internal (not API): the running tracer ({@code Tracing}) and what every instrumentation
 * shares whatever its library: the hooks on spans that the API does not offer
 * ({@code SpanHooks}), call depth, advice errors, the caller's module, response excerpts,
 * secret names and {@code x_param} text, helper classes defined next to a library. Library
 * code itself lives in the instrumentation modules (trace-instrumentation), never here.
 */
package io.rpctrace.internal;
