package io.rpctrace.instrumentation.http;

import io.rpctrace.Span;
import io.rpctrace.internal.ThreadSlot;

/**
 * Ends a servlet request's {@code request.info} when the container has finished with the
 * request, for the responses the container still writes after the outermost filter or servlet
 * has returned: an exception's error page and a {@code sendError} status page (Tomcat's host
 * valve forwards to the application's error page or its error report valve writes one; Jetty's
 * channel runs its error handler; Undertow's initial handler its error dispatch).
 *
 * <pre>{@code
 * // the container's request method (Tomcat StandardEngineValve.invoke, Jetty HttpChannel.handle, ...):
 * enter: Object state = ContainerCompletion.enter();
 * exit:  ContainerCompletion.exit(state);
 * // where the container completes a response before that method returns (Jetty's onCompleted):
 * ContainerCompletion.complete();
 * // the servlet advice's exit (not async): ends the record now, or defers an error response's end
 * ContainerCompletion.endOrDefer(span, response, HttpServletResponse.class, status, length, thrown);
 * }</pre>
 *
 * <p>Design note: only error responses are deferred, so a request that succeeds costs the
 * container's method one thread-local read and two increments. A container that rpctrace
 * does not hook has no depth: its error responses are ended at the servlet's exit, as before
 * (their page's bytes missing from {@code x_response_len}). The response is read through the
 * servlet API's public interface by reflection: this module sits on the bootstrap class path
 * and cannot name {@code javax.servlet} or {@code jakarta.servlet} types.
 */
public final class ContainerCompletion {
    private static final ThreadSlot<State> STATE = new ThreadSlot<State>() {
        @Override
        protected State initialValue() {
            return new State();
        }
    };

    private ContainerCompletion() {
    }

    /** Enter advice of the container's request method: returns the thread's state for {@link #exit}. */
    public static Object enter() {
        State s = STATE.get();
        s.depth++;
        return s;
    }

    /** Exit advice of the container's request method: the outermost one ends a deferred record. */
    public static void exit(Object state) {
        if (!(state instanceof State)) {
            return;
        }
        State s = (State) state;
        if (s.depth > 0) {
            s.depth--;
        }
        if (s.depth == 0) {
            end(s);
        }
    }

    /**
     * The container has completed the response (Jetty's {@code onCompleted}, which its request
     * log reads, before the response is recycled inside the same request method): a record
     * deferred on this thread ends now.
     */
    public static void complete() {
        end(STATE.get());
    }

    private static void end(State s) {
        Span span = s.span;
        if (span == null) {
            return;
        }
        Object response = s.response;
        Class<?> type = s.responseType;
        Throwable thrown = s.thrown;
        int status = s.status;
        long length = s.length;
        s.span = null;
        s.response = null;
        s.responseType = null;
        s.thrown = null;
        int now = status(response, type);
        if (now >= 400) {
            // the response as the container left it; a response already recycled (a success
            // status again) keeps what the servlet's exit saw
            status = now;
            length = ResponseBytes.completed(response, header(response, type, "Content-Length"));
        }
        HttpServerCalls.end(span, status, length, thrown);
    }

    /**
     * The servlet advice's exit for a request that is not async: ends {@code span} now with
     * {@code status} and {@code length}, or, for an exception or a status >= 400 while a hooked
     * container method runs on this thread, leaves it to the container's completion
     * ({@link #complete}) or that method's exit ({@link #exit}), which read the response as it is
     * then and fall back on these figures.
     */
    public static void endOrDefer(Span span, Object response, Class<?> responseType, int status, long length,
                                  Throwable thrown) {
        if (thrown != null || status >= 400) {
            State s = STATE.get();
            if (s.depth > 0 && s.span == null) {
                s.span = span;
                s.response = response;
                s.responseType = responseType;
                s.thrown = thrown;
                s.status = status;
                s.length = length;
                return;
            }
        }
        HttpServerCalls.end(span, status, length, thrown);
    }

    private static int status(Object response, Class<?> type) {
        try {
            return (Integer) type.getMethod("getStatus").invoke(response);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return 0;   // unknown: HttpServerCalls.end makes an exception 500
        }
    }

    private static String header(Object response, Class<?> type, String name) {
        try {
            return (String) type.getMethod("getHeader", String.class).invoke(response, name);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    private static final class State {
        int depth;
        Span span;
        Object response;
        Class<?> responseType;
        Throwable thrown;
        /** The status and length when the servlet returned. */
        int status;
        long length;
    }
}
