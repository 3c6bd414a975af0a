package io.rpctrace.instrumentation.http;

import io.rpctrace.Span;
import io.rpctrace.context.CurrentScope;
import io.rpctrace.context.Scope;
import io.rpctrace.internal.ThreadSlot;
import io.rpctrace.internal.concurrent.WeakIdentityMap;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Calls of an asynchronous client whose request, response and completion are seen by three
 * different methods, on different threads (Apache HttpClient 5's {@code CloseableHttpAsyncClient}):
 * the execute method {@linkplain #expect expects} a call on this thread and names the library
 * object that will see its response (the response consumer); the first step of the request
 * pipeline {@linkplain #start starts} it there, once the request is known; the consumer
 * {@linkplain #response ends} it when the response head arrives, or {@linkplain #failed fails} it.
 *
 * <pre>{@code
 * // execute enter:  callback = AsyncClientCalls.expect(consumer, FutureCallback.class, callback)
 * // pipeline enter: Span call = AsyncClientCalls.start(method, url, host, port); inject call's headers
 * // execute exit:   AsyncClientCalls.done()
 * // consumer:       AsyncClientCalls.response(this, status, contentLength) / failed(this, exception)
 * }</pre>
 *
 * <p>The application's completion callback runs in a child scope of the caller's scope
 * (docs/model.md#rule-4), made right after the call took its id, so a call made from the
 * callback continues the caller's trace.
 */
public final class AsyncClientCalls {
    private static final ThreadSlot<Expected> EXPECTED = new ThreadSlot<>();
    private static final WeakIdentityMap<AsyncClientCalls> BY_OWNER = new WeakIdentityMap<>();

    private final Span call;
    private final String hostName;
    private final int port;

    private AsyncClientCalls(Span call, String hostName, int port) {
        this.call = call;
        this.hostName = hostName;
        this.port = port;
    }

    /** What the execute method told this thread to expect. */
    private static final class Expected {
        final Object owner;
        final ScopedCallback callback;

        Expected(Object owner, ScopedCallback callback) {
            this.owner = owner;
            this.callback = callback;
        }
    }

    /**
     * Expects a call on this thread whose response {@code owner} will see. Returns the callback
     * the library should be given instead of {@code callback}: one of the same interface
     * {@code callbackType} that runs it in a child scope of the current scope (or
     * {@code callback} itself outside any scope or when it is null).
     */
    public static Object expect(Object owner, Class<?> callbackType, Object callback) {
        ScopedCallback scoped = null;
        Object replacement = callback;
        if (callback != null && callbackType != null && CurrentScope.get() != null
                && !Proxy.isProxyClass(callback.getClass())) {
            scoped = new ScopedCallback(callback);
            replacement = Proxy.newProxyInstance(callbackType.getClassLoader(), new Class<?>[] {callbackType}, scoped);
        }
        EXPECTED.set(new Expected(owner, scoped));
        return replacement;
    }

    /**
     * Starts the call expected on this thread ({@code http.<method>}, rule 2); null when none is
     * expected (a retry or redirect inside the same call, or a pipeline step of a later stage).
     */
    public static Span start(String method, String url, String hostName, int port) {
        Expected e = EXPECTED.get();
        if (e == null) {
            return null;
        }
        EXPECTED.set(null);
        Span call = HttpClientCalls.start(method, url);
        if (e.owner != null) {
            BY_OWNER.put(e.owner, new AsyncClientCalls(call, hostName, port));
        }
        if (e.callback != null) {
            e.callback.bind();
        }
        return call;
    }

    /** Ends the execute method: an expectation no pipeline step took is dropped (its callback still gets a scope). */
    public static void done() {
        Expected e = EXPECTED.get();
        if (e != null) {
            EXPECTED.set(null);
            if (e.callback != null) {
                e.callback.bind();
            }
        }
    }

    /** The response head arrived at {@code owner}: writes the call's record. */
    public static void response(Object owner, int status, long contentLength) {
        AsyncClientCalls c = take(owner);
        if (c != null) {
            HttpClientCalls.end(c.call, status, contentLength, HttpClientCalls.host(c.hostName, c.port));
        }
    }

    /** The call of {@code owner} failed without a response: writes {@code http.<method>.error}. */
    public static void failed(Object owner, Throwable t) {
        AsyncClientCalls c = take(owner);
        if (c != null) {
            HttpClientCalls.fail(c.call, t, false, HttpClientCalls.unresolved(c.hostName, c.port));
        }
    }

    private static AsyncClientCalls take(Object owner) {
        if (owner == null || BY_OWNER.isEmpty()) {
            return null;
        }
        AsyncClientCalls c = BY_OWNER.get(owner);
        if (c != null) {
            BY_OWNER.remove(owner);
        }
        return c;
    }

    /**
     * The application's callback behind a {@link Proxy} of its interface (this module, on the
     * bootstrap class path, cannot implement the library's interface itself): every method runs
     * in the scope bound when the call started.
     */
    private static final class ScopedCallback implements InvocationHandler {
        private final Object delegate;
        private volatile Scope scope;

        ScopedCallback(Object delegate) {
            this.delegate = delegate;
        }

        void bind() {
            if (scope == null) {
                Scope parent = CurrentScope.get();
                if (parent != null) {
                    scope = parent.child();
                }
            }
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getDeclaringClass() == Object.class) {
                switch (method.getName()) {
                    case "equals":
                        return proxy == args[0];
                    case "hashCode":
                        return System.identityHashCode(proxy);
                    default:
                        return delegate.toString();
                }
            }
            Scope s = scope;
            Scope previous = s == null ? null : CurrentScope.set(s);
            try {
                // the interface's public method: invocable on any implementation, public or not
                return method.invoke(delegate, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            } finally {
                if (s != null) {
                    CurrentScope.restore(previous);
                }
            }
        }
    }
}
