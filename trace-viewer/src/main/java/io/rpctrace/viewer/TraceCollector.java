package io.rpctrace.viewer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the records of one trace from the lines the scanners select; shared by all
 * scanning threads. A line that is not a record is counted and skipped; an exact duplicate
 * of a line already collected (the same file given twice, a copy next to its original) is
 * counted and dropped.
 */
final class TraceCollector implements LineSink {
    private final String traceId;
    private final ScanStats stats;
    private final Map<String, TraceRecord> byLine = new LinkedHashMap<>();

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
            if (byLine.putIfAbsent(r.line(), r) != null) {
                stats.duplicates.incrementAndGet();
            }
        }
    }

    List<TraceRecord> records() {
        synchronized (byLine) {
            return new ArrayList<>(byLine.values());
        }
    }
}
