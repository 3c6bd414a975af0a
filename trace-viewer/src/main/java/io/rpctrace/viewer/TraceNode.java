package io.rpctrace.viewer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One RPC id of a trace: the records written with that id (several is normal: a served
 * request's {@code request.info} and its logs share {@code 0.3.1}) and the child ids. A node
 * without records is a placeholder: an id that only exists because a descendant does (a task
 * scope, or a lost record; {@link #isTaskScope()} tells which).
 */
final class TraceNode {
    private final String id;
    private final TraceNode parent;
    final List<TraceRecord> records = new ArrayList<>();
    final List<TraceNode> children = new ArrayList<>();

    TraceNode(String id, TraceNode parent) {
        this.id = id;
        this.parent = parent;
    }

    /** The RPC id, e.g. {@code 0.3.1}; empty for the tree's invisible top. */
    String id() {
        return id;
    }

    TraceNode parent() {
        return parent;
    }

    List<TraceRecord> records() {
        return Collections.unmodifiableList(records);
    }

    List<TraceNode> children() {
        return Collections.unmodifiableList(children);
    }

    boolean isPlaceholder() {
        return records.isEmpty();
    }

    /** Text of a task scope's line. */
    static final String TASK_SCOPE = "(task scope, no record of its own)";
    /** Text of a missing record's line. */
    static final String MISSING = "? (record missing)";

    /**
     * True for a placeholder that is a task scope (docs/model.md#rule-4): a task handed to
     * another thread numbers its calls {@code X.2}, {@code X.3}, … and writes no record at
     * {@code X} itself, which is normal. False for a record that should be there and is not:
     * an id ending in {@code .1} (a served request's own id), or a call whose callee's served
     * record {@code X.1} is present (or itself missing) while the call's record is not.
     */
    boolean isTaskScope() {
        if (!records.isEmpty() || id.endsWith(".1") || id.indexOf('.') < 0) {
            return false;
        }
        String first = id + ".1";
        for (TraceNode c : children) {
            if (c.id.equals(first)) {
                if (c.records.isEmpty()) {
                    return false;
                }
                for (TraceRecord r : c.records) {
                    if (!r.isLogOrMetric()) {
                        return false; // a callee's served record: the call's own record is lost
                    }
                }
            }
        }
        return true;
    }

    /** What a placeholder's line says: {@link #TASK_SCOPE} or {@link #MISSING}. */
    String placeholderText() {
        return isTaskScope() ? TASK_SCOPE : MISSING;
    }

    /** The first record of the node that is not a log or metric (its span), else its first record, else null. */
    TraceRecord span() {
        for (TraceRecord r : records) {
            if (!r.isLogOrMetric()) {
                return r;
            }
        }
        return records.isEmpty() ? null : records.get(0);
    }
}
