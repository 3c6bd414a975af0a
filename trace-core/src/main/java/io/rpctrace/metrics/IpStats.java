package io.rpctrace.metrics;

import io.rpctrace.config.Config;
import io.rpctrace.context.Scope;
import io.rpctrace.record.Record;
import io.rpctrace.record.RecordNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.function.Consumer;

/**
 * Per-client-IP traffic windows of served requests (docs/metrics.md {@code metric.ip}), the figures a
 * t-io {@code IpStat} keeps: requests, errors, bad requests, bytes in and out, handled time
 * total/average/max, first and last seen — for several windows at once
 * ({@code ipstats.windows=1m,5m,1h}). Windows are aligned to the epoch (a 5m window starts at
 * :00, :05, …). Each window keeps at most {@code ipstats.max.ips} IPs; the rest fold into
 * {@value MetricsRegistry#OTHER} and are counted, so memory stays flat under a flood.
 *
 * <p>Recording is lock-free; it allocates only the first time an IP is seen in a window, and
 * the first request after a window's end rolls it (one short lock per window length). A
 * closed window is written one tick after it was rolled, so a request that took it just
 * before the roll is still counted in it.
 */
public final class IpStats {
    private final Window[] windows;
    private final int maxIps;
    private final AtomicLong folded = new AtomicLong();

    /** @param windowsMs window lengths in milliseconds; empty disables IP statistics */
    public IpStats(long[] windowsMs, int maxIps, long nowMs) {
        this.maxIps = Math.max(1, maxIps);
        this.windows = new Window[windowsMs.length];
        for (int i = 0; i < windowsMs.length; i++) {
            windows[i] = new Window(windowsMs[i], nowMs, this.maxIps);
        }
    }

    /**
     * Parses {@code ipstats.windows} ({@code 10s,5m,1h}; {@code ;} separates too, as agent
     * arguments cannot hold a comma); a bad entry is reported and skipped.
     */
    public static long[] parseWindows(Config config, String key, String def) {
        String spec = config.get(key, def);
        List<Long> out = new ArrayList<>();
        for (String part : spec.split("[,;]")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            long ms = Config.parseDurationMs(p, 1000);
            if (ms < 1000 || ms > 86_400_000L) {
                config.report(key, spec, "has a window '" + p + "' that is not a duration between 1s and 24h",
                        "the other windows");
                continue;
            }
            if (!out.contains(ms)) {
                out.add(ms);
            }
        }
        long[] a = new long[out.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = out.get(i);
        }
        return a;
    }

    /** True when at least one window is configured. */
    public boolean enabled() {
        return windows.length > 0;
    }

    /** IPs folded into {@code other} so far (one per window and IP). */
    public long folded() {
        return folded.get();
    }

    /**
     * Records one served request.
     *
     * @param ip     the client IP (already X-Forwarded-For aware); null counts as {@code unknown}
     * @param status the status code (0 when none): 5xx is an error, 400 a bad request
     * @param failed true when the request ended with an exception (an error too)
     * @param bad    true when the request was malformed (a bad request too)
     */
    public void record(String ip, long bytesIn, long bytesOut, long handledNanos, int status, boolean failed,
                       boolean bad, long nowMs) {
        String key = ip == null || ip.isEmpty() ? "unknown" : ip;
        boolean error = failed || status >= 500;
        boolean badRequest = bad || status == 400;
        for (Window w : windows) {
            w.bucketAt(nowMs, maxIps).entry(key, maxIps, folded)
                    .add(bytesIn, bytesOut, handledNanos, error, badRequest, nowMs);
        }
    }

    /** Rolls windows whose end has passed and writes the ones closed before the previous tick. */
    void tick(long nowMs, Consumer<Record> sink, Scope root, Record scratch) {
        for (Window w : windows) {
            // a bucket is written one tick after it was retired: a request that took it just
            // before the roll has finished adding to it by then
            for (Bucket b : w.retired) {
                emit(b, w.lengthMs, sink, root, scratch);
            }
            w.retired.clear();
            w.bucketAt(nowMs, maxIps); // rolls a window no request has rolled
            for (Bucket b; (b = w.retiring.poll()) != null; ) {
                w.retired.add(b);
            }
        }
    }

    /** Writes every window now, partial ones included (shutdown). */
    void flushAll(Consumer<Record> sink, Scope root, Record scratch) {
        for (Window w : windows) {
            for (Bucket b : w.retired) {
                emit(b, w.lengthMs, sink, root, scratch);
            }
            w.retired.clear();
            for (Bucket b; (b = w.retiring.poll()) != null; ) {
                emit(b, w.lengthMs, sink, root, scratch);
            }
            Bucket cur = w.current;
            w.current = new Bucket(cur.startMs, maxIps);
            emit(cur, w.lengthMs, sink, root, scratch);
        }
    }

    private static void emit(Bucket b, long lengthMs, Consumer<Record> sink, Scope root, Record scratch) {
        List<IpEntry> entries = new ArrayList<>(b.map.values());
        if (b.other.requests > 0) {
            entries.add(b.other);
        }
        for (IpEntry e : entries) {
            long n = e.requests;
            if (n == 0) {
                continue;
            }
            Record r = scratch.reset()
                    .name(RecordNames.METRIC_IP).traceId(root.traceId()).rpcId(root.prefix(), root.nextCall())
                    .timestampMs(b.startMs).clientIp(e.ip)
                    .extra("window_s", lengthMs / 1000L)
                    .extra("requests", n)
                    .extra("errors", e.errors)
                    .extra("bad_requests", e.bad)
                    .extra("bytes_in", e.bytesIn)
                    .extra("bytes_out", e.bytesOut)
                    .extra("bytes_in_per_request", Math.round((double) e.bytesIn / n))
                    .extra("handled_s", e.handledNanos / 1e9)
                    .extra("handled_avg_s", e.handledNanos / 1e9 / n)
                    .extra("handled_max_s", e.maxNanos / 1e9)
                    .extra("first_seen_ms", e.firstSeen)
                    .extra("last_seen_ms", e.lastSeen);
            sink.accept(r);
        }
    }

    static long align(long nowMs, long lengthMs) {
        return nowMs - Math.floorMod(nowMs, lengthMs);
    }

    private static final class Window {
        final long lengthMs;
        volatile Bucket current;
        /** Buckets retired by a roll, not yet seen by a tick (any thread adds). */
        final ConcurrentLinkedQueue<Bucket> retiring = new ConcurrentLinkedQueue<>();
        /** Buckets a tick has seen retired: written at the next tick (metrics thread only). */
        final List<Bucket> retired = new ArrayList<>();

        Window(long lengthMs, long nowMs, int maxIps) {
            this.lengthMs = lengthMs;
            this.current = new Bucket(align(nowMs, lengthMs), maxIps);
        }

        /**
         * The bucket of {@code nowMs}: the current one, or, once its window has ended, a new
         * one (the first request after the end rolls it, so no request lands in a window that
         * has closed; the metrics thread rolls windows without traffic).
         */
        Bucket bucketAt(long nowMs, int maxIps) {
            Bucket cur = current;
            if (nowMs < cur.startMs + lengthMs) {
                return cur;
            }
            synchronized (this) { // once per window length, by one thread
                cur = current;
                if (nowMs >= cur.startMs + lengthMs) {
                    Bucket next = new Bucket(align(nowMs, lengthMs), maxIps);
                    retiring.add(cur);
                    current = next;
                    cur = next;
                }
                return cur;
            }
        }
    }

    private static final class Bucket {
        final long startMs;
        final Map<String, IpEntry> map;
        final AtomicInteger size = new AtomicInteger();
        final IpEntry other = new IpEntry(MetricsRegistry.OTHER);

        Bucket(long startMs, int maxIps) {
            this.startMs = startMs;
            this.map = new ConcurrentHashMap<>(Math.min(maxIps, 64));
        }

        IpEntry entry(String ip, int maxIps, AtomicLong folded) {
            IpEntry e = map.get(ip);
            if (e != null) {
                return e;
            }
            if (size.get() >= maxIps) {
                folded.incrementAndGet();
                return other;
            }
            return map.computeIfAbsent(ip, k -> {
                size.incrementAndGet();
                return new IpEntry(k);
            });
        }
    }

    /** Figures of one IP in one window; updated with field updaters (no per-request allocation). */
    static final class IpEntry {
        private static final AtomicLongFieldUpdater<IpEntry> REQUESTS = updater("requests");
        private static final AtomicLongFieldUpdater<IpEntry> ERRORS = updater("errors");
        private static final AtomicLongFieldUpdater<IpEntry> BAD = updater("bad");
        private static final AtomicLongFieldUpdater<IpEntry> BYTES_IN = updater("bytesIn");
        private static final AtomicLongFieldUpdater<IpEntry> BYTES_OUT = updater("bytesOut");
        private static final AtomicLongFieldUpdater<IpEntry> HANDLED = updater("handledNanos");
        private static final AtomicLongFieldUpdater<IpEntry> MAX = updater("maxNanos");
        private static final AtomicLongFieldUpdater<IpEntry> FIRST = updater("firstSeen");
        private static final AtomicLongFieldUpdater<IpEntry> LAST = updater("lastSeen");

        private static AtomicLongFieldUpdater<IpEntry> updater(String field) {
            return AtomicLongFieldUpdater.newUpdater(IpEntry.class, field);
        }

        final String ip;
        volatile long requests;
        volatile long errors;
        volatile long bad;
        volatile long bytesIn;
        volatile long bytesOut;
        volatile long handledNanos;
        volatile long maxNanos;
        volatile long firstSeen = Long.MAX_VALUE;
        volatile long lastSeen;

        IpEntry(String ip) {
            this.ip = ip;
        }

        void add(long in, long out, long nanos, boolean error, boolean badRequest, long nowMs) {
            REQUESTS.incrementAndGet(this);
            if (error) {
                ERRORS.incrementAndGet(this);
            }
            if (badRequest) {
                BAD.incrementAndGet(this);
            }
            if (in > 0) {
                BYTES_IN.addAndGet(this, in);
            }
            if (out > 0) {
                BYTES_OUT.addAndGet(this, out);
            }
            if (nanos > 0) {
                HANDLED.addAndGet(this, nanos);
                long m = maxNanos;
                while (nanos > m && !MAX.compareAndSet(this, m, nanos)) {
                    m = maxNanos;
                }
            }
            long f = firstSeen;
            while (nowMs < f && !FIRST.compareAndSet(this, f, nowMs)) {
                f = firstSeen;
            }
            long l = lastSeen;
            while (nowMs > l && !LAST.compareAndSet(this, l, nowMs)) {
                l = lastSeen;
            }
        }
    }
}
