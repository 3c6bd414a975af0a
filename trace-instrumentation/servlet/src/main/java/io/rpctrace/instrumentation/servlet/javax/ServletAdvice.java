package io.rpctrace.instrumentation.servlet.javax;

import io.rpctrace.Span;
import io.rpctrace.instrumentation.http.AsyncServerListener;
import io.rpctrace.instrumentation.http.ContainerCompletion;
import io.rpctrace.instrumentation.http.HttpRoutes;
import io.rpctrace.instrumentation.http.HttpServerCalls;
import io.rpctrace.instrumentation.http.ResponseBytes;
import io.rpctrace.internal.CallDepth;
import javax.servlet.AsyncListener;
import javax.servlet.Servlet;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import net.bytebuddy.asm.Advice;

/**
 * Around the outermost {@code Filter.doFilter} / {@code Servlet.service} of a request on a
 * thread. A request that carries a span already (an async or error dispatch) continues it.
 * An exception or an error status is ended by the container's own request method when one
 * is hooked ({@link ContainerCompletion}), after the error page it writes.
 */
final class ServletAdvice {
    private ServletAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(@Advice.Argument(0) ServletRequest request, @Advice.Argument(1) ServletResponse response) {
        if (CallDepth.of(Servlet.class).enter() > 0
                || !(request instanceof HttpServletRequest) || !(response instanceof HttpServletResponse)) {
            return null;
        }
        HttpServletRequest req = (HttpServletRequest) request;
        Object ongoing = req.getAttribute(HttpServerCalls.SPAN_ATTRIBUTE);
        if (ongoing instanceof Span) {
            return HttpServerCalls.resume((Span) ongoing);
        }
        String[] names = HttpServerCalls.HEADERS;
        String[] values = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            values[i] = req.getHeader(names[i]);
        }
        String query = req.getQueryString();
        StringBuffer url = req.getRequestURL();
        if (query != null) {
            url.append('?').append(query);
        }
        Span span = HttpServerCalls.start(values, req.getMethod(), url.toString(), query, req.getRemoteAddr(),
                HttpServerCalls.ipPort(req.getLocalAddr(), req.getLocalPort()));
        ((HttpServletResponse) response).setHeader(HttpServerCalls.RESPONSE_HEADER, span.traceId());
        req.setAttribute(HttpServerCalls.SPAN_ATTRIBUTE, span);
        return span;
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(@Advice.Enter Object state, @Advice.Argument(0) ServletRequest request,
                     @Advice.Argument(1) ServletResponse response, @Advice.Thrown Throwable thrown) {
        CallDepth.of(Servlet.class).exit();
        if (state instanceof Span) {
            Span span = (Span) state;
            HttpServletResponse rsp = (HttpServletResponse) response;
            HttpRoutes.apply(span, ((HttpServletRequest) request).getMethod(),
                    request.getAttribute(HttpRoutes.SPRING_MVC_PATTERN));
            if (thrown == null && request.isAsyncStarted()) {
                span.exitScope();
                request.getAsyncContext().addListener(
                        (AsyncListener) AsyncServerListener.create(AsyncListener.class, span, rsp));
            } else {
                // an error page the container writes after this exit: the record ends after it
                ContainerCompletion.endOrDefer(span, rsp, HttpServletResponse.class, rsp.getStatus(),
                        ResponseBytes.of(rsp, rsp.getHeader("Content-Length")), thrown);
            }
        } else if (state != null) {
            HttpServerCalls.leave(state);
        }
    }
}
