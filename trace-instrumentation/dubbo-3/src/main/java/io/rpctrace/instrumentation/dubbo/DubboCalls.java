package io.rpctrace.instrumentation.dubbo;

import io.rpctrace.Span;
import io.rpctrace.context.MapCarrier;
import io.rpctrace.context.Propagation;
import io.rpctrace.context.Scope;
import io.rpctrace.internal.AdviceErrors;
import io.rpctrace.internal.SpanHooks;
import io.rpctrace.internal.ThreadSlot;
import io.rpctrace.internal.concurrent.Continuations;
import io.rpctrace.record.RecordNames;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.BiConsumer;

/**
 * A Dubbo call (docs/model.md#rule-2) and a served invocation (docs/model.md#rule-1). Names no
 * Dubbo type: the advice reads the invocation and hands over plain values.
 *
 * <pre>{@code
 * // consumer enter: Span call = DubboCalls.call(serviceName, methodName, url.getAddress());
 * //                 for each pair of DubboCalls.attachments(call) (until a null): invocation.setAttachment(k, v);
 * // consumer exit:  DubboCalls.end(call, thrown, rpcExceptionCode)    (sync, or already done)
 * //                 future.whenComplete(DubboCalls.completion(call))  (async, still running)
 * //                 DubboCalls.calling(call) after enter, DubboCalls.calling(null) at exit
 * // request future made inside an async call: DubboCalls.continueInCallersScope(future)
 * //                 (dubbo: DefaultFuture, its request's invocation; Triple: DeadlineFuture, DubboCalls.invocation())
 * // its doReceived:  Continuations.enter(future) ... Continuations.exit(previous)
 * // provider enter: Span s = DubboCalls.serve(invocation.getObjectAttachments(), serviceName, methodName);
 * // provider exit:  DubboCalls.served(s, thrown or the result's exception);
 * }</pre>
 */
public final class DubboCalls {
    /** The record of a consumer's call. */
    public static final String DUBBO_REQUEST = "dubbo.request";
    /** {@code x_code} of an exception the provider's implementation threw (a business exception). */
    public static final String BIZ = "biz";
    /** The attachment of a call's id: one on an invocation before the call's are set means a retry of an earlier call. */
    public static final String RPC_ID = "x-rpc-id";

    private static final String GENERIC_SERVICE = "org.apache.dubbo.rpc.service.GenericService";

    /** {@code x_code} by {@code RpcException.getCode()} (0 to 12, as Dubbo 3 numbers them). */
    private static final String[] RPC_CODES = {
        "unknown", "network", "timeout", "biz", "forbidden", "serialization", "no_provider",
        "limit_exceeded", "timeout", "registry", "router_cache_not_built", "method_not_found", "validation",
    };

    /** Writes the attachments of a call into this thread's {@link ThreadCalls#pairs}. */
    private static final Propagation.Setter<ThreadCalls> SETTER = (calls, name, value) -> {
        if (calls.pairCount + 2 < calls.pairs.length) {   // a null always ends the pairs
            calls.pairs[calls.pairCount++] = name;
            calls.pairs[calls.pairCount++] = value;
        }
    };

    /** The provider's reader of an invocation's attachments (Dubbo's own entries besides ours). */
    private static final MapCarrier<Object> ATTACHMENTS = new MapCarrier<>(Object::toString);

    /** {@code getException()} and {@code getCode()} of Dubbo's result and exception classes, looked up once per class. */
    private static final ClassValue<Method> GET_EXCEPTION = new ClassValue<Method>() {
        @Override
        protected Method computeValue(Class<?> type) {
            return method(type, "getException");
        }
    };
    private static final ClassValue<Method> GET_CODE = new ClassValue<Method>() {
        @Override
        protected Method computeValue(Class<?> type) {
            return method(type, "getCode");
        }
    };

    /** What this thread's calls leave for the advice that runs after them. */
    private static final ThreadSlot<ThreadCalls> CALLS = new ThreadSlot<ThreadCalls>() {
        @Override
        protected ThreadCalls initialValue() {
            return new ThreadCalls();
        }
    };

    private DubboCalls() {
    }

    /** How many calls this thread has started (only compared, before and after a cluster's invoke). */
    public static long calls() {
        return CALLS.get().started;
    }

    /**
     * A consumer's cluster starts choosing a provider on this thread: returns the calls this
     * thread has started ({@link #calls()}), or -1 for a cluster inside another one. Paired with
     * {@link #clusterExits}.
     *
     * <p>Design note: the nesting is counted in this thread's {@link ThreadCalls}, which the call
     * reads anyway, rather than in a {@code CallDepth} found by class on each enter and exit.
     */
    public static long clusterEnters() {
        ThreadCalls calls = CALLS.get();
        return calls.clusterDepth++ > 0 ? -1 : calls.started;
    }

    /**
     * The cluster {@link #clusterEnters} saw start returned: true when it was the outermost
     * ({@code calls} not -1) and no call started on this thread since, so a failure it threw
     * reached no provider.
     */
    public static boolean clusterExits(long calls) {
        ThreadCalls c = CALLS.get();
        if (c.clusterDepth > 0) {
            c.clusterDepth--;
        }
        return calls >= 0 && c.started == calls;
    }

    /** {@code call} is being made on this thread (null: it returned): see {@link #continueInCallersScope}. */
    public static void calling(Span call) {
        calling(call, null);
    }

    /**
     * {@code call} is being made on this thread for {@code invocation} (both null: it
     * returned). A request future made inside the call that cannot reach the invocation
     * (Triple's) reads it from {@link #invocation()} to tell a synchronous call from an
     * asynchronous one.
     */
    public static void calling(Span call, Object invocation) {
        ThreadCalls calls = CALLS.get();
        calls.clearPairs();   // set on the invocation by now: the array keeps no strings
        calls.calling = call;
        calls.invocation = invocation;
    }

    /** The invocation of the call being made on this thread (see {@link #calling(Span, Object)}), or null. */
    public static Object invocation() {
        return CALLS.get().invocation;
    }

    /**
     * {@code future} is the request future of the asynchronous call this thread is making: the
     * work chained on it runs in that call's scope when Dubbo completes it (a continuation,
     * docs/model.md#rule-4) — the caller's, or, for a call made outside any scope, the call's
     * own new trace (docs/model.md#rule-6).
     */
    public static void continueInCallersScope(Object future) {
        try {
            Span call = CALLS.get().calling;
            if (call != null) {
                Continuations.capture(future, SpanHooks.scope(call));
            }
        } catch (Throwable t) {
            AdviceErrors.record(t);
        }
    }

    /**
     * A call failed in the consumer's cluster before any provider was called ("No provider
     * available"): writes its {@code dubbo.request.error} at once, without {@code x_host},
     * coded by {@code rpcCode}.
     */
    public static void unreached(String service, String method, Throwable thrown, int rpcCode) {
        end(call(service, method, null), thrown, rpcCode);
    }

    /**
     * Starts the {@code dubbo.request} call: {@code x_action} {@code Service.method} (the
     * service's interface name), {@code x_host} the provider's {@code ip:port},
     * {@code x_module} the application method that called.
     */
    public static Span call(String service, String method, String host) {
        String action = DubboActions.of(service, method);
        Span call = SpanHooks.call(DUBBO_REQUEST).action(action);   // pooled record: ended once, never touched after
        CALLS.get().started++;
        try {
            call.module(DubboActions.module(action));
            if (host != null) {
                call.host(host);
            }
        } catch (Throwable t) {
            AdviceErrors.record(t);
        }
        return call;
    }

    /**
     * The service a call is for: the invoker's interface, or {@code serviceName} (the URL's
     * {@code interface}) when there is none or it is {@code GenericService}: a generic
     * reference is named after the interface it calls.
     */
    public static String service(Class<?> invokerInterface, String serviceName) {
        if (invokerInterface == null || invokerInterface.getName().equals(GENERIC_SERVICE)
                && serviceName != null && !serviceName.isEmpty()) {
            return serviceName;
        }
        return invokerInterface.getName();
    }

    /**
     * The method a call is for: the invocation's, or, for a generic call ({@code $invoke},
     * {@code $invokeAsync}), the name of the method it invokes, its first argument.
     */
    public static String method(String methodName, Object[] arguments) {
        if (("$invoke".equals(methodName) || "$invokeAsync".equals(methodName)) && arguments != null
                && arguments.length > 0 && arguments[0] instanceof String) {
            return (String) arguments[0];
        }
        return methodName;
    }

    /**
     * The attachments of {@code call}, as name/value pairs followed by a null: the ids of
     * docs/propagation.md#headers in lower case, the debug token bound to the trace id, and
     * {@code traceparent}. The array is this thread's, reused by its next call:
     * {@link #calling(Span, Object)} clears it once the pairs are set on the invocation.
     */
    public static String[] attachments(Span call) {
        ThreadCalls calls = CALLS.get();
        calls.clearPairs();
        Propagation.inject(calls, SETTER, SpanHooks.scope(call), call.rpcId(), true);
        return calls.pairs;
    }

    /**
     * Ends the call: {@code dubbo.request}, or {@code dubbo.request.error} coded by
     * {@code rpcCode} ({@code RpcException.getCode()}, -1 when {@code thrown} is not one) or,
     * failing that, by {@link #code(Throwable)}.
     */
    public static void end(Span call, Throwable thrown, int rpcCode) {
        if (call == null) {
            return;
        }
        try {
            if (thrown != null) {
                // code 0 (unknown) may wrap a coded cause: code(thrown) looks for it
                call.code(rpcCode > 0 ? rpcCode(rpcCode) : code(thrown)).error(thrown);
            }
            call.close();
        } catch (Throwable t) {
            AdviceErrors.record(t);
        }
    }

    /**
     * What ends an asynchronous call when its result completes (on Dubbo's thread): the value
     * is Dubbo's {@code AppResponse}, whose exception is the provider's business exception.
     */
    public static BiConsumer<Object, Throwable> completion(Span call) {
        return (response, thrown) -> {
            Throwable t = unwrap(thrown);
            if (t == null && response != null) {
                t = (Throwable) invoke(GET_EXCEPTION.get(response.getClass()), response);
            }
            end(call, t, -1);
        };
    }

    /**
     * {@code x_code} of a failed call: the name of an {@code RpcException}'s code
     * ({@code timeout}, {@code no_provider}, {@code network}, …; for code 0, the code of the
     * first coded {@code RpcException} among its causes, as when a synchronous call's wait
     * wraps the Triple client's {@code PERMISSION_DENIED} in a code-less one), {@code timeout}
     * for Dubbo's remoting {@code TimeoutException}, {@code network} for another
     * {@code RemotingException}, else {@value #BIZ}: an exception of the provider's implementation.
     */
    public static String code(Throwable thrown) {
        Throwable t = unwrap(thrown);
        if (t == null) {
            return "error";
        }
        String name = t.getClass().getName();
        if (isRpcException(name)) {
            int code = rpcCodeOf(t);
            Throwable cause = t;
            for (int i = 0; i < 4 && code == 0 && (cause = unwrap(cause.getCause())) != null; i++) {
                if (isRpcException(cause.getClass().getName()) && rpcCodeOf(cause) > 0) {
                    code = rpcCodeOf(cause);
                }
            }
            return code < 0 ? "unknown" : rpcCode(code);
        }
        if (name.equals("org.apache.dubbo.remoting.TimeoutException")) {
            return "timeout";
        }
        if (name.startsWith("org.apache.dubbo.remoting.")) {
            return "network";
        }
        return BIZ;
    }

    /** Dubbo's {@code RpcException} or one of its subclasses in {@code org.apache.dubbo.rpc} ({@code StatusRpcException}). */
    private static boolean isRpcException(String className) {
        return className.startsWith("org.apache.dubbo.rpc.") && className.endsWith("RpcException");
    }

    /** {@code getCode()} of a Dubbo {@code RpcException}, -1 when it cannot be read. */
    private static int rpcCodeOf(Throwable rpcException) {
        Object c = invoke(GET_CODE.get(rpcException.getClass()), rpcException);
        return c instanceof Integer ? (Integer) c : -1;
    }

    /** The name of an {@code RpcException} code. */
    static String rpcCode(int code) {
        return code >= 0 && code < RPC_CODES.length ? RPC_CODES[code] : "rpc_" + code;
    }

    /**
     * A provider begins serving an invocation: enters the scope its attachments carry
     * (a new trace without them); {@code x_action} {@code Service.method}.
     */
    public static Span serve(Map<String, Object> attachments, String service, String method) {
        Span span;
        try {
            Scope scope = Propagation.extract(attachments, ATTACHMENTS.getter(attachments), null);
            span = SpanHooks.enter(scope);
        } catch (Throwable t) {
            AdviceErrors.record(t);
            return null;
        }
        try {   // the scope is current now: whatever happens, the span is returned to be closed
            span.action(DubboActions.of(service, method));
        } catch (Throwable t) {
            AdviceErrors.record(t);
        }
        return span;
    }

    /** The implementation returned (or threw {@code thrown}): writes {@code request.info} (or {@code .error}, coded). */
    public static void served(Span span, Throwable thrown) {
        if (span == null) {
            return;
        }
        try {
            if (thrown != null) {
                span.code(code(thrown)).error(thrown);
            }
            span.close();
        } catch (Throwable t) {
            AdviceErrors.record(t);
        }
    }

    private static Throwable unwrap(Throwable t) {
        for (int i = 0; i < 3 && (t instanceof CompletionException || t instanceof ExecutionException)
                && t.getCause() != null; i++) {
            t = t.getCause();
        }
        return t;
    }

    private static Method method(Class<?> type, String name) {
        try {
            Method m = type.getMethod(name);
            m.setAccessible(true);
            return m;
        } catch (Throwable t) {
            return null;
        }
    }

    private static Object invoke(Method m, Object target) {
        if (m == null) {
            return null;
        }
        try {
            return m.invoke(target);
        } catch (Throwable t) {
            return null;
        }
    }

    /** Per thread: calls started, the call being made (its span and its Dubbo invocation), its attachments. */
    private static final class ThreadCalls {
        long started;
        /** Clusters being invoked on this thread, one inside another ({@link #clusterEnters}). */
        int clusterDepth;
        Span calling;
        Object invocation;
        /** The attachments {@link #attachments} returns: up to 11 name/value pairs, then a null. */
        final String[] pairs = new String[24];
        int pairCount;

        void clearPairs() {
            Arrays.fill(pairs, 0, pairCount, null);
            pairCount = 0;
        }
    }
}
