package io.rpctrace.testing.logging;

import java.util.ArrayList;
import java.util.List;

/**
 * The application's own log output in the logging contracts: the lines its appender formatted
 * (one per event), kept in memory. A framework module's test appender calls {@link #add}.
 */
public final class AppLines {
    private static final List<String> LINES = new ArrayList<>();

    private AppLines() {
    }

    /** Keeps one formatted line. */
    public static void add(String line) {
        synchronized (LINES) {
            LINES.add(line);
        }
    }

    /** The lines written so far. */
    public static List<String> lines() {
        synchronized (LINES) {
            return new ArrayList<>(LINES);
        }
    }

    /** The lines starting with {@code prefix} (e.g. a level followed by '|'). */
    public static List<String> lines(String prefix) {
        List<String> out = new ArrayList<>();
        for (String l : lines()) {
            if (l.startsWith(prefix)) {
                out.add(l);
            }
        }
        return out;
    }

    /** Forgets the lines written so far. */
    public static void clear() {
        synchronized (LINES) {
            LINES.clear();
        }
    }
}
