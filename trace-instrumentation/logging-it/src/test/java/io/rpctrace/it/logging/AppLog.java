package io.rpctrace.it.logging;

/**
 * The scenarios' view of a logger, so that one application runs on SLF4J (+ Logback) and on
 * the Log4j2 API: the child JVM's first argument picks the framework.
 */
interface AppLog {
    boolean isDebugEnabled();

    void debug(String format, Object arg);

    void info(String msg);

    void warn(String format, Object arg);

    void error(String msg);

    void error(String msg, Throwable t);

    /** MDC / ThreadContext. */
    void put(String key, String value);

    void remove(String key);

    static AppLog of(String framework, String name) {
        return framework.equals("log4j2") ? new Log4j2Log(name) : new Slf4jLog(name);
    }

    /** SLF4J (Logback behind it). */
    final class Slf4jLog implements AppLog {
        private final org.slf4j.Logger log;

        Slf4jLog(String name) {
            log = org.slf4j.LoggerFactory.getLogger(name);
        }

        public boolean isDebugEnabled() { return log.isDebugEnabled(); }
        public void debug(String format, Object arg) { log.debug(format, arg); }
        public void info(String msg) { log.info(msg); }
        public void warn(String format, Object arg) { log.warn(format, arg); }
        public void error(String msg) { log.error(msg); }
        public void error(String msg, Throwable t) { log.error(msg, t); }
        public void put(String key, String value) { org.slf4j.MDC.put(key, value); }
        public void remove(String key) { org.slf4j.MDC.remove(key); }
    }

    /** The Log4j2 API. */
    final class Log4j2Log implements AppLog {
        private final org.apache.logging.log4j.Logger log;

        Log4j2Log(String name) {
            log = org.apache.logging.log4j.LogManager.getLogger(name);
        }

        public boolean isDebugEnabled() { return log.isDebugEnabled(); }
        public void debug(String format, Object arg) { log.debug(format, arg); }
        public void info(String msg) { log.info(msg); }
        public void warn(String format, Object arg) { log.warn(format, arg); }
        public void error(String msg) { log.error(msg); }
        public void error(String msg, Throwable t) { log.error(msg, t); }
        public void put(String key, String value) { org.apache.logging.log4j.ThreadContext.put(key, value); }
        public void remove(String key) { org.apache.logging.log4j.ThreadContext.remove(key); }
    }
}
