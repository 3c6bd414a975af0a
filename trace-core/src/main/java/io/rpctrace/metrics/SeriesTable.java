package io.rpctrace.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Timer series by {@code (action, module, host, instanceName)} with an allocation-free,
 * lock-free lookup: open addressing over a fixed array sized once for {@code maxSeries}.
 * Inserts (the first observation of a series) take a lock. Beyond {@code maxSeries} a new
 * key folds into {@code (action, "other")}, and beyond the reserve kept for those into
 * {@code ("other", "other")}; each fold is counted.
 */
final class SeriesTable {
    private final int maxSeries;
    private final int maxOthers;
    private final AtomicReferenceArray<TimerSeries> slots;
    private final int mask;
    private final List<TimerSeries> all = new ArrayList<>();
    private volatile TimerSeries[] snapshot = new TimerSeries[0];
    private final java.util.concurrent.atomic.AtomicLong folded = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean full;
    private int regular;
    private int others;

    SeriesTable(int maxSeries) {
        this.maxSeries = maxSeries;
        this.maxOthers = Math.max(16, Math.min(256, maxSeries / 8));
        int cap = Integer.highestOneBit(Math.max(4, (maxSeries + maxOthers + 1) * 2) - 1) << 1;
        this.slots = new AtomicReferenceArray<>(cap);
        this.mask = cap - 1;
    }

    /** The series of this key, created (or folded) on first use. */
    TimerSeries get(String action, String module, String host, String instance) {
        int h = hash(action, module, host, instance);
        for (int i = h & mask, probes = 0; probes <= mask; i = (i + 1) & mask, probes++) {
            TimerSeries s = slots.get(i);
            if (s == null) {
                break;
            }
            if (s.hash == h && s.key().matches(action, module, host, instance)) {
                return s;
            }
        }
        if (full) {
            // lock-free fold once the table is full: only a new "other" series takes the lock
            folded.incrementAndGet();
            TimerSeries o = find(action, MetricsRegistry.OTHER, null, null);
            if (o == null) {
                o = find(MetricsRegistry.OTHER, MetricsRegistry.OTHER, null, null);
            }
            if (o != null) {
                return o;
            }
            return insertOther(action);
        }
        return insert(action, module, host, instance);
    }

    private synchronized TimerSeries insert(String action, String module, String host, String instance) {
        TimerSeries existing = find(action, module, host, instance);
        if (existing != null) {
            return existing;
        }
        if (regular >= maxSeries) {
            full = true;
            folded.incrementAndGet();
            return insertOther(action);
        }
        regular++;
        return put(new SeriesKey(action, module, host, instance));
    }

    private synchronized TimerSeries insertOther(String action) {
        String a = others < maxOthers ? action : MetricsRegistry.OTHER;
        TimerSeries o = find(a, MetricsRegistry.OTHER, null, null);
        if (o != null) {
            return o;
        }
        others++;
        return put(new SeriesKey(a, MetricsRegistry.OTHER, null, null));
    }

    private TimerSeries find(String action, String module, String host, String instance) {
        int h = hash(action, module, host, instance);
        for (int i = h & mask, probes = 0; probes <= mask; i = (i + 1) & mask, probes++) {
            TimerSeries s = slots.get(i);
            if (s == null) {
                return null;
            }
            if (s.hash == h && s.key().matches(action, module, host, instance)) {
                return s;
            }
        }
        return null;
    }

    private TimerSeries put(SeriesKey key) {
        TimerSeries s = new TimerSeries(key);
        s.hash = hash(key.action, key.module, key.host, key.instanceName);
        for (int i = s.hash & mask; ; i = (i + 1) & mask) {
            if (slots.get(i) == null) {
                slots.set(i, s);
                break;
            }
        }
        all.add(s);
        snapshot = all.toArray(new TimerSeries[0]);
        return s;
    }

    /** Every series, for the metrics thread. */
    TimerSeries[] series() {
        return snapshot;
    }

    /** Observations that went to an {@code other} series because the table was full. */
    long folded() {
        return folded.get();
    }

    static int hash(String action, String module, String host, String instance) {
        int h = action == null ? 0 : action.hashCode();
        h = h * 31 + (module == null ? 0 : module.hashCode());
        h = h * 31 + (host == null ? 0 : host.hashCode());
        h = h * 31 + (instance == null ? 0 : instance.hashCode());
        return h ^ (h >>> 16);
    }
}
