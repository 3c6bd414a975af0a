package io.rpctrace.testing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Spec-like assertions over a list of records.
 *
 * <pre>{@code
 * Records all = Records.of(agent.flush());
 * String trace = all.named("request.info").single().traceId();
 * all.inTrace(trace).named("task").rpcIds();                 // ["0.2.1", "0.3.1"]
 * all.inTrace(trace).named("mysql.request").single().hasRpcId("0.2").has("x_db", "shop");
 * all.assertUniqueIds();                                     // docs/model.md#rule-5
 * }</pre>
 */
public final class Records {
    private final List<TraceRecord> records;

    private Records(List<TraceRecord> records) {
        this.records = records;
    }

    public static Records of(Collection<TraceRecord> records) {
        return new Records(new ArrayList<>(records));
    }

    public Records where(Predicate<TraceRecord> p) {
        return new Records(records.stream().filter(p).collect(Collectors.toList()));
    }

    /** Records whose {@code x_name} is {@code name}. */
    public Records named(String name) {
        return where(r -> name.equals(r.name()));
    }

    /** Records of one trace. */
    public Records inTrace(String traceId) {
        return where(r -> traceId.equals(r.traceId()));
    }

    /** Records with {@code x_module} equal to {@code module}. */
    public Records module(String module) {
        return where(r -> module.equals(r.string("x_module")));
    }

    /** The one record; fails listing what there is otherwise. */
    public RecordAssert single() {
        if (records.size() != 1) {
            throw new AssertionError("expected exactly one record, found " + records.size() + ":\n" + this);
        }
        return new RecordAssert(records.get(0));
    }

    /** The rpc ids, sorted as a viewer sorts siblings (numerically by segment). */
    public List<String> rpcIds() {
        return records.stream().map(TraceRecord::rpcId).sorted(RpcIds.ORDER).collect(Collectors.toList());
    }

    /** The distinct trace ids. */
    public List<String> traceIds() {
        return records.stream().map(TraceRecord::traceId).distinct().collect(Collectors.toList());
    }

    /** docs/model.md#rule-5: within a trace no two of these records share an rpc id. */
    public Records assertUniqueIds() {
        Map<String, TraceRecord> seen = new HashMap<>();
        for (TraceRecord r : records) {
            TraceRecord before = seen.put(r.traceId() + " " + r.rpcId(), r);
            if (before != null) {
                throw new AssertionError("two records share trace " + r.traceId() + " id " + r.rpcId() + ":\n"
                        + before + "\n" + r);
            }
        }
        return this;
    }

    /**
     * docs/model.md#rule-4: the ids of one trace have no gaps. Under every id, the children
     * numbered 2 up to the highest one present each carry a record or have descendants that
     * do (a task scope); child 1 is the scope's own current id and may be absent. Expects the
     * records of one trace, all of them (a record really lost is a gap).
     */
    public Records assertNoGaps() {
        java.util.Set<String> present = new java.util.HashSet<>();
        Map<String, Integer> highest = new HashMap<>();
        for (TraceRecord r : records) {
            for (String id = r.rpcId(); id != null && id.indexOf('.') > 0; id = RpcIds.parent(id)) {
                present.add(id);
                String parent = RpcIds.parent(id);
                int n = Integer.parseInt(id.substring(parent.length() + 1));
                highest.merge(parent, n, Math::max);
            }
        }
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, Integer> e : highest.entrySet()) {
            for (int n = 2; n < e.getValue(); n++) {
                if (!present.contains(e.getKey() + "." + n)) {
                    missing.add(e.getKey() + "." + n);
                }
            }
        }
        if (!missing.isEmpty()) {
            missing.sort(RpcIds.ORDER);
            throw new AssertionError("ids without any record at or under them: " + missing + "\n" + this);
        }
        return this;
    }

    public int size() {
        return records.size();
    }

    public List<TraceRecord> list() {
        return records;
    }

    @Override
    public String toString() {
        return records.stream().map(TraceRecord::line).collect(Collectors.joining("\n"));
    }

    /** Assertions on one record. */
    public static final class RecordAssert {
        private final TraceRecord r;

        RecordAssert(TraceRecord r) {
            this.r = r;
        }

        public RecordAssert hasRpcId(String rpcId) {
            return has("x_rpc_id", rpcId);
        }

        public RecordAssert hasTraceId(String traceId) {
            return has("x_trace_id", traceId);
        }

        /** A top-level field equals {@code value} (compared as text). */
        public RecordAssert has(String key, String value) {
            String actual = r.string(key);
            if (!value.equals(actual)) {
                throw new AssertionError(key + ": expected " + value + " but was " + actual + " in\n" + r);
            }
            return this;
        }

        public TraceRecord record() {
            return r;
        }

        public String traceId() {
            return r.traceId();
        }

        public String rpcId() {
            return r.rpcId();
        }
    }
}
