/**
 * Internal (not API): rule 4 of docs/model.md for work handed to other threads: the scopes
 * the agent associates with tasks and threads, and the wrappers of {@code Trace.wrap}.
 */
package io.rpctrace.internal.concurrent;
