package io.rpctrace.logback;

import ch.qos.logback.classic.LoggerContext;
import java.util.function.Consumer;

/**
 * What the agent's Logback instrumentation calls when a {@code LoggerContext} is created or
 * reset: installs {@link TraceTurboFilter} and {@link TraceAppender} unless the context has
 * them already. Not for applications (they call {@link TraceLogback#install}).
 *
 * <p>The agent's pieces are named {@value #FILTER_NAME} and {@value #APPENDER_NAME}; when the
 * application's own configuration adds a {@code TraceTurboFilter} or {@code TraceAppender}
 * later, the agent's instrumentation removes its own by these names, so nothing runs twice.
 */
public final class AgentInstaller implements Consumer<Object> {
    /** Name of the turbo filter the agent installs. */
    public static final String FILTER_NAME = "rpctrace-agent";
    /** Name of the appender the agent attaches to the root logger. */
    public static final String APPENDER_NAME = "RPCTRACE-agent";

    /** Made by the agent, once per Logback class loader. */
    public AgentInstaller() {
    }

    @Override
    public void accept(Object loggerContext) {
        TraceLogback.installNow((LoggerContext) loggerContext, true, FILTER_NAME, APPENDER_NAME);
    }
}
