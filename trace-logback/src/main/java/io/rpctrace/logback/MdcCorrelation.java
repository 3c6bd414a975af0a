package io.rpctrace.logback;

import io.rpctrace.context.Scope;
import io.rpctrace.internal.logging.LogRecords;
import org.slf4j.MDC;

/**
 * Keeps {@code x_trace_id}/{@code x_rpc_id} in the MDC in step with the current scope, but
 * only when an event is about to be logged (called from {@link TraceTurboFilter}).
 */
final class MdcCorrelation {
    // Design note: Logback gives no hook between "the event will be logged" and "the event
    // copies the MDC", except the turbo filter that runs just before the event is created.
    // So the MDC is brought up to date lazily there: a request that logs nothing never touches
    // the MDC, and a thread that leaves a scope has the values removed by its next logged
    // event (so they never show outside a scope in Logback output). Values are compared by
    // identity with what this thread put last, so an application's MDC.clear() or its own
    // puts are noticed and repaired rather than trusted.
    private static final ThreadLocal<Put> LAST = new ThreadLocal<Put>() {
        @Override
        protected Put initialValue() {
            return new Put();
        }
    };

    private MdcCorrelation() {
    }

    /** What this thread put last. */
    private static final class Put {
        Scope scope;
        int counter;
        String traceId;
        String rpcId;
    }

    /** Brings the MDC in step with {@code scope} (null: outside any scope, the values go). */
    static void update(Scope scope) {
        Put last = LAST.get();
        if (scope == null) {
            if (last.traceId != null) {
                if (MDC.get(LogRecords.MDC_TRACE_ID) == last.traceId) {
                    MDC.remove(LogRecords.MDC_TRACE_ID);
                }
                if (MDC.get(LogRecords.MDC_RPC_ID) == last.rpcId) {
                    MDC.remove(LogRecords.MDC_RPC_ID);
                }
                last.scope = null;
                last.traceId = null;
                last.rpcId = null;
            }
            return;
        }
        int counter = scope.counter();
        if (last.scope == scope && last.counter == counter
                && MDC.get(LogRecords.MDC_TRACE_ID) == last.traceId
                && MDC.get(LogRecords.MDC_RPC_ID) == last.rpcId) {
            return;
        }
        String tid = scope.traceId();
        String rid = scope.callId(counter);
        MDC.put(LogRecords.MDC_TRACE_ID, tid);
        MDC.put(LogRecords.MDC_RPC_ID, rid);
        last.scope = scope;
        last.counter = counter;
        last.traceId = tid;
        last.rpcId = rid;
    }
}
