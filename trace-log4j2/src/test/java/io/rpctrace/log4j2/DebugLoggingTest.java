package io.rpctrace.log4j2;

import io.rpctrace.testing.logging.DebugLoggingContract;

/** Debug mode for one request on Log4j2 (RpctraceDebugFilter, a global filter). */
class DebugLoggingTest extends DebugLoggingContract {
    DebugLoggingTest() {
        super(new Log4j2Binding());
    }
}
