package io.rpctrace.instrumentation.rocketmq;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.context.CurrentScope;
import io.rpctrace.context.Propagation;
import io.rpctrace.context.Scope;
import io.rpctrace.internal.AdviceErrors;
import io.rpctrace.internal.CallDepth;
import io.rpctrace.internal.CallerModule;
import io.rpctrace.internal.SpanHooks;
import io.rpctrace.internal.ThreadSlot;
import io.rpctrace.internal.concurrent.WeakIdentityMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One message a producer sends (docs/model.md#rule-2): a {@code rocketmq.produce} record at the
 * call's id, whose ids travel in the message's user properties
 * ({@link UserProperties}). Names no RocketMQ type: the advice reads the library's objects
 * and hands over plain values.
 *
 * <p>A send is one call however many brokers the producer tries (its retries of a failed send
 * are inside the call): the record names the broker of the last attempt. A synchronous or
 * one-way send ends when the send returns; an asynchronous one when the broker's answer (or
 * the last failure) reaches the library, on its callback thread: the message object the
 * library sends is {@linkplain #pendingOn bound} to the call until then.
 *
 * <pre>{@code
 * // send enter (outermost):  ProduceCall call = ProduceCall.start(topic, tags, mode, bodyLen); put call.properties()
 * // client API sendMessage:  ProduceCall c = ProduceCall.current(); c.sentTo(addr, brokerName); if async c.pendingOn(msg)
 * // send exit (outermost):   ProduceCall c = ProduceCall.endSend(); thrown -> c.failed(...); sync/oneway -> c.acked(...)
 * // async answer:            ProduceCall c = ProduceCall.forMessage(msg); c.acked(...) or c.failed(...); c.answeredHere()
 * // async send (caller):     ProduceCall call = ProduceCall.startAsync(topic, tags, bodyLen); put call.properties();
 * //                          its task's constructor: bindTask(task); send exit: startedAsync(thrown == null ? msg : null)
 * // async task (executor):   ProduceCall c = ProduceCall.taskRuns(task); the send in it: adopt(msg); task exit: c.taskEnded(thrown)
 * }</pre>
 */
public final class ProduceCall {
    /** The record name of a send. */
    public static final String PRODUCE = "rocketmq.produce";
    /** Sends' {@code x_module}, cached per topic. */
    private static final CallerModule.Namespace TOPICS = CallerModule.namespace();
    /**
     * The nesting of the send methods on a thread ({@code sendDefaultImpl} calls
     * {@code sendKernelImpl}), and of the asynchronous ones: looked up once here rather than by
     * class in each advice (a {@code ClassValue} probe each, four a send).
     */
    public static final CallDepth DEPTH = CallDepth.of(ProduceCall.class);
    /** {@link #DEPTH} of the asynchronous send methods, which call one another. */
    public static final CallDepth ASYNC_DEPTH = CallDepth.of(AsyncSend.class);
    // Design note: the thread-locals below are cleared with set(null), not remove(): a send
    // clears them each time, and remove() drops the thread's map entry (clearing its weak
    // reference, a native call on JDK 17) for the next send to make again.
    private static final ThreadSlot<ProduceCall> SENDING = new ThreadSlot<>();
    // Design note: keyed by the message object the library sends, weakly: an entry lives until
    // the answer comes, or as long as the message does when it never does.
    private static final WeakIdentityMap<ProduceCall> PENDING = new WeakIdentityMap<>();
    // An asynchronous send started on the caller's thread, until the library's task that sends
    // it is made (STARTING), then bound to that task until it runs (TASKS), then the task's
    // thread's until the send adopts it (RUNNING).
    private static final ThreadSlot<ProduceCall> STARTING = new ThreadSlot<>();
    private static final WeakIdentityMap<ProduceCall> TASKS = new WeakIdentityMap<>();
    private static final ThreadSlot<ProduceCall> RUNNING = new ThreadSlot<>();
    private static final WeakIdentityMap<ProduceCall> UNBOUND = new WeakIdentityMap<>();
    // The library's answer handler running on this thread: [0] the scope to put back, or UNCHANGED.
    private static final ThreadSlot<Scope[]> ANSWER = new ThreadSlot<>();
    private static final Scope UNCHANGED = Scope.newRoot();

    private final Span span;
    private final AtomicBoolean done = new AtomicBoolean();
    private volatile boolean pending;
    private volatile boolean adopted;
    private Scope callerScope;

    private ProduceCall(Span span) {
        this.span = span;
    }

    /**
     * Starts the call of an asynchronous send on the caller's thread, in the caller's scope
     * (docs/model.md#rule-4: the library's task that sends it continues the caller's call, it is
     * not a hand-off): the ids are the caller's next, and go on the message before the hand-off.
     * The task the send makes next on this thread is {@linkplain #bindTask bound} to the call.
     */
    public static ProduceCall startAsync(String topic, String tags, long bodyLen) {
        ProduceCall call = start(topic, tags, "async", bodyLen);
        SENDING.set(null);
        STARTING.set(call);
        return call;
    }

    /**
     * The asynchronous send started on this thread has handed {@code message} over (or failed
     * to): the end of {@link #startAsync}. When no task of the library's was bound to the call
     * (a client whose send is shaped otherwise), the send of {@code message} on whatever thread
     * {@linkplain #adopt adopts} it instead.
     */
    public static void startedAsync(Object message) {
        ProduceCall call = STARTING.get();
        if (call != null) {
            STARTING.set(null);
            if (message != null) {
                UNBOUND.put(message, call);
            }
        }
    }

    /**
     * A task made on this thread: when an asynchronous send being started made it, it is the
     * task that sends the message, and runs in the caller's scope.
     */
    public static boolean bindTask(Object task) {
        ProduceCall call = STARTING.get();
        if (call == null || task == null) {
            return false;
        }
        STARTING.set(null);
        TASKS.put(task, call);
        return true;
    }

    /**
     * The task bound to a call starts running on this thread (in the caller's scope: the advice
     * made the task a {@code Continuations} continuation): returns the call, which the send
     * running next on this thread {@linkplain #adopt adopts}; null for any other task.
     */
    public static ProduceCall taskRuns(Object task) {
        if (task == null || TASKS.isEmpty()) {
            return null;
        }
        ProduceCall call = TASKS.get(task);
        if (call == null) {
            return null;
        }
        TASKS.remove(task);
        RUNNING.set(call);
        return call;
    }

    /**
     * The task of this call returned: a send it never made ends the call. The task found the
     * send's time already spent while it waited in the executor's queue, and told the callback
     * so with the library's {@code RemotingTooMuchRequestException}: the record's code is that
     * name (or the class of what the task threw).
     */
    public void taskEnded(Throwable thrown) {
        RUNNING.set(null);
        if (!adopted && claim()) {
            try {
                if (thrown == null) {
                    span.msg("DEFAULT ASYNC send call timeout");
                }
                span.code(thrown == null ? "RemotingTooMuchRequestException" : code(thrown, -1))
                        .error(thrown).close();
            } catch (Throwable t) {
                AdviceErrors.record(t);
            }
        }
    }

    /**
     * The send of {@code message} starting on this thread: the asynchronous call its task runs
     * for, now the thread's {@linkplain #current current} send; null when it is a send of its own.
     */
    public static ProduceCall adopt(Object message) {
        ProduceCall call = RUNNING.get();
        if (call != null) {
            RUNNING.set(null);
        } else if (message != null && !UNBOUND.isEmpty()) {
            call = UNBOUND.get(message);
            if (call != null) {
                UNBOUND.remove(message);
            }
        }
        if (call != null) {
            call.adopted = true;
            SENDING.set(call);
        }
        return call;
    }

    /**
     * Starts the call of a send to {@code topic} on this thread: {@code x_action} the topic,
     * {@code x_extra.tags}, {@code x_extra.mode} ({@code sync}, {@code async}, {@code oneway}),
     * {@code x_response_len} the body's bytes (when {@code bodyLen >= 0}), {@code x_module}
     * the application method that sent it.
     */
    public static ProduceCall start(String topic, String tags, String mode, long bodyLen) {
        // Design note: a synchronous or one-way send starts, runs and ends on this thread, so its
        // record is pooled; an asynchronous one keeps its own (docs/RATIONALE.md, "Pooled records
        // for spans that end on another thread").
        Span span = inOrder(mode) ? SpanHooks.call(PRODUCE) : Trace.call(PRODUCE);
        ProduceCall call = new ProduceCall(span.action(topic));
        try {
            call.span.module(CallerModule.of(TOPICS, topic == null ? "" : topic));
            if (tags != null && !tags.isEmpty()) {
                call.span.extra("tags", tags);
            }
            if (mode != null) {
                call.span.extra("mode", UserProperties.lowerCase(mode));
            }
            if (bodyLen >= 0) {
                call.span.responseLen(bodyLen);
            }
        } catch (Throwable t) {
            AdviceErrors.record(t);
        }
        try {
            call.callerScope = CurrentScope.get();
        } catch (Throwable t) {
            AdviceErrors.record(t);
        }
        SENDING.set(call);
        return call;
    }

    /** True for the modes whose call ends where it starts: {@code SYNC} and {@code ONEWAY}. */
    static boolean inOrder(String mode) {
        return "SYNC".equalsIgnoreCase(mode) || "ONEWAY".equalsIgnoreCase(mode);
    }

    /**
     * The library's handler of a broker's answer (or of a failed attempt) starts on this thread:
     * returns what to pass to {@link #answerEnds}, null when an outer handler already did.
     */
    public static Scope[] answerStarts() {
        if (ANSWER.get() != null) {
            return null;
        }
        Scope[] frame = {UNCHANGED};
        ANSWER.set(frame);
        return frame;
    }

    /**
     * The answer to this call is being handled on this thread: the rest of the handler (the
     * application's {@code SendCallback}) runs in the caller's scope, so a call made in the
     * callback is numbered there, like OkHttp's callback (docs/model.md#rule-4).
     */
    public void answeredHere() {
        try {
            Scope[] frame = ANSWER.get();
            if (frame != null && frame[0] == UNCHANGED && callerScope != null) {
                frame[0] = CurrentScope.set(callerScope);
            }
        } catch (Throwable t) {
            AdviceErrors.record(t);
        }
    }

    /** The handler {@link #answerStarts} saw start returned: puts the thread's scope back. */
    public static void answerEnds(Scope[] frame) {
        if (frame != null) {
            ANSWER.set(null);
            if (frame[0] != UNCHANGED) {
                CurrentScope.restore(frame[0]);
            }
        }
    }

    /**
     * The user properties to put on the message, as name/value pairs followed by a null (one
     * array a call, no list and copy): the ids of this call (docs/propagation.md#headers:
     * {@code x_trace_id}, {@code x_rpc_id}, the debug pair) and the interop ids, which replace
     * any the message carried.
     */
    public String[] properties() {
        String[] pairs = new String[2 * UserProperties.CARRIED.length + 1];   // a null ends the pairs
        Propagation.inject(pairs, UserProperties.SETTER, SpanHooks.scope(span), span.rpcId(), true);
        return pairs;
    }

    /** The call of the send running on this thread, or null. */
    public static ProduceCall current() {
        return SENDING.get();
    }

    /** Ends the send on this thread: the call it started, or null. */
    public static ProduceCall endSend() {
        ProduceCall call = SENDING.get();
        if (call != null) {
            SENDING.set(null);
        }
        return call;
    }

    /** An attempt goes to the broker {@code addr} ({@code ip:port}) named {@code brokerName}. */
    public void sentTo(String addr, String brokerName) {
        try {
            if (addr != null) {
                span.host(addr);
            }
            if (brokerName != null) {
                span.extra("broker", brokerName);
            }
        } catch (Throwable t) {
            AdviceErrors.record(t);
        }
    }

    /** An asynchronous attempt sends {@code message}: its answer ends the call. */
    public void pendingOn(Object message) {
        if (message != null) {
            pending = true;
            PENDING.put(message, this);
        }
    }

    /** True when an asynchronous answer ends this call (not the return of the send). */
    public boolean pending() {
        return pending;
    }

    /** The call waiting for the answer to {@code message}, unbinding it; null when none. */
    public static ProduceCall forMessage(Object message) {
        if (message == null) {
            return null;
        }
        ProduceCall sending = SENDING.get();
        if (sending != null && !sending.pending) {
            // the answer to this thread's synchronous send: its return ends the call, and no
            // asynchronous send waits on this thread (no look into PENDING's shared counters)
            return null;
        }
        if (PENDING.isEmpty()) {
            return null;
        }
        ProduceCall call = PENDING.get(message);
        if (call != null) {
            PENDING.remove(message);
        }
        return call;
    }

    /** True for the one caller that may finish this call. */
    public boolean claim() {
        return done.compareAndSet(false, true);
    }

    /**
     * The broker stored the message: writes {@code rocketmq.produce} with {@code x_extra.msg_id},
     * {@code queue_id}, {@code queue_offset}; a status other than {@code SEND_OK} (the message is
     * stored but not flushed or replicated in time) is its {@code x_code}. {@code msgId} null:
     * no answer was waited for (one-way).
     */
    public void acked(String status, String msgId, int queueId, long queueOffset) {
        try {
            if (msgId != null) {
                span.extra("msg_id", msgId).extra("queue_id", queueId).extra("queue_offset", queueOffset);
            }
            if (status != null && !status.equals("SEND_OK")) {
                span.code(status);
            }
            span.close();
        } catch (Throwable t) {
            AdviceErrors.record(t);
        }
    }

    /** The send failed: writes {@code rocketmq.produce.error} coded by {@link #code}. */
    public void failed(Throwable thrown, int responseCode) {
        try {
            span.code(code(thrown, responseCode)).error(thrown).close();
        } catch (Throwable t) {
            AdviceErrors.record(t);
        }
    }

    /**
     * {@code x_code} of a failed send: the library's response code when it gave one
     * ({@code 10005} no route to the topic, {@code 10001} broker unreachable, {@code 10002} broker
     * timed out, or the broker's own code such as {@code 17} topic not found there), else the
     * exception's class name ({@code RemotingTooMuchRequestException} when the send's time ran
     * out, {@code RemotingConnectException}, …).
     */
    public static String code(Throwable thrown, int responseCode) {
        if (responseCode > 0) {
            return Integer.toString(responseCode);
        }
        return thrown == null ? "error" : thrown.getClass().getSimpleName();
    }

    /**
     * The {@code CallDepth} key of the asynchronous send methods, which call one another (a
     * public type: the advice naming it is inlined into the library's class).
     */
    public static final class AsyncSend {
        private AsyncSend() {
        }
    }
}
