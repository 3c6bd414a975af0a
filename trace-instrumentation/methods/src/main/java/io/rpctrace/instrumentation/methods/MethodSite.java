package io.rpctrace.instrumentation.methods;

import io.rpctrace.context.CurrentScope;
import io.rpctrace.context.Scope;
import io.rpctrace.internal.Tracing;
import io.rpctrace.metrics.MetricsRegistry;
import io.rpctrace.metrics.TimerSeries;
import io.rpctrace.record.Record;
import io.rpctrace.record.RecordNames;
import io.rpctrace.writer.RecordWriter;

/**
 * One traced method: its {@code x_module}, its {@code x_action} and whether its calls write a
 * record. {@link #enter} on entry, {@link #exit} on exit (normal or by a throwable).
 *
 * <p>A call with a record is a local span (docs/model.md#rule-4): a child scope current while
 * the method runs, one {@code method} record at the child prefix when it returns. It is written
 * straight into a slot of the writer's ring rather than through a {@code Span} (whose record
 * would be filled, then copied): the only objects a call makes are its scope and that scope's
 * prefix. A call without a record makes nothing: it reads the clock twice and feeds the
 * method's timer, which the site keeps rather than looking it up per call.
 *
 * <p>Design note: the child scope and the previous one live only in the traced method's frame
 * (advice locals), so a method that never returns holds one scope and nothing else, and a
 * thread keeps no stack of its own. Nesting deeper than the RPC id grammar allows
 * (docs/model.md#ids: 64 segments, 512 characters), which only a deep recursion reaches,
 * writes no record for the deeper calls: they are timed in the metrics only, so that no record
 * ever carries an invalid id.
 */
public final class MethodSite {
    private static final String METHOD_ERROR = RecordNames.error(RecordNames.METHOD);
    /** Segments and characters the child's prefix and one call inside it may still add. */
    private static final int MAX_SEGMENTS = 64 - 2;
    private static final int MAX_CHARS = 512 - 2 * 11;

    private final String module;
    private final String action;
    private final boolean records;
    /** The timer of this method in the running tracer's registry; replaced if the tracer is. */
    private volatile BoundTimer timer;

    MethodSite(String module, String action, boolean records) {
        this.module = module;
        this.action = action;
        this.records = records;
    }

    /** {@code <service>_<SimpleClass>_<method>} or what {@code @Traced} says. */
    public String module() {
        return module;
    }

    /** {@code com.shop.OrderService.place(String,int)}. */
    public String action() {
        return action;
    }

    /** False: metrics only ({@code methods.records=false}, {@code :metrics}, {@code @Traced(records = false)}). */
    public boolean records() {
        return records;
    }

    /**
     * On entry, with the scope current before the call (null outside any): the call's child
     * scope, made current until {@link #exit}; null when the call is only timed.
     */
    public Scope enter(Scope previous) {
        if (!records) {
            return null;
        }
        Scope parent = previous;
        if (parent == null) {
            parent = Scope.newRoot();   // rule 6: a trace of its own, the span at 0.1
        } else if (tooDeep(parent.prefix())) {
            return null;
        }
        Scope child = parent.child();
        CurrentScope.set(child);
        return child;
    }

    /**
     * On exit: puts {@code previous} back and writes the record of {@code child} (a throwable
     * makes it {@code method.error}: its class in {@code x_code}, its text in {@code x_msg},
     * its stack in {@code x_backtrace}); feeds the method's timer either way.
     */
    public void exit(Scope child, Scope previous, long startedNanos, Throwable thrown) {
        long nanos = System.nanoTime() - startedNanos;
        Tracing tracing = Tracing.get();
        if (child != null) {
            CurrentScope.restore(previous);
            write(tracing.writer(), child, nanos, thrown);
        }
        timer(tracing.metrics()).recordNanos(nanos, thrown != null);
    }

    private void write(RecordWriter writer, Scope child, long nanos, Throwable thrown) {
        Record r = writer.claim();
        if (r == null) {
            return;   // the ring is full: the writer counts the drop
        }
        try {
            r.name(thrown == null ? RecordNames.METHOD : METHOD_ERROR).traceId(child.traceId()).rpcId(child.prefix())
                    .timestampMs(System.currentTimeMillis() - nanos / 1_000_000).durationNanos(nanos)
                    .threadId(Thread.currentThread().getId()).module(module).action(action);
            if (thrown != null) {
                r.code(thrown.getClass().getName()).msg(thrown.toString()).error(thrown);
            }
        } finally {
            writer.publish(r);
        }
    }

    private TimerSeries timer(MetricsRegistry registry) {
        BoundTimer b = timer;
        if (b == null || b.registry != registry) {
            b = new BoundTimer(registry, registry.timer(RecordNames.METHOD, module, null, null));
            timer = b;
        }
        return b.series;
    }

    static boolean tooDeep(String prefix) {
        if (prefix.length() > MAX_CHARS) {
            return true;
        }
        int segments = 1;
        for (int i = 0; i < prefix.length(); i++) {
            if (prefix.charAt(i) == '.') {
                segments++;
            }
        }
        return segments > MAX_SEGMENTS;
    }

    @Override
    public String toString() {
        return module + " " + action + (records ? "" : " (metrics only)");
    }

    /** A registry and this method's series in it, swapped together. */
    private static final class BoundTimer {
        final MetricsRegistry registry;
        final TimerSeries series;

        BoundTimer(MetricsRegistry registry, TimerSeries series) {
            this.registry = registry;
            this.series = series;
        }
    }
}
