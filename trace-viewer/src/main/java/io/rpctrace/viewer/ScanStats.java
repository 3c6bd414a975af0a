package io.rpctrace.viewer;

import java.util.concurrent.atomic.AtomicLong;

/** What a scan read and what it had to skip; shared by the scanning threads. */
final class ScanStats {
    final AtomicLong files = new AtomicLong();
    /** Bytes scanned, after decompression. */
    final AtomicLong bytes = new AtomicLong();
    /** Lines that matched the search and were parsed. */
    final AtomicLong candidates = new AtomicLong();
    /** Candidate lines that were not a JSON record (cut in half, garbage, not an object). */
    final AtomicLong malformed = new AtomicLong();
    /** Lines longer than the scanner's largest buffer; skipped. */
    final AtomicLong oversized = new AtomicLong();
    /** Exact duplicates of a record already seen (the same file read twice, overlapping copies). */
    final AtomicLong duplicates = new AtomicLong();
    /** Files that could not be read at all, or gzip files that ended early. */
    final AtomicLong unreadable = new AtomicLong();
    private final long startNanos = System.nanoTime();

    long elapsedNanos() {
        return System.nanoTime() - startNanos;
    }

    /** One line for stderr: {@code scanned 3 files, 1.0 GiB in 0.93 s (1.08 GiB/s); 2 malformed lines skipped}. */
    String summary() {
        double s = elapsedNanos() / 1e9;
        double gib = bytes.get() / (double) (1L << 30);
        StringBuilder sb = new StringBuilder();
        sb.append("scanned ").append(files.get()).append(files.get() == 1 ? " file, " : " files, ")
                .append(TimeFormat.bytes(bytes.get())).append(" in ").append(TimeFormat.fixed(s, 2)).append(" s");
        if (s > 0 && bytes.get() >= 1L << 20) {
            sb.append(" (").append(TimeFormat.fixed(gib / s, 2)).append(" GiB/s)");
        }
        appendCount(sb, malformed.get(), "malformed line skipped", "malformed lines skipped");
        appendCount(sb, oversized.get(), "oversized line skipped", "oversized lines skipped");
        appendCount(sb, duplicates.get(), "duplicate record dropped", "duplicate records dropped");
        appendCount(sb, unreadable.get(), "file unreadable or truncated", "files unreadable or truncated");
        return sb.toString();
    }

    /** One line for a search: {@code 12 records in 1 request, 8.1 KiB in 0.03 s; 1 duplicate record dropped}. */
    String summaryOfSearch(int requests) {
        double s = elapsedNanos() / 1e9;
        StringBuilder sb = new StringBuilder();
        sb.append(requests).append(requests == 1 ? " request, " : " requests, ").append(TimeFormat.bytes(bytes.get()))
                .append(" in ").append(TimeFormat.fixed(s, 2)).append(" s");
        appendCount(sb, malformed.get(), "document that is not a record skipped",
                "documents that are not records skipped");
        appendCount(sb, duplicates.get(), "duplicate record dropped", "duplicate records dropped");
        return sb.toString();
    }

    private static void appendCount(StringBuilder sb, long n, String one, String many) {
        if (n > 0) {
            sb.append("; ").append(n).append(' ').append(n == 1 ? one : many);
        }
    }
}
