package io.rpctrace.viewer;

import io.rpctrace.record.RecordNames;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * {@code slow [paths...|--es URL [--index PATTERN]] [--since 1h] [--top N]}: the slowest served requests
 * ({@code request.info}, failed ones included), slowest first. Each scanning thread keeps a
 * heap of N, and only parses a line whose {@code x_duration} would enter it.
 */
final class SlowCommand {
    private static final byte[] REQUEST_INFO = RecordNames.REQUEST_INFO.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REQUEST_INFO_ERROR =
            RecordNames.error(RecordNames.REQUEST_INFO).getBytes(StandardCharsets.US_ASCII);
    private static final Comparator<TraceRecord> FASTEST_FIRST = Comparator
            .comparingDouble(TraceRecord::durationS)
            .thenComparing(TraceRecord::line, Comparator.reverseOrder());

    private SlowCommand() {
    }

    /** One scanning thread's N slowest. */
    static final class Sink implements LineSink {
        private final ScanStats stats;
        private final Window window;
        private final int top;
        final PriorityQueue<TraceRecord> slowest = new PriorityQueue<>(FASTEST_FIRST);

        Sink(ScanStats stats, Window window, int top) {
            this.stats = stats;
            this.window = window;
            this.top = top;
        }

        @Override
        public void line(byte[] b, int from, int to, String source) {
            int ns = LinePeek.nameStart(b, from, to);
            int ne = ns < 0 ? -1 : LinePeek.nameEnd(b, ns, to);
            if (ne >= 0) {
                if (!LinePeek.equals(b, ns, ne, REQUEST_INFO) && !LinePeek.equals(b, ns, ne, REQUEST_INFO_ERROR)) {
                    return;
                }
                double d = LinePeek.duration(b, ne, to);
                if (slowest.size() >= top && d >= 0 && d < slowest.peek().durationS()) {
                    return;
                }
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
            if (!r.baseName().equals(RecordNames.REQUEST_INFO) || r.durationS() < 0 || !window.contains(r)) {
                return;
            }
            slowest.add(r);
            if (slowest.size() > top) {
                slowest.poll();
            }
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
        List<Sink> sinks = LogSources.scan(sources, stdin, null, () -> new Sink(stats, window, top), stats, err,
                a.intValue("--threads", ViewerMain.defaultThreads()));
        List<TraceRecord> all = new ArrayList<>();
        for (Sink s : sinks) {
            all.addAll(s.slowest);
        }
        all.sort(FASTEST_FIRST.reversed());
        if (!a.flag("--quiet")) {
            err.println("rpctrace: " + stats.summary());
        }
        return print(all.subList(0, Math.min(top, all.size())), window, TextRenderer.plural(sources.size(), "file"),
                "[paths...]", out);
    }

    /** {@code slow --es URL}: one sorted search over the served requests of every host. */
    private static int fromEngine(Arguments a, Window window, int top, PrintStream out, PrintStream err) {
        ScanStats stats = new ScanStats(); // its clock starts now
        EngineSearch search = EngineSearch.of(a, 0);
        List<TraceRecord> found;
        try {
            found = new ArrayList<>(search.slow(window.fromMs(), top));
        } catch (EngineClient.EngineException e) {
            return EngineSearch.failed(e, err);
        }
        search.summarize(stats, a, err);
        found.sort(FASTEST_FIRST.reversed());
        return print(found, window, search.where(),
                "--es " + search.url() + (a.value("--index") == null ? "" : " --index " + a.value("--index")), out);
    }

    /** The list as the user sees it, whichever the source. */
    static int print(List<TraceRecord> shown, Window window, String where, String how,
                     PrintStream out) {
        if (shown.isEmpty()) {
            out.println("no request.info records" + window.describe() + " in " + where);
            out.flush();
            return ViewerMain.NOT_FOUND;
        }
        out.println("slowest request.info" + window.describe() + " (" + shown.size() + "):");
        out.println(String.format("  %10s  %-27s  %-32s  %s", "duration", "started", "trace id", "service  action  code"));
        for (TraceRecord r : shown) {
            StringBuilder what = new StringBuilder(r.service().isEmpty() ? "?" : r.service());
            if (r.action() != null) {
                what.append("  ").append(TextRenderer.oneLine(r.action()));
            }
            if (r.code() != null) {
                what.append("  ").append(r.code());
            }
            if (r.isError()) {
                what.append("  ERROR");
            }
            out.println(String.format("  %10s  %-27s  %-32s  %s", TimeFormat.seconds(r.durationS()),
                    TimeFormat.instant(r.startMs()), r.traceId(), what));
        }
        out.println("open one: java -jar trace-agent.jar trace <trace id> " + how);
        out.flush();
        return ViewerMain.OK;
    }
}
