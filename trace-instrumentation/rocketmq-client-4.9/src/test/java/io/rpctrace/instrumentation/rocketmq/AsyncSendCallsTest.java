package io.rpctrace.instrumentation.rocketmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.CollectingWriter;
import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.context.CurrentScope;
import io.rpctrace.context.Scope;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An async send's call: started by the caller, bound to the library's task, adopted by its send, answered once. */
class AsyncSendCallsTest {
    private CollectingWriter writer;

    @BeforeEach
    void start() {
        writer = CollectingWriter.startTracing();
    }

    @Test
    void theCallIsTheCallersAndTheTaskSendAdoptsIt() throws Exception {
        Object task = new Object();
        Object msg = new Object();
        ProduceCall call;
        String[] afterCallback = new String[1];
        Throwable[] failed = new Throwable[1];
        try (Span req = Trace.enter(null, null)) {
            call = ProduceCall.startAsync("orders", null, 3);
            assertNull(ProduceCall.current(), "the caller's thread sends nothing itself");
            assertEquals("0.2", RocketMqCallsTest.asMap(call.properties()).get("x_rpc_id"));
            assertTrue(ProduceCall.bindTask(task));
            assertFalse(ProduceCall.bindTask(new Object()), "only the first task made in the send is bound");
            ProduceCall.startedAsync(msg);
            Thread pool = new Thread(() -> {
                try {
                    afterCallback[0] = taskAndAnswer(call, task, msg);
                } catch (Throwable t) {
                    failed[0] = t;
                }
            });
            pool.start();
            pool.join();
            try (Span next = Trace.call("next")) {
                assertEquals("0.3", next.rpcId(), "the caller's next id follows without a gap");
            }
        }
        if (failed[0] != null) {
            throw new AssertionError("on the pool thread", failed[0]);
        }
        assertEquals("0.2", afterCallback[0]);
        Map<String, Object> r = writer.named("rocketmq.produce").get(0);
        assertEquals("0.2", r.get("x_rpc_id"));
        assertEquals(1, writer.named("rocketmq.produce").size());
    }

    /** On the pool thread: the task runs, its send adopts the call, the answer ends it. */
    private static String taskAndAnswer(ProduceCall call, Object task, Object msg) {
        assertSame(call, ProduceCall.taskRuns(task));
        assertSame(call, ProduceCall.adopt(msg));
        assertSame(call, ProduceCall.current());
        call.pendingOn(msg);
        ProduceCall.endSend();
        call.taskEnded(null);   // adopted: the answer ends it, not the task
        assertNull(ProduceCall.taskRuns(task), "a task runs once");
        // the answer, on the client's callback thread
        Scope[] frame = ProduceCall.answerStarts();
        ProduceCall answered = ProduceCall.forMessage(msg);
        assertTrue(answered.claim());
        answered.acked("SEND_OK", "ID", 1, 2);
        answered.answeredHere();
        String inCallback = Trace.rpcId();   // the callback sees the caller's scope
        ProduceCall.answerEnds(frame);
        assertNull(CurrentScope.get(), "the thread's scope is put back");
        return inCallback;
    }

    @Test
    void aTaskThatNeverSendsEndsTheCallAsTheCallbackIsTold() throws Exception {
        Object task = new Object();
        try (Span req = Trace.enter(null, null)) {
            ProduceCall call = ProduceCall.startAsync("orders", null, 1);
            ProduceCall.bindTask(task);
            ProduceCall.startedAsync(new Object());
            assertSame(call, ProduceCall.taskRuns(task));
            call.taskEnded(null);
            assertFalse(call.claim(), "ended once");
        }
        Map<String, Object> r = writer.named("rocketmq.produce.error").get(0);
        assertEquals("0.2", r.get("x_rpc_id"));
        assertEquals("RemotingTooMuchRequestException", r.get("x_code"));
        assertEquals("DEFAULT ASYNC send call timeout", r.get("x_msg"));
    }

    @Test
    void withoutATaskTheSendOfTheMessageAdoptsTheCall() {
        Object msg = new Object();
        try (Span req = Trace.enter(null, null)) {
            ProduceCall call = ProduceCall.startAsync("orders", null, 1);
            ProduceCall.startedAsync(msg);
            assertNull(ProduceCall.adopt(new Object()));
            assertSame(call, ProduceCall.adopt(msg));
            assertNull(ProduceCall.adopt(msg), "adopted once");
            ProduceCall.endSend();
        }
    }

    @Test
    void anAnswerHandlerOutsideAnyAsyncSendChangesNothing() {
        Scope[] frame = ProduceCall.answerStarts();
        assertNull(ProduceCall.answerStarts(), "nested handlers: the outer one restores");
        ProduceCall.answerEnds(null);
        ProduceCall.answerEnds(frame);
        assertNull(CurrentScope.get());
    }
}
