package io.rpctrace.bench.cpu;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * CPU time of the threads a library runs an application's listener on (a RabbitMQ consumer's
 * dispatch thread, a RocketMQ consume thread, a Dubbo provider's handler threads), per message:
 * the listener calls {@link #count()} once per message, and {@link ThreadCpuProfiler} reports
 * {@code cpu.<label>} in ns per message for each iteration. A thread's whole CPU time in the
 * iteration counts, not only the listener's part: the library's work around the listener (and the
 * agent's advice on it) is the point.
 *
 * <pre>{@code
 * static final ListenerCpu DELIVERY = ListenerCpu.named("delivery");
 * ... handleDelivery(...) { DELIVERY.count(); ... }
 * }</pre>
 */
public final class ListenerCpu {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final List<ListenerCpu> REGISTERED = new CopyOnWriteArrayList<>();

    private final String label;
    /** The CPU time of each listener thread seen so far, when this iteration started (or when first seen in it). */
    private final Map<Long, Long> start = new ConcurrentHashMap<>();
    private final LongAdder messages = new LongAdder();
    private volatile boolean frozen;
    private long frozenCpu;
    private long frozenMessages;

    private ListenerCpu(String label) {
        this.label = label;
    }

    /** A meter reported as {@code cpu.<label>} by {@link ThreadCpuProfiler}. */
    public static ListenerCpu named(String label) {
        ListenerCpu meter = new ListenerCpu(label);
        REGISTERED.add(meter);
        return meter;
    }

    static List<ListenerCpu> registered() {
        return REGISTERED;
    }

    /** One message handled, on the listener's thread; a thread seen for the first time counts from now. */
    public void count() {
        long id = Thread.currentThread().getId();
        if (!start.containsKey(id)) {
            start.put(id, THREADS.getCurrentThreadCpuTime());
        }
        messages.increment();
    }

    /**
     * Takes the iteration's figure now, before the listener's threads end (a consumer shut down in
     * an iteration's or the trial's tear-down, which JMH runs before the profiler's end of the
     * iteration); that end then keeps it. An iteration in which a listener thread ended before
     * this reports nothing (its CPU time is gone with it).
     */
    public void freeze() {
        long cpu = cpuSinceStart();
        frozenCpu = cpu;
        frozenMessages = cpu < 0 ? 0 : messages.sum();
        frozen = true;
    }

    void begin() {
        frozen = false;
        messages.reset();
        // the threads of the last iteration start from their CPU time now; dead ones are dropped
        for (Long id : start.keySet()) {
            long t = THREADS.getThreadCpuTime(id);
            if (t < 0) {
                start.remove(id);
            } else {
                start.put(id, t);
            }
        }
    }

    void end() {
        if (!frozen) {
            freeze();
        }
    }

    String label() {
        return label;
    }

    long cpuNanos() {
        return frozenCpu;
    }

    long messages() {
        return frozenMessages;
    }

    /** The listener threads' CPU time in this iteration, or -1 when one of them has ended. */
    private long cpuSinceStart() {
        long sum = 0;
        for (Map.Entry<Long, Long> e : start.entrySet()) {
            long t = THREADS.getThreadCpuTime(e.getKey());
            if (t < 0) {
                return -1;
            }
            sum += t - e.getValue();
        }
        return sum;
    }
}
