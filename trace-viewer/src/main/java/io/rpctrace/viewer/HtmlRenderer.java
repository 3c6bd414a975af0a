package io.rpctrace.viewer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The trace as one self-contained HTML page ({@code --html FILE}): the RPC id tree on the
 * left, a waterfall timeline on the right (bars from {@code x_timestamp_ms} and
 * {@code x_duration}, one colour per service, errors in red), and the record's fields when
 * a row is clicked. No external assets: the CSS and the few lines of script are in
 * {@code viewer.css} and {@code viewer.js} next to this class and are inlined.
 *
 * <p>Design note: the rows are rendered here, not by the script, so the page reads (and
 * prints) with scripts disabled; the script only adds details-on-click and collapsing.
 * Record text is hostile input: it is HTML-escaped in the rows, and the details data is
 * JSON with {@code <}, {@code >}, {@code &} and the JavaScript line separators escaped, so it
 * cannot close its {@code <script>} element.
 */
final class HtmlRenderer {
    /** Service colours, in order of the services joining the trace; red is kept for errors. */
    static final String[] PALETTE = {
        "#3b82f6", "#10b981", "#8b5cf6", "#f59e0b", "#06b6d4", "#ec4899", "#84cc16", "#6366f1", "#14b8a6", "#a16207",
    };
    private static final JsonFactory JSON = new JsonFactory();

    private HtmlRenderer() {
    }

    static String render(TraceTree t, ScanStats stats) {
        Map<String, String> colours = new HashMap<>();
        for (String s : t.services()) {
            colours.put(s, PALETTE[colours.size() % PALETTE.length]);
        }
        long t0 = t.startMs();
        long span = Math.max(1, t.endMs() - t0);
        List<TraceTree.Row> rows = t.rows();
        StringBuilder h = new StringBuilder(4096 + rows.size() * 600);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>trace ").append(esc(t.traceId())).append("</title>\n<style>")
                .append(resource("viewer.css")).append("</style></head>\n<body>\n");
        header(t, colours, h);
        double step = tickStep(span);
        h.append("<main>\n<section class=\"waterfall\">\n<div class=\"row head\"><div class=\"name\">RPC id · record</div>")
                .append("<div class=\"time\">");
        // ticks every step, then the trace's end at the right edge; none too close to it
        for (double v = 0; v * 100.0 / span <= 78; v += step) {
            h.append("<span class=\"tick\" style=\"left:").append(fmt(v * 100.0 / span)).append("%\"><i>")
                    .append(esc(TimeFormat.tick(v))).append("</i></span>");
        }
        h.append("<span class=\"tick end\" style=\"right:0\"><i>").append(esc(TimeFormat.tick(span)))
                .append("</i></span>");
        h.append("</div></div>\n<div class=\"rows\" style=\"--grid:").append(fmt(step * 100.0 / span))
                .append("%\">\n");
        int selected = -1;
        for (int i = 0; i < rows.size(); i++) {
            TraceTree.Row row = rows.get(i);
            boolean hasChildren = !row.sameIdAsPrevious && !row.node.children().isEmpty()
                    && (row.record == null || !row.record.isLogOrMetric());
            row(t, row, i, hasChildren, colours, t0, span, h);
            if (selected < 0 && row.record != null && row.record.isError()) {
                selected = i;
            }
        }
        int index = rows.size();
        if (!t.unplaced().isEmpty()) {
            h.append("<div class=\"sep\">records without a valid x_rpc_id</div>\n");
        }
        for (TraceRecord r : t.unplaced()) {
            row(t, new TraceTree.Row(0, new TraceNode("-", null), r, false), index++, false, colours, t0, span, h);
        }
        h.append("</div>\n</section>\n<aside id=\"details\"><p class=\"hint\">Click a row to see its record.</p></aside>\n</main>\n");
        h.append("<footer>rpctrace · ").append(esc(stats == null ? "" : stats.summary()))
                .append(" · offsets from x_timestamp_ms, bars from x_duration</footer>\n");
        h.append("<script type=\"application/json\" id=\"records\">");
        data(t, rows, h);
        h.append("</script>\n<script>var SELECTED=").append(selected < 0 ? 0 : selected).append(";\n")
                .append(resource("viewer.js")).append("</script>\n</body></html>\n");
        return h.toString();
    }

    private static void header(TraceTree t, Map<String, String> colours, StringBuilder h) {
        h.append("<header>\n<div class=\"title\"><span class=\"kind\">Trace</span><code>")
                .append(esc(t.traceId())).append("</code></div>\n<div class=\"stats\">");
        stat(h, t.startMs() < 0 ? "-" : TimeFormat.duration(t.endMs() - t.startMs()), "duration", false);
        stat(h, String.valueOf(t.recordCount()), "records", false);
        stat(h, String.valueOf(t.services().size()), "services", false);
        stat(h, String.valueOf(t.errorCount()), t.errorCount() == 1 ? "error" : "errors", t.errorCount() > 0);
        if (t.taskScopeCount() > 0) {
            stat(h, String.valueOf(t.taskScopeCount()), t.taskScopeCount() == 1 ? "task scope" : "task scopes", false);
        }
        if (t.missingCount() > 0) {
            stat(h, String.valueOf(t.missingCount()), t.missingCount() == 1 ? "missing record" : "missing records", true);
        }
        stat(h, TimeFormat.instant(t.startMs()), "started", false);
        h.append("</div>\n<div class=\"legend\">");
        for (String s : t.services()) {
            h.append("<span class=\"svc\"><i style=\"background:").append(colours.get(s)).append("\"></i>")
                    .append(esc(s)).append("</span>");
        }
        h.append("<span class=\"svc\"><i class=\"err\"></i>error</span></div>\n</header>\n");
    }

    private static void stat(StringBuilder h, String value, String label, boolean bad) {
        h.append("<div class=\"stat").append(bad ? " bad" : "").append("\"><b>").append(esc(value))
                .append("</b><span>").append(esc(label)).append("</span></div>");
    }

    private static void row(TraceTree t, TraceTree.Row row, int i, boolean hasChildren, Map<String, String> colours,
                            long t0, long span, StringBuilder h) {
        TraceRecord r = row.record;
        String colour = r == null ? "#94a3b8" : colours.getOrDefault(r.service(), "#64748b");
        h.append("<div class=\"row");
        if (r == null) {
            h.append(" ph");
        } else if (r.isError()) {
            h.append(" err");
        }
        if (r != null && r.isLogOrMetric()) {
            h.append(" log");
        }
        h.append("\" data-i=\"").append(i).append("\" data-level=\"").append(row.level)
                .append("\" style=\"--c:").append(colour).append(";--l:").append(row.level).append("\">");
        // name column
        h.append("<div class=\"name\">");
        h.append(hasChildren ? "<b class=\"caret\"></b>" : "<b class=\"nocaret\"></b>");
        h.append("<span class=\"id\">").append(esc(row.node.id())).append("</span>");
        if (r == null) {
            h.append("<span class=\"nm\">").append(esc(row.node.placeholderText())).append("</span>");
        } else {
            h.append("<span class=\"dot\"></span><span class=\"nm\">").append(esc(r.name())).append("</span>");
            TraceRecord server = t.serverOf(r);
            if (server != null) {
                double net = t.networkMs(r);
                boolean kafka = server.baseName().equals("kafka.consume");
                h.append("<span class=\"badge pair\" title=\"")
                        .append(kafka ? "consumed this long after the produce" : "client duration minus server duration")
                        .append("\">⇄ ").append(Double.isNaN(net) ? "" : esc(TimeFormat.duration(net)))
                        .append(kafka ? " lag" : " net").append("</span>");
            }
            if (t.clientOf(r) != null) {
                h.append("<span class=\"badge served\">↳ served</span>");
            }
            String what = r.action() != null ? r.action() : r.msg();
            if (what != null && !what.isEmpty()) {
                h.append("<span class=\"act\">").append(esc(TextRenderer.oneLine(what))).append("</span>");
            }
        }
        h.append("</div>");
        // timeline column
        h.append("<div class=\"time\">");
        if (r == null) {
            long[] extent = extent(t, row.node);
            if (extent[0] >= 0 && t0 >= 0) {
                bar(h, "bar ghost", extent[0] - t0, extent[1] - extent[0], span, null);
            }
        } else if (r.hasStart() && t0 >= 0) {
            long off = t.offsetMs(r);
            double durMs = r.durationS() * 1000;
            if (r.durationS() < 0) {
                double left = pct(off, span);
                h.append("<span class=\"mark\" style=\"left:").append(fmt(left)).append("%\"></span>");
                label(h, left, left, TimeFormat.offset(off));
            } else {
                bar(h, "bar", off, durMs, span, TimeFormat.seconds(r.durationS()));
            }
        }
        h.append("</div></div>\n");
    }

    private static void bar(StringBuilder h, String cls, double offMs, double durMs, long span, String text) {
        double left = pct(offMs, span);
        double width = Math.min(100 - left, pct(durMs, span));
        h.append("<span class=\"").append(cls).append("\" style=\"left:").append(fmt(left))
                .append("%;width:").append(fmt(width)).append("%\"></span>");
        if (text != null) {
            label(h, left, left + width, text);
        }
    }

    /** A step of 1, 2 or 5 times a power of ten that gives 4 to 10 ticks over {@code span} ms. */
    static double tickStep(double span) {
        double raw = span / 5;
        double pow = Math.pow(10, Math.floor(Math.log10(raw)));
        double m = raw / pow;
        return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * pow;
    }

    /**
     * The duration label goes right of the bar; inside it when a wide bar ends near the edge;
     * left of it otherwise.
     */
    private static void label(StringBuilder h, double left, double right, String text) {
        if (right >= 82 && right - left > 14) {
            h.append("<span class=\"lbl inbar\" style=\"right:calc(").append(fmt(100 - right)).append("% + 6px)\">");
        } else if (right < 82) {
            h.append("<span class=\"lbl\" style=\"left:calc(").append(fmt(right)).append("% + 6px)\">");
        } else {
            h.append("<span class=\"lbl in\" style=\"right:calc(").append(fmt(100 - left)).append("% + 6px)\">");
        }
        h.append(esc(text)).append("</span>");
    }

    /** Start and end (epoch ms) of everything under a placeholder, or {-1, -1}. */
    private static long[] extent(TraceTree t, TraceNode n) {
        long[] e = {-1, -1};
        extent(t, n, e);
        return e;
    }

    private static void extent(TraceTree t, TraceNode n, long[] e) {
        for (TraceRecord r : n.records()) {
            if (r.hasStart()) {
                long s = t.startMs(r);
                long end = s + Math.max(0, Math.round(r.durationS() * 1000));
                e[0] = e[0] < 0 ? s : Math.min(e[0], s);
                e[1] = Math.max(e[1], end);
            }
        }
        for (TraceNode c : n.children()) {
            extent(t, c, e);
        }
    }

    private static double pct(double ms, long span) {
        return Math.max(0, Math.min(100, ms * 100.0 / span));
    }

    private static String fmt(double v) {
        return TimeFormat.fixed(v, 3);
    }

    /** The details shown on click: one entry per row, in row order. */
    private static void data(TraceTree t, List<TraceTree.Row> rows, StringBuilder h) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.setCharacterEscapes(new ScriptSafeEscapes());
            g.writeStartArray();
            for (TraceTree.Row row : rows) {
                entry(t, row.node, row.record, g);
            }
            for (TraceRecord r : t.unplaced()) {
                entry(t, "-", r, g);
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        h.append(w);
    }

    private static void entry(TraceTree t, TraceNode node, TraceRecord r, JsonGenerator g) throws IOException {
        if (r == null) {
            g.writeStartObject();
            g.writeStringField("id", node.id());
            g.writeBooleanField("task_scope", node.isTaskScope());
            g.writeEndObject();
            return;
        }
        entry(t, node.id(), r, g);
    }

    private static void entry(TraceTree t, String id, TraceRecord r, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", id);
        if (r != null) {
            g.writeStringField("start", TimeFormat.instant(r.startMs()));
            g.writeStringField("offset", TimeFormat.offset(t.offsetMs(r)));
            if (t.skewMs(r) != 0) {
                g.writeStringField("clock", "shifted " + (t.skewMs(r) > 0 ? "+" : "") + t.skewMs(r)
                        + "ms: this host's clock disagrees with its caller's");
            }
            g.writeStringField("duration", TimeFormat.seconds(r.durationS()));
            g.writeBooleanField("error", r.isError());
            TraceRecord server = t.serverOf(r);
            if (server != null) {
                g.writeStringField("callee", server.rpcId() + " " + server.name() + " " + server.service());
                double net = t.networkMs(r);
                if (!Double.isNaN(net)) {
                    g.writeStringField("network", TimeFormat.duration(net)
                            + (server.baseName().equals("kafka.consume") ? " after the produce" : " (client − server)"));
                }
            }
            TraceRecord client = t.clientOf(r);
            if (client != null) {
                g.writeStringField("caller", client.rpcId() + " " + client.name() + " " + client.service());
            }
            g.writeStringField("source", r.source());
            g.writeFieldName("fields");
            JsonRenderer.writeValue(r.fields(), g);
        }
        g.writeEndObject();
    }

    /** Escapes what could end a {@code <script>} element or a JavaScript string. */
    static final class ScriptSafeEscapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        private final int[] table;

        ScriptSafeEscapes() {
            table = CharacterEscapes.standardAsciiEscapesForJSON();
            table['<'] = CharacterEscapes.ESCAPE_STANDARD;
            table['>'] = CharacterEscapes.ESCAPE_STANDARD;
            table['&'] = CharacterEscapes.ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return table;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            if (ch == 0x2028) {
                return new SerializedString("\\u2028");
            }
            if (ch == 0x2029) {
                return new SerializedString("\\u2029");
            }
            return null;
        }
    }

    static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&': sb.append("&amp;"); break;
                case '<': sb.append("&lt;"); break;
                case '>': sb.append("&gt;"); break;
                case '"': sb.append("&quot;"); break;
                case '\'': sb.append("&#39;"); break;
                default: sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String resource(String name) {
        try (InputStream in = HtmlRenderer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            byte[] b = new byte[8192];
            for (int n; (n = in.read(b)) > 0; ) {
                out.write(b, 0, n);
            }
            return new String(out.toByteArray(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
