package io.rpctrace.internal.logging;

import io.rpctrace.context.CurrentScope;
import io.rpctrace.context.Scope;
import io.rpctrace.internal.Secrets;
import io.rpctrace.internal.Tracing;

/**
 * Keeps the debug secret out of the application's own log output. Debug mode lowers every
 * logger's level for one request (docs/logging.md#debug-for-one-request), so a library that logs
 * the request's headers at DEBUG (Spring's {@code CommonsRequestLoggingFilter}, Spring Cloud
 * Gateway's header filters) writes that request's {@code X-Debug-Token} into the application's
 * log exactly because of rpctrace: on the entry service that header is the raw secret. The
 * logging instrumentations pass each event's text through here; in a debug scope the secret
 * becomes {@code ***}, as it does in the {@code log.*} records.
 *
 * <pre>{@code
 * // exit advice of Logback's LoggingEvent.getFormattedMessage():
 * String shown = LogSecrets.masked(formatted);   // the same string unless it holds the secret
 * }</pre>
 *
 * <p>Design note: only events of a debug scope are looked at (a request carrying the secret is a
 * debug request), so outside one the cost is one volatile read until the JVM's first debug scope,
 * then a thread-local read.
 */
public final class LogSecrets {
    private LogSecrets() {
    }

    /** True when the current scope is in debug mode, so an event's text may hold the secret. */
    public static boolean active() {
        if (!Scope.debugSeen()) {
            return false;
        }
        Scope scope = CurrentScope.get();
        return scope != null && scope.debug();
    }

    /** {@code text} with the debug secret masked, in a debug scope; else {@code text} itself. */
    public static String masked(String text) {
        if (text == null || !active()) {
            return text;
        }
        return Tracing.get().debugToken().masked(text, Secrets.MASK);
    }
}
