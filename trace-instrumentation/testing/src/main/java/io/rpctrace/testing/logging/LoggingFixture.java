package io.rpctrace.testing.logging;

import io.rpctrace.CollectingWriter;
import io.rpctrace.config.Config;
import io.rpctrace.internal.Tracing;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Starts rpctrace with a collecting writer and the debug secret {@link #SECRET}. */
public final class LoggingFixture {
    /** The {@code debug.token} every start configures unless told otherwise. */
    public static final String SECRET = "s3cret";
    /** The trace the contracts' requests enter. */
    public static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    /** The application logger's name. */
    public static final String APP_LOGGER = "com.acme.OrderService";

    private LoggingFixture() {
    }

    /**
     * Starts rpctrace with {@code debug.token} {@link #SECRET} and {@code keyValues} (key, value,
     * …) over it, records kept by the returned writer; forgets the application's lines.
     */
    public static CollectingWriter start(String... keyValues) {
        Map<String, String> m = new HashMap<>();
        m.put("debug.token", SECRET);
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        CollectingWriter w = new CollectingWriter();
        Tracing.start(Config.of(m), w);
        AppLines.clear();
        return w;
    }

    /** The records named {@code name}. */
    public static List<Map<String, Object>> records(CollectingWriter w, String name) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> r : w.records()) {
            if (name.equals(r.get("x_name"))) {
                out.add(r);
            }
        }
        return out;
    }
}
