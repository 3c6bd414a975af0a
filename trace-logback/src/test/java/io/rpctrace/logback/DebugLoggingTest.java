package io.rpctrace.logback;

import io.rpctrace.testing.logging.DebugLoggingContract;

/** Debug mode for one request on Logback (TraceTurboFilter). */
class DebugLoggingTest extends DebugLoggingContract {
    DebugLoggingTest() {
        super(new LogbackBinding());
    }
}
