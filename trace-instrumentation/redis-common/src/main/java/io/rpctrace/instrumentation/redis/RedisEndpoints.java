package io.rpctrace.instrumentation.redis;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * {@code x_host} of a client connection, read reflectively once per connection (the client's
 * types are not visible from the bootstrap class path): the connected socket's peer
 * ({@code ip:port}), else the configured endpoint of its socket factory or its own
 * {@code getHost()}/{@code getPort()} (a connect that failed), resolved to an IP.
 */
final class RedisEndpoints {
    private RedisEndpoints() {
    }

    static String hostOf(Object connection) {
        try {
            Object socket = field(connection, "socket");
            if (socket instanceof Socket && ((Socket) socket).getInetAddress() != null) {
                Socket s = (Socket) socket;
                return ip(s.getInetAddress()) + ":" + s.getPort();
            }
            Object factory = field(connection, "socketFactory");
            String hp = hostPort(factory);
            if (hp == null) {
                hp = hostPort(connection);
            }
            return hp;
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** The database a client selects when connecting (Jedis 3's {@code db} field), or null. */
    static Integer db(Object connection) {
        try {
            Object db = field(connection, "db");
            return db instanceof Integer ? (Integer) db : null;
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** {@code getHostAndPort()} or {@code getHost()}/{@code getPort()} of {@code o}, resolved. */
    private static String hostPort(Object o) {
        if (o == null) {
            return null;
        }
        Object hap = call(o, "getHostAndPort");
        Object host = call(hap != null ? hap : o, "getHost");
        Object port = call(hap != null ? hap : o, "getPort");
        if (host == null || port == null) {
            return null;
        }
        return resolve(String.valueOf(host), String.valueOf(port));
    }

    static String resolve(String host, String port) {
        String ip;
        try {
            ip = ip(InetAddress.getByName(host));
        } catch (Exception e) {
            ip = host;
        }
        return ip + ":" + port;
    }

    /** {@code ip:port} of a socket address. */
    static String of(InetSocketAddress a) {
        return a.getAddress() != null ? ip(a.getAddress()) + ":" + a.getPort() : a.getHostString() + ":" + a.getPort();
    }

    private static String ip(InetAddress a) {
        String ip = a.getHostAddress();
        return ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip;
    }

    private static Object field(Object o, String name) {
        for (Class<?> c = o.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f.get(o);
            } catch (NoSuchFieldException e) {
                // look in the superclass
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }
        return null;
    }

    private static Object call(Object o, String method) {
        for (Class<?> c = o.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            try {
                Method m = c.getDeclaredMethod(method);
                m.setAccessible(true);
                return m.invoke(o);
            } catch (NoSuchMethodException e) {
                // look in the superclass
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }
        return null;
    }
}
