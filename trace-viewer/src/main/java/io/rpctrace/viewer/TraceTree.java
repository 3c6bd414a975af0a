package io.rpctrace.viewer;

import io.rpctrace.context.RpcId;
import io.rpctrace.record.RecordNames;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trace rebuilt from RPC ids alone (docs/model.md#ids): the parent of {@code 0.3.2} is {@code 0.3},
 * siblings are in numeric order, and an id whose record is missing still gets its place as
 * a placeholder. The root id {@code 0} is implied by the rules (nothing writes it) and is
 * not drawn unless a record carries it.
 *
 * <pre>{@code
 * TraceTree tree = TraceTree.build(traceId, records);
 * for (TraceTree.Row row : tree.rows()) { ... row.level, row.node, row.record ... }
 * }</pre>
 */
final class TraceTree {
    /*
     * Comparators here (and the scan's classes) are plain classes rather than lambdas: the
     * first lambda of a JVM spins up java.lang.invoke, tens of milliseconds of CPU that a
     * command finishing in a few hundred cannot afford (docs/RATIONALE.md).
     */
    /** Orders the records of one id: the served request first, then spans, then logs; then by time. */
    private static final Comparator<TraceRecord> WITHIN_NODE = new Comparator<TraceRecord>() {
        @Override
        public int compare(TraceRecord a, TraceRecord b) {
            int c = Integer.compare(rank(a), rank(b));
            return c != 0 ? c : BY_TIME.compare(a, b);
        }
    };
    /** By start, then by the line itself so that the order never depends on the order of reading. */
    private static final Comparator<TraceRecord> BY_TIME = new Comparator<TraceRecord>() {
        @Override
        public int compare(TraceRecord a, TraceRecord b) {
            int c = Long.compare(a.startMs(), b.startMs());
            return c != 0 ? c : a.line().compareTo(b.line());
        }
    };
    /** Services by when they were first seen, then by name. */
    private static final Comparator<Map.Entry<String, Long>> FIRST_SEEN = new Comparator<Map.Entry<String, Long>>() {
        @Override
        public int compare(Map.Entry<String, Long> a, Map.Entry<String, Long> b) {
            int c = a.getValue().compareTo(b.getValue());
            return c != 0 ? c : a.getKey().compareTo(b.getKey());
        }
    };
    private static final Comparator<TraceNode> BY_ID = new Comparator<TraceNode>() {
        @Override
        public int compare(TraceNode a, TraceNode b) {
            return RpcId.compare(a.id(), b.id());
        }
    };

    private final String traceId;
    private final TraceNode top = new TraceNode("", null);
    private final List<TraceRecord> unplaced = new ArrayList<>();
    private final Map<TraceRecord, TraceRecord> serverOf = new IdentityHashMap<>();
    private final Map<TraceRecord, TraceRecord> clientOf = new IdentityHashMap<>();
    private final Map<TraceRecord, Long> skewMs = new IdentityHashMap<>();
    private final List<String> services = new ArrayList<>();
    private int recordCount;
    private int errorCount;
    private int placeholderCount;
    private int taskScopeCount;
    private long startMs = -1;
    private long endMs = -1;

    private TraceTree(String traceId) {
        this.traceId = traceId;
    }

    /** Assembles the records of one trace (already free of exact duplicates). */
    static TraceTree build(String traceId, Collection<TraceRecord> records) {
        TraceTree t = new TraceTree(traceId);
        Map<String, TraceNode> nodes = new HashMap<>();
        Map<String, Long> firstSeen = new LinkedHashMap<>();
        for (TraceRecord r : records) {
            t.recordCount++;
            if (r.isError()) {
                t.errorCount++;
            }
            String id = r.rpcId();
            if (id == null) {
                t.unplaced.add(r);
            } else {
                t.node(nodes, id).records.add(r);
            }
        }
        for (TraceNode n : nodes.values()) {
            n.records.sort(WITHIN_NODE);
            n.children.sort(BY_ID);
            if (n.isPlaceholder() && !n.id().equals(RpcId.ROOT)) {
                t.placeholderCount++;
                if (n.isTaskScope()) {
                    t.taskScopeCount++;
                }
            }
        }
        t.top.children.sort(BY_ID);
        t.unplaced.sort(BY_TIME);
        t.pairCallsWithCallees(nodes);
        for (TraceNode root : t.top.children) {
            t.correctClockSkew(root, 0);
        }
        for (TraceRecord r : records) {
            long start = t.startMs(r);
            if (start >= 0) {
                t.startMs = t.startMs < 0 ? start : Math.min(t.startMs, start);
                t.endMs = Math.max(t.endMs, start + Math.max(0, Math.round(r.durationS() * 1000)));
            }
            if (!r.service().isEmpty()) {
                Long seen = firstSeen.get(r.service());
                long at = start < 0 ? Long.MAX_VALUE : start;
                if (seen == null || at < seen) {
                    firstSeen.put(r.service(), at);
                }
            }
        }
        List<Map.Entry<String, Long>> byTime = new ArrayList<>(firstSeen.entrySet());
        byTime.sort(FIRST_SEEN);
        for (Map.Entry<String, Long> e : byTime) {
            t.services.add(e.getKey());
        }
        return t;
    }

    /**
     * Design note: the records of a callee carry its host's clock. When a callee's served
     * request does not fit inside the call that reached it (it starts before the call, or
     * ends more than the millisecond of timestamp truncation after it), the callee's clock
     * is off: like Zipkin, the viewer shifts the callee's records — everything below the
     * call's id, which only the callee and what it calls write — so the served request sits
     * in the middle of the call, splitting the network time evenly. Only for synchronous
     * calls (HTTP, gRPC); a Kafka consume may legitimately start long after the produce.
     */
    private void correctClockSkew(TraceNode n, long inherited) {
        if (inherited != 0) {
            for (TraceRecord r : n.records) {
                skewMs.put(r, inherited);
            }
        }
        long below = inherited;
        for (TraceRecord client : n.records) {
            TraceRecord server = serverOf.get(client);
            if (server == null || !server.baseName().equals(RecordNames.REQUEST_INFO) || !client.hasStart()
                    || !server.hasStart() || client.durationS() < 0 || server.durationS() < 0) {
                continue;
            }
            double cs = client.startMs() + inherited;
            double ce = cs + client.durationS() * 1000;
            double ss = server.startMs() + inherited;
            double se = ss + server.durationS() * 1000;
            if (ss < cs || se > ce + 1) {
                below = inherited + Math.round(cs + ((ce - cs) - (se - ss)) / 2 - ss);
            }
            break;
        }
        for (TraceNode c : n.children) {
            correctClockSkew(c, below); // at most 64 levels
        }
    }

    private TraceNode node(Map<String, TraceNode> nodes, String id) {
        TraceNode n = nodes.get(id);
        if (n != null) {
            return n;
        }
        String parentId = RpcId.parent(id);
        TraceNode parent = parentId == null ? top : node(nodes, parentId);
        n = new TraceNode(id, parent);
        parent.children.add(n);
        nodes.put(id, n);
        return n;
    }

    /** Rule 1: a callee entered with the caller's id X writes its server record at X.1. */
    private void pairCallsWithCallees(Map<String, TraceNode> nodes) {
        for (TraceNode n : nodes.values()) {
            TraceRecord client = null;
            for (TraceRecord r : n.records) {
                if (r.isRemoteClient()) {
                    client = r;
                    break;
                }
            }
            TraceNode callee = client == null ? null : nodes.get(n.id() + ".1");
            if (callee == null) {
                continue;
            }
            for (TraceRecord r : callee.records) {
                if (r.isServer()) {
                    serverOf.put(client, r);
                    clientOf.put(r, client);
                    break;
                }
            }
        }
    }

    private static int rank(TraceRecord r) {
        if (r.isServer()) {
            return 0;
        }
        return r.isLogOrMetric() ? 2 : 1;
    }

    String traceId() {
        return traceId;
    }

    int recordCount() {
        return recordCount;
    }

    int errorCount() {
        return errorCount;
    }

    /** Ids drawn without a record: task scopes and missing records. */
    int placeholderCount() {
        return placeholderCount;
    }

    /** Placeholders that are task scopes (no record of their own, as rule 4 says). */
    int taskScopeCount() {
        return taskScopeCount;
    }

    /** Placeholders where a record should be and is not (lost, or not written yet). */
    int missingCount() {
        return placeholderCount - taskScopeCount;
    }

    /** A record's start (epoch ms) corrected for its host's clock skew, or -1 when it has none. */
    long startMs(TraceRecord r) {
        long raw = r.startMs();
        Long skew = skewMs.get(r);
        return raw < 0 || skew == null ? raw : raw + skew;
    }

    /** How far {@link #startMs(TraceRecord)} moved the record to undo its host's clock skew (ms). */
    long skewMs(TraceRecord r) {
        Long skew = skewMs.get(r);
        return skew == null ? 0 : skew;
    }

    /** Milliseconds from the trace start to the record's corrected start, or -1 when unknown. */
    long offsetMs(TraceRecord r) {
        long s = startMs(r);
        return s < 0 || startMs < 0 ? -1 : s - startMs;
    }

    /** Earliest corrected start over all records (epoch ms), or -1 when no record has a timestamp. */
    long startMs() {
        return startMs;
    }

    /** Latest corrected end over all records (epoch ms), or -1. */
    long endMs() {
        return endMs;
    }

    /** The services ({@code x_version}) in the order they joined the trace. */
    List<String> services() {
        return Collections.unmodifiableList(services);
    }

    /** Records whose {@code x_rpc_id} is absent or malformed, by time. */
    List<TraceRecord> unplaced() {
        return Collections.unmodifiableList(unplaced);
    }

    /** The top-level ids (usually just {@code 0}). */
    List<TraceNode> roots() {
        return top.children();
    }

    /** The callee's server record for a client call, or null. */
    TraceRecord serverOf(TraceRecord client) {
        return serverOf.get(client);
    }

    /** The caller's client record for a server record, or null. */
    TraceRecord clientOf(TraceRecord server) {
        return clientOf.get(server);
    }

    /**
     * Client duration minus server duration in ms for an HTTP/gRPC pair (time on the network
     * and in queues); for Kafka, how long after the produce the consume started. NaN when unknown.
     */
    double networkMs(TraceRecord client) {
        TraceRecord server = serverOf.get(client);
        if (server == null) {
            return Double.NaN;
        }
        if (server.baseName().equals("kafka.consume")) {
            return client.hasStart() && server.hasStart() ? startMs(server) - startMs(client) : Double.NaN;
        }
        double c = client.durationS();
        double s = server.durationS();
        // durations have microsecond precision: round away float noise (0.03 - 0.02 = 0.00999...)
        return c >= 0 && s >= 0 ? Math.round((c - s) * 1e6) / 1e3 : Double.NaN;
    }

    /** One drawn line: a record, or a placeholder node ({@code record == null}). */
    static final class Row {
        final int level;
        final TraceNode node;
        final TraceRecord record;
        /** True for the second and later records of the same id. */
        final boolean sameIdAsPrevious;

        Row(int level, TraceNode node, TraceRecord record, boolean sameIdAsPrevious) {
            this.level = level;
            this.node = node;
            this.record = record;
            this.sameIdAsPrevious = sameIdAsPrevious;
        }
    }

    /** The tree flattened in drawing order; level is the depth below the implied root {@code 0}. */
    List<Row> rows() {
        List<Row> out = new ArrayList<>(recordCount + placeholderCount);
        for (TraceNode root : top.children) {
            if (root.id().equals(RpcId.ROOT) && root.isPlaceholder()) {
                for (TraceNode c : root.children) {
                    addRows(c, 0, out);
                }
            } else {
                addRows(root, 0, out);
            }
        }
        return out;
    }

    /**
     * A node's spans, then its children, then its logs and metrics: a log written at
     * {@code 0.3} follows the call {@code 0.3} (rule 3), so it comes after the callee's
     * records and the call stays next to its callee. Recursion is bounded by the 64
     * segments an id may have.
     */
    private void addRows(TraceNode n, int level, List<Row> out) {
        if (n.isPlaceholder()) {
            out.add(new Row(level, n, null, false));
        }
        boolean first = true;
        for (TraceRecord r : n.records) {
            if (!r.isLogOrMetric()) {
                out.add(new Row(level, n, r, !first));
                first = false;
            }
        }
        for (TraceNode c : n.children) {
            addRows(c, level + 1, out);
        }
        for (TraceRecord r : n.records) {
            if (r.isLogOrMetric()) {
                out.add(new Row(level, n, r, !first));
                first = false;
            }
        }
    }
}
