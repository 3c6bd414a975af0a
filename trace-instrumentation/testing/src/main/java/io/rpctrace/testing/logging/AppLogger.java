package io.rpctrace.testing.logging;

/** One of the application's loggers, as the contracts call it: SLF4J's and Log4j2's method names. */
public final class AppLogger {
    private final LoggingBinding binding;
    private final String name;

    /** The logger named {@code name} of {@code binding}'s framework. */
    public AppLogger(LoggingBinding binding, String name) {
        this.binding = binding;
        this.name = name;
    }

    /** Whether DEBUG is enabled on this thread now. */
    public boolean isDebugEnabled() {
        return binding.isEnabled(name, LogLevel.DEBUG);
    }

    /** Whether TRACE is enabled on this thread now. */
    public boolean isTraceEnabled() {
        return binding.isEnabled(name, LogLevel.TRACE);
    }

    /** Logs at TRACE. */
    public void trace(String format, Object... args) {
        binding.log(name, LogLevel.TRACE, format, args);
    }

    /** Logs at DEBUG. */
    public void debug(String format, Object... args) {
        binding.log(name, LogLevel.DEBUG, format, args);
    }

    /** Logs at INFO. */
    public void info(String format, Object... args) {
        binding.log(name, LogLevel.INFO, format, args);
    }

    /** Logs at WARN. */
    public void warn(String format, Object... args) {
        binding.log(name, LogLevel.WARN, format, args);
    }

    /** Logs at ERROR (a last {@link Throwable} argument is the exception). */
    public void error(String format, Object... args) {
        binding.log(name, LogLevel.ERROR, format, args);
    }
}
