package io.rpctrace.instrumentation.reactornetty;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.rpctrace.context.CurrentScope;
import io.rpctrace.context.Propagation;
import io.rpctrace.context.Scope;
import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import reactor.netty.channel.ChannelOperations;
import reactor.netty.http.client.HttpClientRequest;

/**
 * {@code HttpClientConnect.HttpClientHandler.requestWithBody(operations)}: on return, the request's
 * method, URI and headers are set and not yet written (the returned publisher writes them), on the
 * connection's event loop. The call takes its id from the
 * scope of the chain that subscribed to the client (kept in the subscriber context by the
 * {@code reactor} module), else from the thread, and its headers are injected. The handler is made
 * per call before any connection: its constructor takes the scope of the subscription
 * ({@link HttpClientConnectInstrumentation}), and its {@code test(error)} (the client's retry filter:
 * false means the call fails for good) records a call that never wrote a request. A subscriber
 * that cancels while the call waits for a connection does not stop the pool: the connection it
 * gets later has its operations disposed before {@code requestWithBody} runs on them, and the
 * call is recorded {@code CANCELLED} there, once, not as the close that follows.
 */
final class HttpClientHandlerInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("reactor.netty.http.client.HttpClientConnect$HttpClientHandler");
    }

    @Override
    public void transform(AdviceTarget target) {
        String name = HttpClientHandlerInstrumentation.class.getName();
        target.applyAdvice(named("requestWithBody").and(takesArguments(1)), name + "$RequestAdvice")
                .applyAdvice(isConstructor(), name + "$ConstructorAdvice")
                .applyAdvice(named("test").and(takesArguments(1)), name + "$GiveUpAdvice");
    }

    static final class ConstructorAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object handler) {
            ReactorNettyClientCalls.connecting(handler);
        }
    }

    static final class GiveUpAdvice {
        // On exit: false means no retry and no redirect, the error goes to the subscriber.
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object handler, @Advice.Argument(0) Throwable thrown,
                         @Advice.Return boolean retried, @Advice.FieldValue("method") HttpMethod method,
                         @Advice.FieldValue("toURI") Object uri) {
            if (!retried) {
                ReactorNettyClientCalls.gaveUp(handler, method == null ? null : method.name(),
                        uri == null ? null : uri.toString(), thrown);
            }
        }
    }

    static final class RequestAdvice {
        // On exit: the method sets the request's method, URI and headers, and returns the publisher
        // that writes them when subscribed.
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object handler, @Advice.Argument(0) Object operations) {
            Scope subscriber = ReactorNettyClientCalls.connected(handler);
            if (!(operations instanceof HttpClientRequest)) {
                return;
            }
            HttpClientRequest request = (HttpClientRequest) operations;
            Scope scope = request.currentContextView().getOrDefault(ReactorNettyClientCalls.CONTEXT_KEY, subscriber);
            Scope previous = scope == null ? null : CurrentScope.set(scope);
            try {
                HttpHeaders h = request.requestHeaders();
                String[] headers = ReactorNettyClientCalls.start(operations, request.method().name(),
                        request.resourceUrl(), h.get("Host"), request.uri());
                for (int i = 0; i + 1 < headers.length; i += 2) {
                    // an interop header the application's own tracer put on the request stays (docs/propagation.md#interop)
                    if (!Propagation.isInterop(headers[i]) || !h.contains(headers[i])) {
                        h.set(headers[i], headers[i + 1]);
                    }
                }
                if (request instanceof ChannelOperations && ((ChannelOperations<?, ?>) request).isSubscriptionDisposed()) {
                    // the subscriber cancelled before the pool handed the call its connection: Reactor
                    // Netty disposed the operations already and will only close them
                    ReactorNettyClientCalls.cancelled(operations);
                }
            } finally {
                if (scope != null) {
                    CurrentScope.restore(previous);
                }
            }
        }
    }
}
