package io.rpctrace.instrumentation.http;

import io.rpctrace.Span;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.BiConsumer;

/**
 * Ends an asynchronous client call when its future completes (the JDK
 * {@code java.net.http.HttpClient}, sync {@code send} included: it waits on the same future).
 * The record's duration is from the call to the completion, on whatever thread completes it.
 *
 * <pre>{@code
 * future.whenComplete(new AsyncHttpCall(call, "example.org", 443));
 * }</pre>
 *
 * <p>Design note: this module is Java 8 bytecode and cannot name {@code java.net.http} types;
 * the status and {@code Content-Length} are read through the public interface
 * {@code java.net.http.HttpResponse}, looked up once.
 */
public final class AsyncHttpCall implements BiConsumer<Object, Throwable> {
    private static volatile Method statusCode;
    private static volatile Method headers;
    private static volatile Method firstValueAsLong;

    private final Span call;
    private final String hostName;
    private final int port;

    /** {@code hostName}/{@code port}: where the call goes, resolved to {@code ip:port} at the end. */
    public AsyncHttpCall(Span call, String hostName, int port) {
        this.call = call;
        this.hostName = hostName;
        this.port = port;
    }

    @Override
    public void accept(Object response, Throwable failure) {
        try {
            if (failure != null) {
                Throwable t = unwrap(failure);
                HttpClientCalls.fail(call, t, false, HttpClientCalls.unresolved(hostName, port));
            } else {
                HttpClientCalls.end(call, status(response), contentLength(response), HttpClientCalls.host(hostName, port));
            }
        } catch (Throwable t) {
            call.close();
        }
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static int status(Object response) throws ReflectiveOperationException {
        Method m = statusCode;
        if (m == null) {
            Class<?> api = Class.forName("java.net.http.HttpResponse", false, response.getClass().getClassLoader());
            headers = api.getMethod("headers");
            firstValueAsLong = headers.getReturnType().getMethod("firstValueAsLong", String.class);
            statusCode = m = api.getMethod("statusCode");
        }
        return (Integer) m.invoke(response);
    }

    private static long contentLength(Object response) {
        try {
            Object h = headers.invoke(response);
            java.util.OptionalLong n = (java.util.OptionalLong) firstValueAsLong.invoke(h, "content-length");
            return n.isPresent() ? n.getAsLong() : -1;
        } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
            return -1;
        }
    }
}
