package io.rpctrace.instrumentation.reactornetty;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.Span;
import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import io.rpctrace.instrumentation.http.HttpServerCalls;
import java.util.Iterator;
import java.util.Map;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerState;

/**
 * {@code HttpServer.HttpServerHandle.onStateChange(connection, REQUEST_RECEIVED)}: where the server
 * applies the application's handler to a request and subscribes to its publisher. The request's
 * span starts here and its scope is current while the handler runs and subscribes (the chain keeps
 * it in its context); the event-loop thread gets its own scope back on exit. The span ends when the
 * response completes ({@link HttpServerOperationsInstrumentation}).
 */
final class HttpServerHandleInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("reactor.netty.http.server.HttpServer$HttpServerHandle");
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(named("onStateChange").and(takesArguments(2)),
                HttpServerHandleInstrumentation.class.getName() + "$StateAdvice");
    }

    static final class StateAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Span enter(@Advice.Argument(0) Object connection, @Advice.Argument(1) Object state) {
            if (state != HttpServerState.REQUEST_RECEIVED || !(connection instanceof HttpServerRequest)
                    || !(connection instanceof HttpServerResponse)) {
                return null;
            }
            HttpServerRequest request = (HttpServerRequest) connection;
            // one pass over the request's few headers instead of a lookup by name for each of the
            // seventeen the span reads (a case-insensitive hash of the name each)
            String[] values = ReactorNettyServerCalls.headerValues();
            for (Iterator<Map.Entry<CharSequence, CharSequence>> it = request.requestHeaders().iteratorCharSequence();
                    it.hasNext(); ) {
                Map.Entry<CharSequence, CharSequence> header = it.next();
                int i = HttpServerCalls.headerIndex(header.getKey());
                if (i >= 0 && values[i] == null && header.getValue() != null) {
                    values[i] = header.getValue().toString();
                }
            }
            Span span = ReactorNettyServerCalls.start(connection, values, request.method().name(), request.scheme(),
                    values[HttpServerCalls.HOST_INDEX], request.uri(),
                    ReactorNettyServerCalls.ip(request.remoteAddress()),
                    ReactorNettyServerCalls.ipPort(request.hostAddress()));
            ((HttpServerResponse) connection).header(HttpServerCalls.RESPONSE_HEADER, span.traceId());
            return span;
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Span span) {
            if (span != null) {
                span.exitScope();
            }
        }
    }
}
