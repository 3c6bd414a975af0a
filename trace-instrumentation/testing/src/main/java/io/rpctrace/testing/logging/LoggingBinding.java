package io.rpctrace.testing.logging;

/**
 * What a logging framework module implements to inherit the logging contracts
 * ({@link DebugLoggingContract}, {@link CorrelationContract}, {@link CaptureContract}): the
 * application's calls, in that framework's API. The framework is configured as a user would
 * configure it (its test configuration file): an application appender that formats each event
 * with {@code %level|%logger|%X{x_trace_id}|%X{x_rpc_id}|%msg} into {@link AppLines}, and
 * rpctrace's pieces, root level INFO.
 */
public interface LoggingBinding {
    /**
     * Logs {@code format} with {@code {}} placeholders filled from {@code args} at {@code level}
     * on the logger named {@code logger}; a last argument that is a {@link Throwable} is the
     * event's exception.
     */
    void log(String logger, LogLevel level, String format, Object... args);

    /** Whether the logger named {@code logger} is enabled for {@code level} on this thread now. */
    boolean isEnabled(String logger, LogLevel level);

    /** Puts {@code key} into the application's own context of this thread (MDC, ThreadContext). */
    void putContext(String key, String value);

    /** Removes {@code key} from the application's own context of this thread. */
    void removeContext(String key);
}
