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
 * {@code slow [paths...] [--since 1h] [--top N]}: the slowest served requests
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
        if (all.isEmpty()) {
            out.println("no request.info records" + window.describe() + " in " + TextRenderer.plural(sources.size(), "file"));
            out.flush();
            return ViewerMain.NOT_FOUND;
        }
        List<TraceRecord> shown = all.subList(0, Math.min(top, all.size()));
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
        out.println("open one: java -jar trace-agent.jar trace <trace id> [paths...]");
        out.flush();
        return ViewerMain.OK;
    }
}
