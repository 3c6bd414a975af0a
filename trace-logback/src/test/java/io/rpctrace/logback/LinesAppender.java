package io.rpctrace.logback;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.rpctrace.testing.logging.AppLines;

/** The application's own appender in tests: formats each event with a pattern into {@link AppLines}. */
public class LinesAppender extends AppenderBase<ILoggingEvent> {
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
        AppLines.add(layout.doLayout(event));
    }
}
