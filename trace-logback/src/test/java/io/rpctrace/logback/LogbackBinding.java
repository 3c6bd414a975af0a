package io.rpctrace.logback;

import io.rpctrace.testing.logging.LogLevel;
import io.rpctrace.testing.logging.LoggingBinding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** The logging contracts' application calls through SLF4J (1.7 API: no level-generic methods). */
final class LogbackBinding implements LoggingBinding {
    @Override
    public void log(String logger, LogLevel level, String format, Object... args) {
        Logger log = LoggerFactory.getLogger(logger);
        switch (level) {
            case TRACE: log.trace(format, args); break;
            case DEBUG: log.debug(format, args); break;
            case INFO: log.info(format, args); break;
            case WARN: log.warn(format, args); break;
            default: log.error(format, args); break;
        }
    }

    @Override
    public boolean isEnabled(String logger, LogLevel level) {
        Logger log = LoggerFactory.getLogger(logger);
        switch (level) {
            case TRACE: return log.isTraceEnabled();
            case DEBUG: return log.isDebugEnabled();
            case INFO: return log.isInfoEnabled();
            case WARN: return log.isWarnEnabled();
            default: return log.isErrorEnabled();
        }
    }

    @Override
    public void putContext(String key, String value) {
        MDC.put(key, value);
    }

    @Override
    public void removeContext(String key) {
        MDC.remove(key);
    }
}
