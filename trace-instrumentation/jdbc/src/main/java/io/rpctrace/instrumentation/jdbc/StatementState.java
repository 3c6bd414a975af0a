package io.rpctrace.instrumentation.jdbc;

import io.rpctrace.internal.ParamJson;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;

/**
 * What rpctrace remembers of one statement between its creation and its executions: the
 * database, the SQL as prepared (and its {@code x_action}), the bound values when
 * {@code capture.param} is on, and the first SQL of a text batch. A statement is used by one
 * thread at a time, so the fields are plain. It is the weak reference to its statement
 * ({@link StatementTable} makes it), so remembering a statement allocates this object only.
 */
final class StatementState extends WeakReference<Object> {
    /** The table slot it was put in. */
    final int slot;
    final ConnectionInfo conn;
    final String sql;
    final String action;
    final boolean[] secret;
    Object[] params;
    int paramCount;
    String batchSql;

    StatementState(Object statement, ReferenceQueue<Object> collected, int slot, ConnectionInfo conn, String sql,
                   String action, boolean[] secret) {
        super(statement, collected);
        this.slot = slot;
        this.conn = conn;
        this.sql = sql;
        this.action = action;
        this.secret = secret;
    }

    void bind(int index, Object value) {
        if (index < 1 || index > ParamJson.MAX_PARAMS + 1) {
            return;
        }
        if (params == null) {
            params = new Object[Math.max(8, index)];
        } else if (index > params.length) {
            params = java.util.Arrays.copyOf(params, Math.max(index, params.length * 2));
        }
        params[index - 1] = value;
        paramCount = Math.max(paramCount, index);
    }

    void clearParams() {
        if (params != null) {
            java.util.Arrays.fill(params, null);
        }
        paramCount = 0;
    }
}
