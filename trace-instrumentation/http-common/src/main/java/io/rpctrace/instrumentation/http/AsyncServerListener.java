package io.rpctrace.instrumentation.http;

import io.rpctrace.Span;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Ends the {@code request.info} of an asynchronous servlet request when the container
 * completes it ({@code AsyncListener.onComplete}), on whatever thread that happens.
 *
 * <pre>{@code
 * // exit advice of Servlet.service, when request.isAsyncStarted():
 * span.exitScope();
 * request.getAsyncContext().addListener(
 *         (AsyncListener) AsyncServerListener.create(AsyncListener.class, span, response));
 * }</pre>
 *
 * <p>Design note: this module sits on the bootstrap class path and cannot implement
 * {@code javax.servlet.AsyncListener} or {@code jakarta.servlet.AsyncListener}; advice may not
 * add classes to the application. A {@link Proxy} of the application's own listener interface,
 * defined in its class loader, dispatches to this handler instead. The servlet types are
 * reached through their public interfaces by name ({@code <api>.http.HttpServletResponse}).
 */
public final class AsyncServerListener implements InvocationHandler {
    private final Span span;
    private final Object response;
    private final Class<?> listenerType;
    private volatile Object self;
    private volatile Throwable failure;

    private AsyncServerListener(Span span, Object response, Class<?> listenerType) {
        this.span = span;
        this.response = response;
        this.listenerType = listenerType;
    }

    /** An instance of {@code listenerType} (the servlet API's {@code AsyncListener}) that ends {@code span}. */
    public static Object create(Class<?> listenerType, Span span, Object response) {
        AsyncServerListener h = new AsyncServerListener(span, response, listenerType);
        Object proxy = Proxy.newProxyInstance(listenerType.getClassLoader(), new Class<?>[] {listenerType}, h);
        h.self = proxy;
        return proxy;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) {
        String name = method.getName();
        try {
            switch (name) {
                case "onComplete":
                    finish();
                    return null;
                case "onError":
                    failure = (Throwable) call(args[0], "getThrowable");
                    return null;
                case "onTimeout":
                    if (failure == null) {
                        failure = new java.util.concurrent.TimeoutException("async request timed out");
                    }
                    return null;
                case "onStartAsync":
                    // a new async cycle drops the listeners: register again
                    Object ctx = call(args[0], "getAsyncContext");
                    ctx.getClass().getMethod("addListener", listenerType).invoke(ctx, self);
                    return null;
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "equals":
                    return proxy == args[0];
                case "toString":
                    return "rpctrace async listener";
                default:
                    return null;
            }
        } catch (Throwable t) {
            if ("onComplete".equals(name)) {
                span.close();
            }
            return null;
        }
    }

    private void finish() throws ReflectiveOperationException {
        String api = listenerType.getName().substring(0, listenerType.getName().lastIndexOf('.'));
        Class<?> rsp = Class.forName(api + ".http.HttpServletResponse", false, listenerType.getClassLoader());
        int status = (Integer) rsp.getMethod("getStatus").invoke(response);
        String len = (String) rsp.getMethod("getHeader", String.class).invoke(response, "Content-Length");
        HttpServerCalls.end(span, status, ResponseBytes.of(response, len), failure);
    }

    private static Object call(Object target, String method) throws ReflectiveOperationException {
        return target.getClass().getMethod(method).invoke(target);
    }
}
