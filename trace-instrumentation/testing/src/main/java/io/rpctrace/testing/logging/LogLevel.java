package io.rpctrace.testing.logging;

/** The levels the logging contracts log at, named as in SLF4J and Log4j2. */
public enum LogLevel {
    TRACE, DEBUG, INFO, WARN, ERROR
}
