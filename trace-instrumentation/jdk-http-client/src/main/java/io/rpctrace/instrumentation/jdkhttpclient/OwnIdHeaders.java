package io.rpctrace.instrumentation.jdkhttpclient;

import io.rpctrace.context.Propagation;
import io.rpctrace.internal.AdviceErrors;
import io.rpctrace.internal.HelperClasses;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The application's own headers of the names rpctrace writes (docs/propagation.md#headers): the
 * JDK client sends an application header in place of a system header of the same name, so a
 * request that carries one (a proxy such as Spring Cloud Gateway Server MVC passes its caller's
 * {@code X-Rpc-Id} on) is copied without them before the client makes its internal copy, and the
 * server receives this call's ids only (rule 2). The application's own request is left as it is.
 *
 * <pre>{@code
 * // CopyAdvice, entering HttpRequestImpl(HttpRequest, ProxySelector):
 * if (OwnIdHeaders.clash(request.headers().map(), h)) {
 *     request = (HttpRequest) OwnIdHeaders.copyWithout(HttpRequest.class, request, h);
 * }
 * }</pre>
 *
 * <p>Design note: this class rides on the boot class path with the module and names no
 * {@code java.net.http} type (that module is the platform loader's, which the boot loader cannot
 * see). The copy must build an {@code HttpRequest}, so it is made by
 * {@code io.rpctrace.jdkhttpclient.RequestWithoutIds}, defined from the agent jar next to
 * {@code java.net.http} ({@link HelperClasses}), once per JVM.
 */
public final class OwnIdHeaders {
    static final String COPIER = "io.rpctrace.jdkhttpclient.RequestWithoutIds";
    /** Hands the request back as it is: the helper could not be loaded. */
    private static final BiFunction<Object, String[], Object> NONE = new BiFunction<Object, String[], Object>() {
        @Override
        public Object apply(Object request, String[] h) {
            return request;
        }
    };
    private static volatile BiFunction<Object, String[], Object> copier;

    private OwnIdHeaders() {
    }

    /**
     * {@code h} (name, value, name, value…) without the {@link Propagation#isInterop interop
     * headers} that the request headers {@code own} (an {@code HttpHeaders} map, whose keys ignore
     * case) already hold: the application's own tracer put them on this request, and they are
     * sent as it put them (docs/propagation.md#interop). {@code h} itself when none is there.
     */
    public static String[] withoutApplications(Map<String, List<String>> own, String[] h) {
        if (own.isEmpty()) {
            return h;
        }
        String[] kept = null;
        int n = 0;
        for (int i = 0; i < h.length; i += 2) {
            boolean applications = Propagation.isInterop(h[i]) && own.containsKey(h[i]);
            if (applications && kept == null) {
                kept = h.clone();   // the pairs before i are kept as they are
                n = i;
            }
            if (!applications && kept != null) {
                kept[n++] = h[i];
                kept[n++] = h[i + 1];
            }
        }
        return kept == null ? h : Arrays.copyOf(kept, n);
    }

    /**
     * Whether the request headers {@code own} (an {@code HttpHeaders} map, whose keys ignore case)
     * hold one of the names of {@code h} (name, value, name, value…).
     */
    public static boolean clash(Map<String, List<String>> own, String[] h) {
        for (int i = 0; i < h.length; i += 2) {
            if (own.containsKey(h[i])) {
                return true;
            }
        }
        return false;
    }

    /**
     * A copy of {@code request} (a {@code java.net.http.HttpRequest}) without the headers named in
     * {@code h}; {@code request} itself when the copy cannot be made (counted in
     * {@link AdviceErrors}: the application's header then wins, as the client has it).
     * {@code requestType} is {@code HttpRequest.class}, which the advice sees and this class does not.
     */
    public static Object copyWithout(Class<?> requestType, Object request, String[] h) {
        BiFunction<Object, String[], Object> c = copier;
        if (c == null) {
            c = copier(requestType);
        }
        return c.apply(request, h);
    }

    @SuppressWarnings("unchecked")
    private static BiFunction<Object, String[], Object> copier(Class<?> requestType) {
        BiFunction<Object, String[], Object> c;
        try {
            c = (BiFunction<Object, String[], Object>) HelperClasses.instance(requestType, COPIER);
        } catch (RuntimeException | LinkageError e) {
            AdviceErrors.record(e);
            c = NONE;      // never asked again: requests carrying those headers are sent as they are
        }
        copier = c;
        return c;
    }
}
