package io.rpctrace.logback;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggerContextListener;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.Appender;
import java.util.Iterator;

/**
 * Installs {@link TraceTurboFilter} and {@link TraceAppender} into a Logback context from
 * code, for applications that do not name them in {@code logback.xml} and for the agent's
 * Logback instrumentation. Idempotent: pieces already present (configured in XML, installed
 * before, or loaded by another class loader) are recognised by class name and not added
 * twice. The installation survives {@code LoggerContext.reset()}, which Spring Boot and
 * Logback's own auto-scan call when they reconfigure logging.
 *
 * <pre>{@code
 * TraceLogback.install((LoggerContext) LoggerFactory.getILoggerFactory(), true);
 * }</pre>
 */
public final class TraceLogback {
    private static final String ROOT = org.slf4j.Logger.ROOT_LOGGER_NAME;

    private TraceLogback() {
    }

    /**
     * Adds the turbo filter (debug mode, correlation) and, when {@code capture} is true, the
     * appender on the root logger, now and after every reset of {@code context}.
     */
    public static synchronized void install(LoggerContext context, boolean capture) {
        installNow(context, capture);
        for (LoggerContextListener l : context.getCopyOfListenerList()) {
            if (l.getClass().getName().equals(Reinstaller.class.getName())) {
                return;
            }
        }
        context.addListener(new Reinstaller(capture));
    }

    /** True when a {@link TraceTurboFilter} is installed in {@code context}. */
    public static boolean hasTurboFilter(LoggerContext context) {
        for (TurboFilter f : context.getTurboFilterList()) {
            if (f.getClass().getName().equals(TraceTurboFilter.class.getName())) {
                return true;
            }
        }
        return false;
    }

    /** True when a {@link TraceAppender} is attached to the root logger of {@code context}. */
    public static boolean hasAppender(LoggerContext context) {
        Iterator<Appender<ch.qos.logback.classic.spi.ILoggingEvent>> it =
                context.getLogger(ROOT).iteratorForAppenders();
        while (it.hasNext()) {
            if (it.next().getClass().getName().equals(TraceAppender.class.getName())) {
                return true;
            }
        }
        return false;
    }

    private static void installNow(LoggerContext context, boolean capture) {
        installNow(context, capture, null, null);
    }

    /**
     * Adds what is missing; the pieces get {@code filterName}/{@code appenderName} when not
     * null (the agent names its own so that it can step aside for the application's).
     */
    static synchronized void installNow(LoggerContext context, boolean capture, String filterName,
                                        String appenderName) {
        if (!hasTurboFilter(context)) {
            TraceTurboFilter f = new TraceTurboFilter();
            if (filterName != null) {
                f.setName(filterName);
            }
            f.setContext(context);
            f.start();
            context.addTurboFilter(f);
        }
        if (capture && !hasAppender(context)) {
            TraceAppender a = new TraceAppender();
            if (appenderName != null) {
                a.setName(appenderName);
            }
            a.setContext(context);
            a.start();
            Logger root = context.getLogger(ROOT);
            root.addAppender(a);
        }
    }

    /** Re-installs after {@code LoggerContext.reset()}, which removes turbo filters and appenders. */
    static final class Reinstaller implements LoggerContextListener {
        private final boolean capture;

        Reinstaller(boolean capture) {
            this.capture = capture;
        }

        @Override
        public boolean isResetResistant() {
            return true;
        }

        @Override
        public void onStart(LoggerContext context) {
            installNow(context, capture);
        }

        @Override
        public void onReset(LoggerContext context) {
            installNow(context, capture);
        }

        @Override
        public void onStop(LoggerContext context) {
        }

        @Override
        public void onLevelChange(Logger logger, Level level) {
        }
    }
}
