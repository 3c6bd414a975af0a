package io.rpctrace.instrumentation.jdbc;

import java.util.Locale;

/**
 * What a record needs from a JDBC URL: the record-name system ({@code mysql} for MySQL and
 * MariaDB, else the sub-protocol), {@code host:port} of the first host, the database name,
 * and the URL with every credential removed (the default {@code x_instance_name}).
 *
 * <pre>{@code
 * JdbcUrl u = JdbcUrl.parse("jdbc:mariadb://app:pw@db1:3307/shop?password=x&useSSL=false");
 * u.system()   // "mysql"
 * u.host()     // "db1:3307"
 * u.database() // "shop"
 * u.safeUrl()  // "jdbc:mariadb://db1:3307/shop?useSSL=false"
 * }</pre>
 *
 * <p>Never throws: an unparseable URL yields its sub-protocol (or {@code jdbc}) and a safe URL.
 */
public final class JdbcUrl {
    private final String system;
    private final String host;
    private final String database;
    private final String safeUrl;

    private JdbcUrl(String system, String host, String database, String safeUrl) {
        this.system = system;
        this.host = host;
        this.database = database;
        this.safeUrl = safeUrl;
    }

    /** {@code mysql}, {@code postgresql}, {@code h2}, {@code oracle}, {@code sqlserver}, … */
    public String system() {
        return system;
    }

    /** {@code host:port} of the first host (default port filled in when known), or null. */
    public String host() {
        return host;
    }

    /** The database name, or null. */
    public String database() {
        return database;
    }

    /** The URL without user info, passwords or other secret-looking properties. */
    public String safeUrl() {
        return safeUrl;
    }

    /** Parses {@code url}; null gives an {@code unknown} system. */
    public static JdbcUrl parse(String url) {
        if (url == null) {
            return new JdbcUrl("unknown", null, null, null);
        }
        String safe = stripSecrets(url);
        String lower = url.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("jdbc:")) {
            return new JdbcUrl("jdbc", null, null, safe);
        }
        String rest = url.substring(5);
        int colon = rest.indexOf(':');
        String sub = (colon < 0 ? rest : rest.substring(0, colon)).toLowerCase(Locale.ROOT);
        if (sub.equals("p6spy") || sub.equals("log4jdbc") || sub.equals("otel")) {
            return parse("jdbc:" + (colon < 0 ? "" : rest.substring(colon + 1)));
        }
        String system = systemOf(sub);
        try {
            switch (system) {
                case "mysql":
                case "postgresql":
                case "clickhouse":
                case "db2":
                    return hierarchical(system, rest, defaultPort(sub), safe);
                case "sqlserver":
                    return sqlServer(rest, safe);
                case "oracle":
                    return oracle(rest, safe);
                case "h2":
                    return h2(rest, safe);
                default:
                    return hierarchical(system, rest, -1, safe);
            }
        } catch (RuntimeException e) {
            return new JdbcUrl(system, null, null, safe);
        }
    }

    private static String systemOf(String sub) {
        switch (sub) {
            case "mysql":
            case "mariadb":
                return "mysql";
            case "postgres":
            case "pgsql":
                return "postgresql";
            case "microsoft":
                return "sqlserver";
            default:
                return sub.isEmpty() ? "jdbc" : sub;
        }
    }

    private static int defaultPort(String sub) {
        switch (sub) {
            case "mysql": case "mariadb": return 3306;
            case "postgresql": case "postgres": case "pgsql": return 5432;
            case "clickhouse": return 8123;
            case "db2": return 50000;
            default: return -1;
        }
    }

    /** {@code sub[:variant]://[user[:pw]@]host[:port][,host2…]/db[?props]} or {@code sub:db}. */
    private static JdbcUrl hierarchical(String system, String rest, int defPort, String safe) {
        int slashes = rest.indexOf("//");
        if (slashes < 0) {
            // jdbc:postgresql:shop → localhost
            int c = rest.lastIndexOf(':');
            String db = c < 0 ? null : cut(rest.substring(c + 1), "?;");
            return new JdbcUrl(system, defPort > 0 ? "localhost:" + defPort : null, empty(db), safe);
        }
        String afterSlashes = rest.substring(slashes + 2);
        int pathStart = indexOfAny(afterSlashes, "/?;");
        String authority = pathStart < 0 ? afterSlashes : afterSlashes.substring(0, pathStart);
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            authority = authority.substring(at + 1);
        }
        String first = cut(authority, ",");
        if (first.startsWith("address=")) {
            first = mysqlAddress(first);
        }
        String host = hostPort(first, defPort);
        String db = null;
        if (pathStart >= 0 && afterSlashes.charAt(pathStart) == '/') {
            db = cut(afterSlashes.substring(pathStart + 1), "?;");
        }
        return new JdbcUrl(system, host, empty(db), safe);
    }

    /** MySQL's {@code address=(host=h)(port=p)} form. */
    private static String mysqlAddress(String s) {
        String h = between(s, "(host=", ")");
        String p = between(s, "(port=", ")");
        return h == null ? "" : p == null ? h : h + ":" + p;
    }

    private static JdbcUrl sqlServer(String rest, String safe) {
        // sqlserver://host[\instance][:port];databaseName=x;…
        int slashes = rest.indexOf("//");
        String after = slashes < 0 ? rest : rest.substring(slashes + 2);
        String authority = cut(after, ";");
        int bs = authority.indexOf('\\');
        if (bs >= 0) {
            int colon = authority.indexOf(':', bs);
            authority = authority.substring(0, bs) + (colon < 0 ? "" : authority.substring(colon));
        }
        String db = property(after, "databaseName");
        if (db == null) {
            db = property(after, "database");
        }
        return new JdbcUrl("sqlserver", hostPort(authority, 1433), db, safe);
    }

    private static JdbcUrl oracle(String rest, String safe) {
        // oracle:thin:@host:1521:SID  |  oracle:thin:@//host:1521/service  |  @(DESCRIPTION=…)
        int at = rest.indexOf('@');
        if (at < 0) {
            return new JdbcUrl("oracle", null, null, safe);
        }
        String t = rest.substring(at + 1);
        if (t.startsWith("(")) {
            String h = between(t.toUpperCase(Locale.ROOT), "(HOST=", ")");
            String p = between(t.toUpperCase(Locale.ROOT), "(PORT=", ")");
            String svc = between(t.toUpperCase(Locale.ROOT), "(SERVICE_NAME=", ")");
            return new JdbcUrl("oracle", h == null ? null : (h.toLowerCase(Locale.ROOT) + ":" + (p == null ? "1521" : p)),
                    svc == null ? null : svc.toLowerCase(Locale.ROOT), safe);
        }
        if (t.startsWith("//")) {
            t = t.substring(2);
            int slash = t.indexOf('/');
            String hp = slash < 0 ? t : t.substring(0, slash);
            String svc = slash < 0 ? null : cut(t.substring(slash + 1), "?");
            return new JdbcUrl("oracle", hostPort(hp, 1521), empty(svc), safe);
        }
        String[] parts = t.split(":");
        String host = parts.length > 1 ? parts[0] + ":" + parts[1] : parts[0] + ":1521";
        String sid = parts.length > 2 ? parts[2] : null;
        return new JdbcUrl("oracle", host, empty(sid), safe);
    }

    private static JdbcUrl h2(String rest, String safe) {
        // h2:mem:name | h2:file:/path/name | h2:tcp://host[:port]/path/name | h2:~/name
        String t = cut(rest.substring(3), ";");
        if (t.startsWith("mem:")) {
            return new JdbcUrl("h2", null, empty(t.substring(4)), safe);
        }
        if (t.startsWith("tcp://") || t.startsWith("ssl://")) {
            String after = t.substring(6);
            int slash = after.indexOf('/');
            String hp = slash < 0 ? after : after.substring(0, slash);
            String path = slash < 0 ? null : after.substring(slash + 1);
            return new JdbcUrl("h2", hostPort(hp, 9092), empty(lastPathPart(path)), safe);
        }
        if (t.startsWith("file:")) {
            t = t.substring(5);
        }
        return new JdbcUrl("h2", null, empty(lastPathPart(t)), safe);
    }

    private static String lastPathPart(String path) {
        if (path == null) {
            return null;
        }
        int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
        return slash < 0 ? path : path.substring(slash + 1);
    }

    private static String hostPort(String hp, int defPort) {
        hp = hp.trim();
        if (hp.isEmpty()) {
            return defPort > 0 ? "localhost:" + defPort : null;
        }
        if (hp.startsWith("[")) {
            int close = hp.indexOf(']');
            return close > 0 && close + 1 < hp.length() && hp.charAt(close + 1) == ':' ? hp
                    : defPort > 0 ? hp + ":" + defPort : hp;
        }
        int colon = hp.lastIndexOf(':');
        if (colon > 0 && hp.indexOf(':') == colon) {
            return hp;
        }
        return defPort > 0 && colon < 0 ? hp + ":" + defPort : hp;
    }

    private static String property(String s, String name) {
        String lower = s.toLowerCase(Locale.ROOT);
        String key = ";" + name.toLowerCase(Locale.ROOT) + "=";
        int i = lower.indexOf(key);
        if (i < 0) {
            return null;
        }
        return empty(cut(s.substring(i + key.length()), ";"));
    }

    private static String between(String s, String open, String close) {
        int i = s.indexOf(open);
        if (i < 0) {
            return null;
        }
        int j = s.indexOf(close, i + open.length());
        return j < 0 ? null : s.substring(i + open.length(), j).trim();
    }

    private static String cut(String s, String stops) {
        int i = indexOfAny(s, stops);
        return i < 0 ? s : s.substring(0, i);
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    private static String empty(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /**
     * The URL without credentials: user info before {@code @} in an authority, and
     * {@code password}/{@code user}-like properties after {@code ?}, {@code &} or {@code ;}.
     */
    public static String stripSecrets(String url) {
        String out = url;
        if (out.regionMatches(true, 0, "jdbc:oracle:", 0, 12)) {
            // jdbc:oracle:thin:user/password@host…
            int at = out.indexOf('@');
            int colon = at < 0 ? -1 : out.lastIndexOf(':', at);
            if (colon > 0 && colon + 1 < at) {
                out = out.substring(0, colon + 1) + out.substring(at);
            }
        }
        int slashes = out.indexOf("//");
        if (slashes >= 0) {
            int start = slashes + 2;
            int end = indexOfAny(out.substring(start), "/?;");
            end = end < 0 ? out.length() : start + end;
            int at = out.lastIndexOf('@', end - 1);
            if (at >= start) {
                out = out.substring(0, start) + out.substring(at + 1);
            }
        }
        StringBuilder sb = new StringBuilder(out.length());
        int i = 0;
        int n = out.length();
        // walk key=value pairs separated by ? & ;
        int firstSep = indexOfAny(out, "?;");
        if (firstSep < 0) {
            return out;
        }
        sb.append(out, 0, firstSep);
        i = firstSep;
        char pending = 0;
        while (i < n) {
            char sep = out.charAt(i);
            int next = i + 1;
            while (next < n && "&;".indexOf(out.charAt(next)) < 0) {
                next++;
            }
            String pair = out.substring(i + 1, next);
            int eq = pair.indexOf('=');
            String key = (eq < 0 ? pair : pair.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            boolean secret = key.contains("password") || key.contains("passwd") || key.equals("pwd")
                    || key.contains("secret") || key.contains("token") || key.equals("user")
                    || key.equals("username") || key.equals("userid") || key.equals("uid");
            if (!secret && !pair.isEmpty()) {
                char s = pending != 0 ? pending : sep;
                if (s == '&' && sb.indexOf("?") < 0) {
                    s = '?';
                }
                sb.append(s).append(pair);
                pending = 0;
            } else if (sep == '?') {
                pending = '?';
            }
            i = next;
        }
        return sb.toString();
    }
}
