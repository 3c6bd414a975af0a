package io.rpctrace.instrumentation.jdkhttpserver;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsExchange;
import io.rpctrace.Span;
import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import io.rpctrace.instrumentation.http.CountingOutputStream;
import io.rpctrace.instrumentation.http.HttpServerCalls;
import io.rpctrace.internal.CallDepth;
import io.rpctrace.internal.ResponseCapture;
import java.net.InetSocketAddress;
import java.net.URI;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code Filter.Chain.doFilter}: the server runs every exchange through it (the user's
 * filters, then the system filters, then the handler), so its outermost call on a thread
 * spans the whole exchange whatever the application registered.
 */
final class FilterChainInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("com.sun.net.httpserver.Filter$Chain");
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(named("doFilter").and(takesArguments(1)),
                FilterChainInstrumentation.class.getName() + "$DoFilterAdvice");
    }

    static final class DoFilterAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Span enter(@Advice.Argument(0) HttpExchange exchange) {
            if (CallDepth.of(Filter.Chain.class).enter() > 0) {
                return null;
            }
            Headers h = exchange.getRequestHeaders();
            String[] names = HttpServerCalls.HEADERS;
            String[] values = new String[names.length];
            for (int i = 0; i < names.length; i++) {
                values[i] = h.getFirst(names[i]);
            }
            InetSocketAddress local = exchange.getLocalAddress();
            InetSocketAddress remote = exchange.getRemoteAddress();
            String serverIp = HttpServerCalls.ipPort(local.getAddress().getHostAddress(), local.getPort());
            String host = h.getFirst("Host");
            URI uri = exchange.getRequestURI();
            String url = (exchange instanceof HttpsExchange ? "https://" : "http://")
                    + (host == null ? serverIp : host) + uri.getRawPath()
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            Span span = HttpServerCalls.start(values, exchange.getRequestMethod(), url, uri.getRawQuery(),
                    remote == null ? null : remote.getAddress().getHostAddress(), serverIp);
            exchange.getResponseHeaders().set(HttpServerCalls.RESPONSE_HEADER, span.traceId());
            if (HttpServerCalls.chunked(h.getFirst("Transfer-Encoding"))) { // metric.ip bytes_in: count what is read
                exchange.setStreams(HttpServerCalls.countingBody(exchange.getRequestBody()), null);
            }
            // x_response_len of a chunked response: the bytes the handler writes (a Content-Length wins)
            // and its first bytes when the request wants x_response (capture.response, debug)
            exchange.setStreams(null, CountingOutputStream.wrap(exchange.getResponseBody(), ResponseCapture.wanted(span)));
            return span;
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Span span, @Advice.Argument(0) HttpExchange exchange,
                         @Advice.Thrown Throwable thrown) {
            CallDepth.of(Filter.Chain.class).exit();
            if (span != null) {
                HttpServerCalls.bodyRead(span, exchange.getRequestBody());
                long len = HttpServerCalls.contentLength(exchange.getResponseHeaders().getFirst("Content-length"));
                span.response(CountingOutputStream.excerpt(exchange.getResponseBody()));
                HttpServerCalls.end(span, exchange.getResponseCode(),
                        len >= 0 ? len : CountingOutputStream.count(exchange.getResponseBody()), thrown);
            }
        }
    }
}
