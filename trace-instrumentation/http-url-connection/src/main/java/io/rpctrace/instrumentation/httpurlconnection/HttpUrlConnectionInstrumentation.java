package io.rpctrace.instrumentation.httpurlconnection;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.Span;
import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import java.net.HttpURLConnection;
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
 * weak map keyed by the connection (no field is added to the JDK class); the logic is
 * {@link UrlConnectionCalls}, which names only {@code java.net} types and so links from the
 * boot class path, where this JDK class and the module both live.
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
            return UrlConnectionCalls.enter((HttpURLConnection) self, connected);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Span call, @Advice.This Object self,
                         @Advice.Origin("#m") String method, @Advice.Thrown Throwable thrown) {
            UrlConnectionCalls.connected(call, (HttpURLConnection) self, method, thrown);
        }
    }

    /** {@code getInputStream}: the response (or the failure) is in; the call ends. */
    static final class ResponseAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Span enter(@Advice.This Object self, @Advice.FieldValue("connected") boolean connected) {
            return UrlConnectionCalls.enter((HttpURLConnection) self, connected);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Span call, @Advice.This Object self,
                         @Advice.FieldValue("responseCode") int status, @Advice.Thrown Throwable thrown) {
            UrlConnectionCalls.responded(call, (HttpURLConnection) self, status, thrown);
        }
    }
}
