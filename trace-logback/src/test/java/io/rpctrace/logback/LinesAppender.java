package io.rpctrace.logback;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;

/** The application's own appender in tests: formats each event with a pattern, keeps the lines. */
public class LinesAppender extends AppenderBase<ILoggingEvent> {
    private static final List<String> LINES = new ArrayList<>();
    private final PatternLayout layout = new PatternLayout();

    public void setPattern(String pattern) {
        layout.setPattern(pattern);
    }

    @Override
    public void start() {
        layout.setContext(getContext());
        layout.start();
        super.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        String line = layout.doLayout(event);
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

    public static void clear() {
        synchronized (LINES) {
            LINES.clear();
        }
    }
}
