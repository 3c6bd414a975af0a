package io.rpctrace.instrumentation.redis;

import io.rpctrace.config.Config;
import io.rpctrace.config.ConfigKeys;
import io.rpctrace.internal.Tracing;
import java.util.HashMap;
import java.util.Map;

/** The Redis keys of the running tracer, read once (and again when the tracer is restarted). */
final class RedisSettings {
    private static volatile RedisSettings current;

    final Tracing tracing;
    final boolean captureParam;
    private final Map<String, String> names = new HashMap<>();

    private RedisSettings(Tracing tracing) {
        this.tracing = tracing;
        Config c = tracing.config();
        this.captureParam = c.getBoolean(ConfigKeys.CAPTURE_PARAM, false);
        String v = c.get(ConfigKeys.REDIS_INSTANCE_NAMES, null);
        if (v != null) {
            for (String entry : v.split(";")) {
                int eq = entry.indexOf('=');
                int colon = entry.lastIndexOf(':');
                if (eq <= 0 || colon < eq) {
                    if (!entry.trim().isEmpty()) {
                        c.report(ConfigKeys.REDIS_INSTANCE_NAMES, entry, "is not name=host:port", "no x_instance_name");
                    }
                    continue;
                }
                names.put(RedisEndpoints.resolve(entry.substring(eq + 1, colon).trim(), entry.substring(colon + 1).trim()),
                        entry.substring(0, eq).trim());
            }
        }
    }

    static RedisSettings get() {
        RedisSettings s = current;
        Tracing t = Tracing.get();
        if (s == null || s.tracing != t) {
            current = s = new RedisSettings(t);
        }
        return s;
    }

    /** The configured name of the endpoint {@code ip:port}, or null. */
    String instanceName(String host) {
        return host == null || names.isEmpty() ? null : names.get(host);
    }
}
