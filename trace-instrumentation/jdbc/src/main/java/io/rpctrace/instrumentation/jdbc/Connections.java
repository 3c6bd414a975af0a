package io.rpctrace.instrumentation.jdbc;

import io.rpctrace.internal.concurrent.WeakIdentityMap;
import java.lang.reflect.Method;

/**
 * The database of each connection ({@link ConnectionInfo}), for {@link JdbcCalls}: remembered
 * when {@code Driver.connect} returns it, found behind a pool's wrapper, or read once from the
 * connection's metadata. Weakly keyed by identity (no field is added to driver classes), at most
 * {@link JdbcCalls#MAX_TRACKED} connections; past that a connection's database is found again
 * from the connection.
 *
 * <p>Design note: on the bootstrap class path like {@link JdbcCalls}, so it names no
 * {@code java.sql} type: the rare fallbacks go through reflection, with the methods looked up
 * once per class.
 */
final class Connections {
    private static final WeakIdentityMap<ConnectionInfo> MAP = new WeakIdentityMap<>();

    private Connections() {
    }

    /** The database remembered for this connection object itself, or null. */
    static ConnectionInfo known(Object connection) {
        return MAP.get(connection);
    }

    /** Remembers a connection's database, unless {@link JdbcCalls#MAX_TRACKED} are already. */
    static void remember(Object connection, ConnectionInfo info) {
        if (MAP.size() < JdbcCalls.MAX_TRACKED) {
            MAP.put(connection, info);
        }
    }

    /**
     * The database of a connection: seen at connect, behind a pool's wrapper
     * ({@code unwrap(Connection.class)}), or from its metadata's URL (then remembered).
     */
    static ConnectionInfo infoOf(Object connection) {
        if (connection == null) {
            return null;
        }
        ConnectionInfo info = MAP.get(connection);
        if (info != null) {
            return info;
        }
        Object physical = connection;
        try {
            Class<?> jdbcConnection = sqlConnection(connection.getClass());
            Method unwrap = UNWRAP.get(connection.getClass());
            Object inner = jdbcConnection == null || unwrap == null ? null : unwrap.invoke(connection, jdbcConnection);
            if (inner != null && inner != connection) {
                info = MAP.get(inner);
                if (info != null) {
                    return info;
                }
                physical = inner;
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError ignored) {
            // not a wrapper
        }
        Object url = invoke(invoke(connection, "getMetaData"), "getURL");
        if (!(url instanceof String)) {
            return null;
        }
        info = ConnectionInfo.forUrl((String) url);
        remember(physical, info);
        return info;
    }

    /**
     * {@code unwrap(Class)} of a connection class, looked up once per class: a pool hands out a
     * new wrapper per borrow (HikariCP's proxies), so every statement of a pooled connection comes
     * here, and a {@code getMethod} per statement was the largest cost of a JDBC call in a profile.
     */
    private static final ClassValue<Method> UNWRAP = new ClassValue<Method>() {
        @Override
        protected Method computeValue(Class<?> type) {
            try {
                return type.getMethod("unwrap", Class.class);
            } catch (NoSuchMethodException | RuntimeException | LinkageError e) {
                return null;
            }
        }
    };

    /** {@code java.sql.Connection} (the platform loader's; this class may live where it is not visible). */
    private static volatile Class<?> sqlConnection;

    private static Class<?> sqlConnection(Class<?> connectionClass) {
        Class<?> c = sqlConnection;
        if (c == null) {
            try {
                c = Class.forName("java.sql.Connection", false, connectionClass.getClassLoader());
                sqlConnection = c;
            } catch (ClassNotFoundException | LinkageError e) {
                return null;
            }
        }
        return c;
    }

    /** A public no-argument JDBC getter called reflectively (rare paths only); null when it fails. */
    static Object invoke(Object target, String method) {
        if (target == null) {
            return null;
        }
        try {
            Method m = publicMethod(target.getClass(), method);
            return m == null ? null : m.invoke(target);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** The method as declared by a public interface ({@code java.sql.*}), callable on a non-public class. */
    private static Method publicMethod(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                Method m = interfaceMethod(i, name);
                if (m != null) {
                    return m;
                }
            }
        }
        return null;
    }

    private static Method interfaceMethod(Class<?> i, String name) {
        if (i.getName().startsWith("java.sql.")) {
            try {
                return i.getMethod(name);
            } catch (NoSuchMethodException e) {
                return null;
            }
        }
        for (Class<?> parent : i.getInterfaces()) {
            Method m = interfaceMethod(parent, name);
            if (m != null) {
                return m;
            }
        }
        return null;
    }
}
