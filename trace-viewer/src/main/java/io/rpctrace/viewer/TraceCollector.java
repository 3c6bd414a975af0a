package io.rpctrace.viewer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the records of one trace from the lines the scanners select; shared by all
 * scanning threads. A line that is not a record is counted and skipped; an exact duplicate
 * of a line already collected (the same file given twice, a copy next to its original) is
 * counted and dropped.
 *
 * <p>Design note: a span's line is unique (its id is its own), so a span line seen again is a
 * copy. A log record takes its scope's id, so the same message logged twice in one millisecond
 * of one request is two identical lines, both real: a log line is kept as many times as the one
 * source holding it most often has it, a file and its rolled siblings being one source (two in
 * one file are two events; the file and its copy still show them twice, not four times).
 */
final class TraceCollector implements LineSink {
    private final String traceId;
    private final ScanStats stats;
    private final Map<String, Kept> byLine = new LinkedHashMap<>();

    TraceCollector(String traceId, ScanStats stats) {
        this.traceId = traceId;
        this.stats = stats;
    }

    @Override
    public void line(byte[] buf, int from, int to, String source) {
        TraceRecord r = RecordParser.parse(buf, from, to, source);
        if (r == null) {
            stats.malformed.incrementAndGet();
            r = RecordParser.recoverGlued(buf, from, to, source);
            if (r == null) {
                return;
            }
        }
        add(r);
    }

    /** Keeps {@code r} if it is a record of this trace and not an exact duplicate of one kept. */
    void add(TraceRecord r) {
        if (!traceId.equals(r.traceId())) {
            return; // the id appeared elsewhere on the line, e.g. in x_extra
        }
        synchronized (byLine) {
            Kept k = byLine.get(r.line());
            if (k == null) {
                byLine.put(r.line(), new Kept(r));
            } else if (!isLog(r) || !k.seenAgain(r)) {
                stats.duplicates.incrementAndGet();
            }
        }
    }

    List<TraceRecord> records() {
        synchronized (byLine) {
            List<TraceRecord> out = new ArrayList<>(byLine.size());
            for (Kept k : byLine.values()) {
                out.addAll(k.copies);
            }
            return out;
        }
    }

    /**
     * A source's file and its rolled siblings as one ({@code x.trace.log}, {@code x.trace.log.2026-12-06-14.3}):
     * the lines a request logged before and after a roll, or read by a shipper under the file's
     * name before and after its rename (an engine's {@code log.file.path}), count together.
     */
    static String family(String source) {
        if (source == null) {
            return null;
        }
        int at = source.lastIndexOf(".trace.log");
        return at < 0 ? source : source.substring(0, at + ".trace.log".length());
    }

    private static boolean isLog(TraceRecord r) {
        String name = r.name();
        return name != null && name.startsWith("log.");
    }

    /** A line's kept copies, and how often each source has had it. */
    private static final class Kept {
        final List<TraceRecord> copies = new ArrayList<>(1);
        final Map<String, Integer> perSource = new HashMap<>(2);

        Kept(TraceRecord first) {
            copies.add(first);
            perSource.put(family(first.source()), 1);
        }

        /** Counts {@code r} for its file family; true when that makes one more copy to show. */
        boolean seenAgain(TraceRecord r) {
            int n = perSource.merge(family(r.source()), 1, Integer::sum);
            if (n > copies.size()) {
                copies.add(r);
                return true;
            }
            return false;
        }
    }
}
