package io.rpctrace.instrumentation.httpurlconnection;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.Span;
import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import io.rpctrace.instrumentation.http.HttpClientCalls;
import io.rpctrace.internal.CallDepth;
import java.net.HttpURLConnection;
import java.net.URL;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code sun.net.www.protocol.http.HttpURLConnection} (HTTPS delegates to a subclass of it).
 * The call starts at the first of {@code connect}, {@code getOutputStream},
 * {@code getInputStream} (headers are injected then, while the connection is not yet
 * connected) and ends when {@code getInputStream} returns or throws: the response headers
 * are in ({@code getResponseCode} and {@code getHeaderField} go through it). A failure in
 * {@code connect} or {@code getOutputStream} ends it too. The call is found again through a
 * weak map keyed by the connection (no field is added to the JDK class).
 *
 * <p>Design note: {@code @Advice.This} is typed {@code Object} and cast in the advice: a typed
 * parameter makes Byte Buddy resolve every interface of the instrumented class, and the
 * OpenTelemetry agent adds one of its own there that our type pool cannot see.
 */
final class HttpUrlConnectionInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("sun.net.www.protocol.http.HttpURLConnection");
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(named("connect").and(takesArguments(0)),
                        HttpUrlConnectionInstrumentation.class.getName() + "$ConnectAdvice")
                .applyAdvice(named("getOutputStream").and(takesArguments(0)),
                        HttpUrlConnectionInstrumentation.class.getName() + "$ConnectAdvice")
                .applyAdvice(named("getInputStream").and(takesArguments(0)),
                        HttpUrlConnectionInstrumentation.class.getName() + "$ResponseAdvice");
    }

    /** {@code connect}, {@code getOutputStream}: start the call; end it only when they fail. */
    static final class ConnectAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Span enter(@Advice.This Object self, @Advice.FieldValue("connected") boolean connected) {
            if (CallDepth.of(HttpURLConnection.class).enter() > 0) {
                return null;
            }
            HttpURLConnection conn = (HttpURLConnection) self;
            Span call = HttpClientCalls.attached(conn);
            if (call == null && !connected && !HttpClientCalls.seen(conn)) {
                String method = conn.getRequestMethod();
                if ("GET".equals(method) && conn.getDoOutput()) {
                    method = "POST"; // what getOutputStream turns a GET with output into
                }
                call = HttpClientCalls.start(method, conn.getURL().toString());
                String[] h = HttpClientCalls.headers(call);
                for (int i = 0; i < h.length; i += 2) {
                    conn.setRequestProperty(h[i], h[i + 1]);
                }
                HttpClientCalls.attach(conn, call);
            }
            return call;
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Span call, @Advice.This Object self,
                         @Advice.Origin("#m") String method, @Advice.Thrown Throwable thrown) {
            CallDepth.of(HttpURLConnection.class).exit();
            HttpURLConnection conn = (HttpURLConnection) self;
            if (call != null && thrown != null) {
                HttpClientCalls.finish(conn);
                URL url = conn.getURL();
                HttpClientCalls.fail(call, thrown, "connect".equals(method),
                        HttpClientCalls.unresolved(url.getHost(), HttpClientCalls.port(url.getProtocol(), url.getPort())));
            }
        }
    }

    /** {@code getInputStream}: the response (or the failure) is in; the call ends. */
    static final class ResponseAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Span enter(@Advice.This Object self, @Advice.FieldValue("connected") boolean connected) {
            // advice is inlined: it cannot call another advice class, so the start is repeated
            if (CallDepth.of(HttpURLConnection.class).enter() > 0) {
                return null;
            }
            HttpURLConnection conn = (HttpURLConnection) self;
            Span call = HttpClientCalls.attached(conn);
            if (call == null && !connected && !HttpClientCalls.seen(conn)) {
                String method = conn.getRequestMethod();
                if ("GET".equals(method) && conn.getDoOutput()) {
                    method = "POST"; // what getOutputStream turns a GET with output into
                }
                call = HttpClientCalls.start(method, conn.getURL().toString());
                String[] h = HttpClientCalls.headers(call);
                for (int i = 0; i < h.length; i += 2) {
                    conn.setRequestProperty(h[i], h[i + 1]);
                }
                HttpClientCalls.attach(conn, call);
            }
            return call;
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Span call, @Advice.This Object self,
                         @Advice.FieldValue("responseCode") int status, @Advice.Thrown Throwable thrown) {
            HttpURLConnection conn = (HttpURLConnection) self;
            try {
                if (call != null) {
                    HttpClientCalls.finish(conn);
                    URL url = conn.getURL();
                    int port = HttpClientCalls.port(url.getProtocol(), url.getPort());
                    if (status > 0) {
                        // an HTTP error status throws here too (FileNotFoundException for 404)
                        HttpClientCalls.end(call, status, conn.getContentLengthLong(),
                                HttpClientCalls.host(url.getHost(), port));
                    } else {
                        HttpClientCalls.fail(call, thrown, false, HttpClientCalls.unresolved(url.getHost(), port));
                    }
                }
            } finally {
                CallDepth.of(HttpURLConnection.class).exit();
            }
        }
    }
}
