package io.rpctrace.log4j2;

import io.rpctrace.testing.logging.LogLevel;
import io.rpctrace.testing.logging.LoggingBinding;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.ThreadContext;

/** The logging contracts' application calls through the Log4j2 API. */
final class Log4j2Binding implements LoggingBinding {
    @Override
    public void log(String logger, LogLevel level, String format, Object... args) {
        LogManager.getLogger(logger).log(Level.valueOf(level.name()), format, args);
    }

    @Override
    public boolean isEnabled(String logger, LogLevel level) {
        return LogManager.getLogger(logger).isEnabled(Level.valueOf(level.name()));
    }

    @Override
    public void putContext(String key, String value) {
        ThreadContext.put(key, value);
    }

    @Override
    public void removeContext(String key) {
        ThreadContext.remove(key);
    }
}
