package io.rpctrace.instrumentation.jdbc;

import io.rpctrace.Span;
import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every record of one database carries, computed once per JDBC URL at connect time:
 * the record names, {@code x_host} as {@code ip:port} (the URL's host resolved once),
 * {@code x_db} and {@code x_instance_name}. Cached per URL ({@value #MAX_URLS} URLs; past
 * that, computed per connection).
 */
public final class ConnectionInfo {
    static final int MAX_URLS = 256;
    private static final ConcurrentHashMap<String, ConnectionInfo> BY_URL = new ConcurrentHashMap<>();

    final String connectName;
    final String requestName;
    final String host;
    final String db;
    final String instanceName;
    final JdbcSettings settings;

    private ConnectionInfo(JdbcUrl url, String instanceName, JdbcSettings settings) {
        this.connectName = url.system() + io.rpctrace.record.RecordNames.CONNECT_SUFFIX;
        this.requestName = url.system() + io.rpctrace.record.RecordNames.REQUEST_SUFFIX;
        this.host = resolve(url.host());
        this.db = url.database();
        this.instanceName = instanceName;
        this.settings = settings;
    }

    /** The info of {@code url} (credentials never kept). */
    public static ConnectionInfo forUrl(String url) {
        JdbcSettings s = JdbcSettings.get();
        String key = url == null ? "" : url;
        ConnectionInfo info = BY_URL.get(key);
        if (info != null && info.settings == s) {
            return info;
        }
        JdbcUrl parsed = JdbcUrl.parse(url);
        info = new ConnectionInfo(parsed, s.instanceName(parsed.safeUrl()), s);
        if (BY_URL.size() < MAX_URLS || BY_URL.containsKey(key)) {
            BY_URL.put(key, info);
        }
        return info;
    }

    /** Sets {@code x_host}, {@code x_db}, {@code x_instance_name}. */
    void fill(Span span) {
        span.host(host).db(db).instanceName(instanceName);
    }

    public String requestName() {
        return requestName;
    }

    public String connectName() {
        return connectName;
    }

    public String host() {
        return host;
    }

    public String db() {
        return db;
    }

    public String instanceName() {
        return instanceName;
    }

    /** {@code host:port} → {@code ip:port}; the name is kept when it does not resolve. */
    static String resolve(String hostPort) {
        if (hostPort == null) {
            return null;
        }
        String host;
        String port;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            host = hostPort.substring(1, close < 0 ? hostPort.length() : close);
            port = close >= 0 && close + 1 < hostPort.length() ? hostPort.substring(close + 2) : "";
        } else {
            int colon = hostPort.lastIndexOf(':');
            host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            port = colon < 0 ? "" : hostPort.substring(colon + 1);
        }
        String ip;
        try {
            ip = InetAddress.getByName(host).getHostAddress();
        } catch (Exception | LinkageError e) {
            ip = host;
        }
        if (ip.indexOf(':') >= 0) {
            ip = "[" + ip + "]";
        }
        return port.isEmpty() ? ip : ip + ":" + port;
    }
}
