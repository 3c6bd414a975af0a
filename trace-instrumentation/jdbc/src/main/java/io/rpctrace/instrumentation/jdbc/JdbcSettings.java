package io.rpctrace.instrumentation.jdbc;

import io.rpctrace.config.Config;
import io.rpctrace.config.ConfigKeys;
import io.rpctrace.internal.Tracing;
import java.util.ArrayList;
import java.util.List;

/** The JDBC keys of the running tracer, read once (and again when the tracer is restarted). */
final class JdbcSettings {
    private static volatile JdbcSettings current;

    final Tracing tracing;
    final boolean captureParam;
    final int sqlMax;
    final int literalMax;
    private final List<String[]> instanceNames = new ArrayList<>();

    private JdbcSettings(Tracing tracing) {
        this.tracing = tracing;
        Config c = tracing.config();
        this.captureParam = c.getBoolean(ConfigKeys.CAPTURE_PARAM, false);
        this.sqlMax = c.getInt(ConfigKeys.JDBC_SQL_MAX_LENGTH, 2048, 16, 1 << 20);
        this.literalMax = c.getInt(ConfigKeys.JDBC_SQL_LITERAL_MAX_LENGTH, 256, 16, 1 << 20);
        String names = c.get(ConfigKeys.JDBC_INSTANCE_NAMES, null);
        if (names != null) {
            for (String entry : names.split(";")) {
                int eq = entry.indexOf('=');
                if (eq <= 0 || eq == entry.length() - 1) {
                    if (!entry.trim().isEmpty()) {
                        c.report(ConfigKeys.JDBC_INSTANCE_NAMES, entry, "is not name=jdbcUrlPrefix",
                                "the credential-free URL as x_instance_name");
                    }
                    continue;
                }
                instanceNames.add(new String[] {entry.substring(0, eq).trim(),
                        JdbcUrl.stripSecrets(entry.substring(eq + 1).trim())});
            }
        }
    }

    static JdbcSettings get() {
        JdbcSettings s = current;
        Tracing t = Tracing.get();
        if (s == null || s.tracing != t) {
            current = s = new JdbcSettings(t);
        }
        return s;
    }

    /** The configured name whose URL prefix matches, else the credential-free URL. */
    String instanceName(String safeUrl) {
        if (safeUrl != null) {
            for (String[] e : instanceNames) {
                if (safeUrl.startsWith(e[1])) {
                    return e[0];
                }
            }
        }
        return safeUrl;
    }
}
