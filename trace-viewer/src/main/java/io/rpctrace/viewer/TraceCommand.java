package io.rpctrace.viewer;

import io.rpctrace.context.TraceId;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code trace <traceId> [paths...|--es URL [--index PATTERN]] [--html FILE] [--json]}: finds
 * every record of one trace, in files or in a search engine, and draws its tree ({@link TextRenderer}, {@link JsonRenderer}, {@link HtmlRenderer}).
 */
final class TraceCommand {
    private TraceCommand() {
    }

    /** The one collector every scanning thread feeds (a class, not a lambda: see TraceTree). */
    private static final class Shared<S> implements Supplier<S> {
        private final S sink;

        Shared(S sink) {
            this.sink = sink;
        }

        @Override
        public S get() {
            return sink;
        }
    }

    static int run(Arguments a, InputStream stdin, PrintStream out, PrintStream err) {
        if (a.positional.isEmpty()) {
            throw new IllegalArgumentException("trace needs a trace id");
        }
        String traceId = a.positional.get(0);
        if (!TraceId.isValid(traceId)) {
            throw new IllegalArgumentException("'" + TextRenderer.oneLine(traceId)
                    + "' is not a trace id (1-64 characters of 0-9 A-Z a-z _ -)");
        }
        ScanStats stats = new ScanStats();
        TraceCollector collector = new TraceCollector(traceId, stats);
        String es = a.value("--es");
        if (es != null) {
            EngineSearch search = EngineSearch.of(a, 1);
            try {
                for (TraceRecord r : search.trace(traceId, stats)) {
                    collector.add(r);
                }
            } catch (EngineClient.EngineException e) {
                return EngineSearch.failed(e, err);
            }
            search.summarize(stats, a, err);
            if (collector.records().isEmpty()) {
                err.println("rpctrace: no record of trace " + traceId + " in " + search.where());
                return ViewerMain.NOT_FOUND;
            }
        } else {
            List<String> sources = LogSources.resolve(a.positional.subList(1, a.positional.size()), stats, err);
            LogSources.scan(sources, stdin, Needle.quoted(traceId), new Shared<>(collector), stats, err,
                    a.intValue("--threads", ViewerMain.defaultThreads()));
            if (!a.flag("--quiet")) {
                err.println("rpctrace: " + stats.summary());
            }
            if (collector.records().isEmpty()) {
                err.println("rpctrace: no record of trace " + traceId + " in "
                        + TextRenderer.plural(sources.size(), "file") + (sources.isEmpty() ? " (give paths, or set log.dir)" : ""));
                return ViewerMain.NOT_FOUND;
            }
        }
        List<TraceRecord> records = collector.records();
        TraceTree tree = TraceTree.build(traceId, records);
        try {
            if (a.flag("--json")) {
                JsonRenderer.render(tree, stats, out);
            } else {
                TextRenderer.render(tree, out);
            }
            String html = a.value("--html");
            if (html != null) {
                Path file = Paths.get(html);
                if (file.toAbsolutePath().getParent() != null) {
                    Files.createDirectories(file.toAbsolutePath().getParent());
                }
                Files.write(file, HtmlRenderer.render(tree, stats).getBytes(StandardCharsets.UTF_8));
                err.println("rpctrace: wrote " + file.toAbsolutePath());
            }
        } catch (IOException e) {
            err.println("rpctrace: cannot write output: " + e.getMessage());
            return ViewerMain.USAGE;
        }
        out.flush();
        return ViewerMain.OK;
    }
}
