package io.rpctrace.viewer;

import java.io.PrintStream;

/**
 * The trace as text, one line per record, indented by the depth of its RPC id:
 *
 * <pre>
 *   offset  duration  rpc id / record
 *     +0ms   120.0ms  0.1 request.info  java-a-1.0  POST /orders  code=200
 *     +7ms    40.0ms  0.3 http.post  java-a-1.0  http://b/reserve  code=200  -&gt; java-b-2.0 0.3.1, network 6.000ms
 *    +10ms    34.0ms    0.3.1 request.info  java-b-2.0  /reserve  code=200  &lt;- http.post 0.3
 *                       0.4 (task scope, no record of its own)
 * ! +101ms    12.0ms    0.4.2 mysql.request.error  java-a-1.0  select 2  code=1213  ERROR: Deadlock found
 * </pre>
 *
 * ASCII only, so it survives any terminal and stays greppable.
 */
final class TextRenderer {
    private static final int MAX_TEXT = 120;

    private TextRenderer() {
    }

    static void render(TraceTree t, PrintStream out) {
        StringBuilder head = new StringBuilder();
        head.append("trace ").append(t.traceId())
                .append("  started ").append(TimeFormat.instant(t.startMs()));
        if (t.startMs() >= 0) {
            head.append("  took ").append(TimeFormat.duration(t.endMs() - t.startMs()));
        }
        head.append("  ").append(plural(t.recordCount(), "record"))
                .append(", ").append(plural(t.services().size(), "service"))
                .append(", ").append(plural(t.errorCount(), "error"));
        if (t.taskScopeCount() > 0) {
            head.append(", ").append(plural(t.taskScopeCount(), "task scope"));
        }
        if (t.missingCount() > 0) {
            head.append(", ").append(plural(t.missingCount(), "missing record"));
        }
        out.println(head);
        if (!t.services().isEmpty()) {
            out.println("services: " + String.join(", ", t.services()));
        }
        out.println();
        out.println("  " + TimeFormat.padLeft("offset", 8) + " " + TimeFormat.padLeft("duration", 10) + "  rpc id / record");
        for (TraceTree.Row row : t.rows()) {
            out.println(line(t, row.level, row.node, row.record));
        }
        if (!t.unplaced().isEmpty()) {
            out.println();
            out.println("records without a valid x_rpc_id:");
            for (TraceRecord r : t.unplaced()) {
                out.println(line(t, 0, "-", r));
            }
        }
    }

    static String line(TraceTree t, int level, TraceNode node, TraceRecord r) {
        StringBuilder sb = new StringBuilder(160);
        if (r == null) {
            sb.append("  ").append(TimeFormat.padLeft("", 8)).append(' ').append(TimeFormat.padLeft("", 10)).append("  ");
            indent(sb, level).append(node.id()).append(' ').append(node.placeholderText());
            return sb.toString();
        }
        return line(t, level, node.id(), r);
    }

    static String line(TraceTree t, int level, String id, TraceRecord r) {
        StringBuilder sb = new StringBuilder(160);
        long offset = t.offsetMs(r);
        sb.append(r.isError() ? "! " : "  ")
                .append(TimeFormat.padLeft(TimeFormat.offset(offset), 8)).append(' ')
                .append(TimeFormat.padLeft(TimeFormat.seconds(r.durationS()), 10)).append("  ");
        indent(sb, level).append(id).append(' ').append(r.name());
        if (!r.service().isEmpty()) {
            sb.append("  ").append(r.service());
        }
        String action = r.action();
        if (action != null && !action.isEmpty()) {
            sb.append("  ").append(oneLine(action));
        } else if (r.isLogOrMetric() && r.msg() != null) {
            sb.append("  \"").append(oneLine(r.msg())).append('"');
        }
        if (r.code() != null && !r.code().isEmpty()) {
            sb.append("  code=").append(oneLine(r.code()));
        }
        TraceRecord server = t.serverOf(r);
        if (server != null) {
            double net = t.networkMs(r);
            sb.append("  -> ").append(server.service().isEmpty() ? "?" : server.service())
                    .append(' ').append(server.rpcId());
            if (!Double.isNaN(net)) {
                sb.append(server.baseName().equals("kafka.consume") ? ", consumed after " : ", network ")
                        .append(TimeFormat.duration(net));
            }
        }
        TraceRecord client = t.clientOf(r);
        if (client != null) {
            sb.append("  <- ").append(client.name()).append(' ').append(client.rpcId());
            if (!client.service().isEmpty()) {
                sb.append(" (").append(client.service()).append(')');
            }
        }
        long skew = t.skewMs(r);
        if (skew != 0) {
            sb.append("  (clock ").append(skew > 0 ? "+" : "").append(skew).append("ms)");
        }
        if (r.isError()) {
            sb.append("  ERROR");
            if (r.msg() != null && !r.msg().isEmpty() && !r.isLogOrMetric()) {
                sb.append(": ").append(oneLine(r.msg()));
            } else if (r.isLogOrMetric() && action != null && r.msg() != null) {
                sb.append(": ").append(oneLine(r.msg()));
            }
        }
        return sb.toString();
    }

    private static StringBuilder indent(StringBuilder sb, int level) {
        for (int i = 0; i < level; i++) {
            sb.append("  ");
        }
        return sb;
    }

    /** Whitespace runs (newlines in SQL, stack traces) folded to one space, cut at {@value #MAX_TEXT} chars. */
    static String oneLine(String s) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), MAX_TEXT + 3));
        boolean space = false;
        int i = 0;
        for (; i < s.length() && sb.length() < MAX_TEXT; i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                space = true;
            } else {
                if (space && sb.length() > 0) {
                    sb.append(' ');
                }
                space = false;
                sb.append(c);
            }
        }
        if (i < s.length() && s.substring(i).trim().length() > 0) {
            sb.append("...");
        }
        return sb.toString();
    }

    static String plural(int n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }
}
