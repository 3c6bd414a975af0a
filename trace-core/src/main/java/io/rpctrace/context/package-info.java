/**
 * Internal (not API): trace ids, RPC ids and the scope rules of docs/model.md#ids, the scope
 * current on a thread, and the headers of docs/propagation.md#headers read from and written
 * to any carrier. The manual API ({@code Trace}, {@code Span}) is how applications use them.
 */
package io.rpctrace.context;
