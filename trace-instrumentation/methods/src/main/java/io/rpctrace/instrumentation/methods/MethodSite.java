package io.rpctrace.instrumentation.methods;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.context.CurrentScope;
import io.rpctrace.context.Scope;
import io.rpctrace.internal.Tracing;
import io.rpctrace.record.RecordNames;

/**
 * One traced method: its {@code x_module}, its {@code x_action} and whether its calls write a
 * record. {@link #open()} on entry, {@link #close} on exit (normal or by a throwable).
 *
 * <p>Design note: the span lives only in the traced method's frame (an advice local), so a
 * method that never returns holds one span and nothing else, and a thread keeps no stack of
 * its own. Nesting deeper than the RPC id grammar allows (docs/model.md#ids: 64 segments, 512
 * characters), which only a deep recursion reaches, writes no record for the deeper calls:
 * they are timed in the metrics only, so that no record ever carries an invalid id.
 */
public final class MethodSite {
    /** Segments and characters the child's prefix and one call inside it may still add. */
    private static final int MAX_SEGMENTS = 64 - 2;
    private static final int MAX_CHARS = 512 - 2 * 11;

    private final String module;
    private final String action;
    private final boolean records;

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
     * On entry: the local span of this call (rule 4), current until {@link #close}; null when
     * the call is only timed.
     */
    public Span open() {
        if (!records) {
            return null;
        }
        Scope parent = CurrentScope.get();
        if (parent != null && tooDeep(parent.prefix())) {
            return null;
        }
        return Trace.span(RecordNames.METHOD).module(module).action(action);
    }

    /**
     * On exit: closes {@code span} (a throwable makes it {@code method.error}, its class in
     * {@code x_code}), which writes the record and feeds the timer; without a span, feeds the
     * timer {@code (method, module)} directly, allocating nothing.
     */
    public void close(Span span, long startedNanos, Throwable thrown) {
        if (span != null) {
            if (thrown != null) {
                span.code(thrown.getClass().getName()).error(thrown);
            }
            span.close();
            return;
        }
        long nanos = System.nanoTime() - startedNanos;
        Tracing.get().metrics().timer(RecordNames.METHOD, module, null, null).recordNanos(nanos, thrown != null);
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
}
