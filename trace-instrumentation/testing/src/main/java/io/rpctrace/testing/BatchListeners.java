package io.rpctrace.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import java.util.List;

/**
 * The shared contract of a listener handed several messages at once (a Spring Kafka batch
 * listener, a RocketMQ listener with {@code consumeMessageBatchMaxSize} > 1), as
 * docs/RATIONALE.md ("A batch handed whole to a listener runs in a trace of its own") decides
 * it: each message's consume record in its own trace at {@code 0.2.1} (sent as its trace's call
 * {@code 0.2}), naming the batch's trace as {@code x_extra.batch_trace_id}; the listener in that
 * trace at {@code 0.1}, its two calls {@code 0.2} and {@code 0.3}.
 *
 * <pre>{@code
 * listener:  seen.add(BatchListeners.process(messages.size()));
 * test:      BatchListeners.assertRunsInATraceOfItsOwn(agent, "kafka.consume", topic, traces, seen.poll(...));
 * }</pre>
 */
public final class BatchListeners {
    private BatchListeners() {
    }

    /**
     * What the listener does with a batch of {@code messages}: two calls ({@code ledger.post},
     * {@code mail.send}); returns what it saw, for {@link #assertRunsInATraceOfItsOwn}.
     */
    public static String process(int messages) {
        String ids = messages + " " + Trace.traceId() + " " + Trace.rpcId();
        try (Span a = Trace.call("ledger.post"); Span b = Trace.call("mail.send")) {
            return ids + " " + a.rpcId() + " " + b.rpcId();
        }
    }

    /**
     * The listener saw ({@code seen}, from {@link #process}) all of the messages of
     * {@code messageTraces} in one call, in a trace of the batch's own, and the records say so.
     */
    public static void assertRunsInATraceOfItsOwn(AgentRecords agent, String consumeRecord, String topic,
                                                  List<String> messageTraces, String seen) throws Exception {
        assertTrue(seen != null && seen.startsWith(messageTraces.size() + " "), "one call with every message: " + seen);
        String[] ids = seen.split(" ");
        String batchTrace = ids[1];
        assertEquals(32, batchTrace.length(), seen);
        assertFalse(messageTraces.contains(batchTrace), "the batch's trace is none of its messages'");
        assertEquals(List.of("0.1", "0.2", "0.3"), List.of(ids[2], ids[3], ids[4]));
        Records all = AwaitRecords.until(agent, r -> r.named(consumeRecord)
                .where(c -> messageTraces.contains(c.traceId())).size() >= messageTraces.size());
        for (String t : messageTraces) {
            TraceRecord consumed = all.inTrace(t).named(consumeRecord).single().hasRpcId("0.2.1")
                    .has("x_action", topic).record();
            assertEquals(batchTrace, consumed.extra("batch_trace_id"));
        }
        Records batch = all.inTrace(batchTrace);
        assertEquals(List.of("0.2", "0.3"), batch.rpcIds(), batch.toString());
        batch.named("ledger.post").single().hasRpcId("0.2");
        batch.named("mail.send").single().hasRpcId("0.3");
    }
}
