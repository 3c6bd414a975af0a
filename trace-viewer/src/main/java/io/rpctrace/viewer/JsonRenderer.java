package io.rpctrace.viewer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.rpctrace.context.RpcId;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The assembled trace as one JSON document for other tools ({@code --json}):
 *
 * <pre>{@code
 * {"trace_id":"4bf9…","start_ms":1763800000100,"duration_ms":120,"records":9,"errors":1,
 *  "services":["java-a-1.0","java-b-2.0"],
 *  "tree":[{"rpc_id":"0.1","depth":2,"placeholder":false,
 *           "records":[{"offset_ms":0,"error":false,"record":{"x_name":"request.info",…}}],
 *           "children":[]},
 *          {"rpc_id":"0.3",…,"records":[{…,"callee":"0.3.1","network_ms":6.0,…}],"children":[…]}],
 *  "unplaced":[…],
 *  "scan":{"files":3,"bytes":1048576,"malformed":0,"duplicates":0,"oversized":0,"unreadable":0}}
 * }</pre>
 *
 * {@code tree} starts below the implied root {@code 0}; {@code record} is the record's
 * keys as read.
 */
final class JsonRenderer {
    private static final JsonFactory JSON = new JsonFactory();

    private JsonRenderer() {
    }

    static void render(TraceTree t, ScanStats stats, OutputStream out) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            write(t, stats, g);
            g.writeRaw('\n');
        }
    }

    static void render(TraceTree t, ScanStats stats, Writer out) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            write(t, stats, g);
        }
    }

    static void write(TraceTree t, ScanStats stats, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("trace_id", t.traceId());
        g.writeNumberField("start_ms", t.startMs());
        g.writeNumberField("duration_ms", t.startMs() < 0 ? -1 : t.endMs() - t.startMs());
        g.writeNumberField("records", t.recordCount());
        g.writeNumberField("errors", t.errorCount());
        g.writeNumberField("placeholders", t.placeholderCount());
        g.writeNumberField("task_scopes", t.taskScopeCount());
        g.writeArrayFieldStart("services");
        for (String s : t.services()) {
            g.writeString(s);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("tree");
        for (TraceNode n : topNodes(t)) {
            writeNode(t, n, g);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("unplaced");
        for (TraceRecord r : t.unplaced()) {
            writeEntry(t, r, g);
        }
        g.writeEndArray();
        if (stats != null) {
            g.writeObjectFieldStart("scan");
            g.writeNumberField("files", stats.files.get());
            g.writeNumberField("bytes", stats.bytes.get());
            g.writeNumberField("malformed", stats.malformed.get());
            g.writeNumberField("duplicates", stats.duplicates.get());
            g.writeNumberField("oversized", stats.oversized.get());
            g.writeNumberField("unreadable", stats.unreadable.get());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /** The nodes drawn at level 0: the children of the implied root {@code 0}, or the roots. */
    static List<TraceNode> topNodes(TraceTree t) {
        List<TraceNode> out = new ArrayList<>();
        for (TraceNode root : t.roots()) {
            if (root.id().equals(RpcId.ROOT) && root.isPlaceholder()) {
                out.addAll(root.children());
            } else {
                out.add(root);
            }
        }
        return out;
    }

    private static void writeNode(TraceTree t, TraceNode n, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("rpc_id", n.id());
        g.writeNumberField("depth", RpcId.depth(n.id()));
        g.writeBooleanField("placeholder", n.isPlaceholder());
        if (n.isPlaceholder()) {
            g.writeBooleanField("task_scope", n.isTaskScope());
        }
        g.writeArrayFieldStart("records");
        for (TraceRecord r : n.records()) {
            writeEntry(t, r, g);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("children");
        for (TraceNode c : n.children()) {
            writeNode(t, c, g); // at most 64 levels (docs/model.md#ids)
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void writeEntry(TraceTree t, TraceRecord r, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeNumberField("offset_ms", t.offsetMs(r));
        if (t.skewMs(r) != 0) {
            g.writeNumberField("clock_skew_ms", t.skewMs(r));
        }
        g.writeBooleanField("error", r.isError());
        TraceRecord server = t.serverOf(r);
        if (server != null) {
            g.writeStringField("callee", server.rpcId());
            double net = t.networkMs(r);
            if (!Double.isNaN(net)) {
                g.writeNumberField("network_ms", Math.round(net * 1000) / 1000.0);
            }
        }
        TraceRecord client = t.clientOf(r);
        if (client != null) {
            g.writeStringField("caller", client.rpcId());
        }
        g.writeStringField("source", r.source());
        g.writeFieldName("record");
        writeValue(r.fields(), g);
        g.writeEndObject();
    }

    @SuppressWarnings("unchecked")
    static void writeValue(Object v, JsonGenerator g) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String) {
            g.writeString((String) v);
        } else if (v instanceof Map) {
            g.writeStartObject();
            for (Map.Entry<String, Object> e : ((Map<String, Object>) v).entrySet()) {
                g.writeFieldName(e.getKey());
                writeValue(e.getValue(), g);
            }
            g.writeEndObject();
        } else if (v instanceof List) {
            g.writeStartArray();
            for (Object o : (List<Object>) v) {
                writeValue(o, g);
            }
            g.writeEndArray();
        } else if (v instanceof Boolean) {
            g.writeBoolean((Boolean) v);
        } else if (v instanceof Double || v instanceof Float) {
            g.writeNumber(((Number) v).doubleValue());
        } else if (v instanceof Number) {
            g.writeNumber(v.toString());
        } else {
            g.writeString(v.toString());
        }
    }
}
