package io.rpctrace.viewer;

import io.rpctrace.record.RecordNames;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code errors [paths...|--es URL [--index PATTERN]] [--since 1h] [--top N]}: the traces that have error records
 * ({@link TraceRecord#isError()}), the most recent error first, with the first error of each
 * so the user knows which trace id to open.
 *
 * <p>Memory grows with the number of distinct traces that have errors, not with the logs.
 */
final class ErrorsCommand {
    private static final byte[] ERROR_SUFFIX = ".error".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LOG_ERROR = RecordNames.LOG_ERROR.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LOG_EXCEPTION = RecordNames.LOG_EXCEPTION.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LOG_ALARM = RecordNames.LOG_ALARM.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REQUEST_INFO = RecordNames.REQUEST_INFO.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HTTP = "http.".getBytes(StandardCharsets.US_ASCII);
    private static final Needle CODE_5XX = new Needle("\"x_code\":\"5".getBytes(StandardCharsets.US_ASCII));

    private ErrorsCommand() {
    }

    /**
     * Which error of a trace is its first: the earliest start, then the smaller RPCID and record
     * name, as {@link EngineQueries#errors} sorts them in the search engine, so that files and
     * engine name the same first error when two errors start in the same millisecond (a failed
     * call and the callee's failed request often do); the line itself only settles the rest.
     */
    static final Comparator<TraceRecord> EARLIER = Comparator.comparingLong(TraceRecord::startMs)
            .thenComparing(r -> r.rpcId() == null ? "" : r.rpcId())
            .thenComparing(r -> r.name() == null ? "" : r.name())
            .thenComparing(TraceRecord::line);

    /** What one trace's errors sum up to. */
    static final class Summary {
        final String traceId;
        int errors;
        long lastMs = -1;
        TraceRecord first;

        Summary(String traceId) {
            this.traceId = traceId;
        }

        void add(TraceRecord r) {
            errors++;
            lastMs = Math.max(lastMs, r.startMs());
            if (first == null || EARLIER.compare(r, first) < 0) {
                first = r;
            }
        }

        void merge(Summary o) {
            errors += o.errors;
            lastMs = Math.max(lastMs, o.lastMs);
            if (first == null || EARLIER.compare(o.first, first) < 0) {
                first = o.first;
            }
        }
    }

    /** One scanning thread's findings. */
    static final class Sink implements LineSink {
        private final ScanStats stats;
        private final Window window;
        final Map<String, Summary> byTrace = new HashMap<>();

        Sink(ScanStats stats, Window window) {
            this.stats = stats;
            this.window = window;
        }

        @Override
        public void line(byte[] b, int from, int to, String source) {
            int ns = LinePeek.nameStart(b, from, to);
            int ne = ns < 0 ? -1 : LinePeek.nameEnd(b, ns, to);
            if (ne >= 0 && !mayBeError(b, ns, ne, to)) {
                return;
            }
            stats.candidates.incrementAndGet();
            TraceRecord r = RecordParser.parse(b, from, to, source);
            if (r == null) {
                stats.malformed.incrementAndGet();
                r = RecordParser.recoverGlued(b, from, to, source);
                if (r == null) {
                    return;
                }
            }
            if (r.isError() && window.contains(r)) {
                byTrace.computeIfAbsent(r.traceId(), Summary::new).add(r);
            }
        }

        private static boolean mayBeError(byte[] b, int ns, int ne, int to) {
            if (LinePeek.endsWith(b, ns, ne, ERROR_SUFFIX) || LinePeek.equals(b, ns, ne, LOG_ERROR)
                    || LinePeek.equals(b, ns, ne, LOG_EXCEPTION) || LinePeek.equals(b, ns, ne, LOG_ALARM)) {
                return true;
            }
            boolean http = LinePeek.equals(b, ns, ne, REQUEST_INFO) || LinePeek.startsWith(b, ns, ne, HTTP);
            return http && LinePeek.contains(b, ne, to, CODE_5XX);
        }
    }

    static int run(Arguments a, InputStream stdin, PrintStream out, PrintStream err) {
        int top = a.intValue("--top", 20);
        Window window = Window.since(a.value("--since"), System.currentTimeMillis());
        if (a.value("--es") != null) {
            return fromEngine(a, window, top, out, err);
        }
        ScanStats stats = new ScanStats();
        List<String> sources = LogSources.resolve(a.positional, stats, err);
        List<Sink> sinks = LogSources.scan(sources, stdin, null, () -> new Sink(stats, window), stats, err,
                a.intValue("--threads", ViewerMain.defaultThreads()));
        Map<String, Summary> all = new HashMap<>();
        for (Sink s : sinks) {
            for (Summary sum : s.byTrace.values()) {
                Summary mine = all.get(sum.traceId);
                if (mine == null) {
                    all.put(sum.traceId, sum);
                } else {
                    mine.merge(sum);
                }
            }
        }
        List<Summary> list = new ArrayList<>(all.values());
        list.sort(NEWEST_FIRST);
        if (!a.flag("--quiet")) {
            err.println("rpctrace: " + stats.summary());
        }
        return print(list.subList(0, Math.min(top, list.size())), list.size(), window,
                TextRenderer.plural(sources.size(), "file"),
                "[paths...]", out);
    }

    private static final java.util.Comparator<Summary> NEWEST_FIRST = (x, y) -> x.lastMs != y.lastMs
            ? Long.compare(y.lastMs, x.lastMs) : x.traceId.compareTo(y.traceId);

    /** {@code errors --es URL}: one aggregation over the error records of every host. */
    private static int fromEngine(Arguments a, Window window, int top, PrintStream out, PrintStream err) {
        ScanStats stats = new ScanStats(); // its clock starts now
        EngineSearch search = EngineSearch.of(a, 0);
        ErrorsFromEngine found;
        try {
            found = search.errors(window.fromMs(), top);
        } catch (EngineClient.EngineException e) {
            return EngineSearch.failed(e, err);
        }
        search.summarize(stats, a, err);
        List<Summary> list = new ArrayList<>(found.traces);
        list.sort(NEWEST_FIRST);
        return print(list, Math.max(found.total, list.size()), window, search.where(),
                "--es " + search.url() + (a.value("--index") == null ? "" : " --index " + a.value("--index")), out);
    }

    /** The list as the user sees it, whichever the source; {@code total} traces have errors. */
    static int print(List<Summary> shown, long total, Window window, String where, String how,
                     PrintStream out) {
        if (shown.isEmpty()) {
            out.println("no error records" + window.describe() + " in " + where);
            out.flush();
            return ViewerMain.NOT_FOUND;
        }
        out.println("traces with errors" + window.describe() + ", newest first (" + shown.size() + " of " + total + "):");
        out.println(String.format("  %-27s %6s  %-32s  %s", "last error", "errors", "trace id", "first error"));
        for (Summary s : shown) {
            TraceRecord f = s.first;
            StringBuilder first = new StringBuilder();
            first.append(f.rpcId() == null ? "-" : f.rpcId()).append(' ').append(f.name());
            if (!f.service().isEmpty()) {
                first.append("  ").append(f.service());
            }
            String why = f.msg() != null ? f.msg() : f.code() != null ? "code " + f.code() : f.action();
            if (why != null && !why.isEmpty()) {
                first.append(": ").append(TextRenderer.oneLine(why));
            }
            out.println(String.format("  %-27s %6d  %-32s  %s", TimeFormat.instant(s.lastMs), s.errors, s.traceId, first));
        }
        out.println("open one: java -jar trace-agent.jar trace <trace id> " + how);
        out.flush();
        return ViewerMain.OK;
    }
}
