package io.rpctrace.viewer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One RPC id of a trace: the records written with that id (several is normal: a served
 * request's {@code request.info} and its logs share {@code 0.3.1}) and the child ids. A node
 * without records is a placeholder: an id that only exists because a descendant does (a task
 * scope, or a lost record).
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
