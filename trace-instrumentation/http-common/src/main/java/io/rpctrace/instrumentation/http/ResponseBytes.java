package io.rpctrace.instrumentation.http;

import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/**
 * The body bytes a servlet response has had written so far, read from the container's own
 * counter, for the {@code x_response_len} of a response without {@code Content-Length}
 * (chunked, or buffered and not yet committed): no stream is wrapped, nothing is copied.
 *
 * <p>Design note: the servlet API has no such counter, every container keeps one. The getter
 * chain is found once per response class ({@link ClassValue}) and called reflectively; a
 * container not listed here gives -1 (the field stays absent).
 */
public final class ResponseBytes {
    private static final String[][] CHAINS = {
        {"getContentWritten"},                                // Tomcat 7-11 ResponseFacade
        {"getHttpOutput", "getWritten"},                      // Jetty 9.4-11 Response
        {"getServletChannel", "getHttpOutput", "getWritten"}, // Jetty 12 ee10 ServletApiResponse
        // Undertow 2 HttpServletResponseImpl: what the application wrote (buffered included);
        // the exchange's getResponseBytesSent would miss what is still in the buffer
        {".servletOutputStream", ".written"},
    };
    /**
     * The body bytes a completed response sent, where the container writes its own error pages
     * past the counters above: Jetty 9.4-11's channel (what its request log reads).
     */
    private static final String[] SENT = {"getHttpChannel", "getBytesWritten"};
    private static final Member[] NONE = new Member[0];
    private static final ClassValue<Member[]> SENT_BY_CLASS = new ClassValue<Member[]>() {
        @Override
        protected Member[] computeValue(Class<?> type) {
            Member[] found = resolve(type, SENT);
            return found != null ? found : NONE;
        }
    };
    private static final ClassValue<Member[]> BY_CLASS = new ClassValue<Member[]>() {
        @Override
        protected Member[] computeValue(Class<?> type) {
            for (String[] chain : CHAINS) {
                Member[] found = resolve(type, chain);
                if (found != null) {
                    return found;
                }
            }
            return NONE;
        }
    };

    private ResponseBytes() {
    }

    /** The bytes written to {@code response}'s body so far, or -1 when the container does not say. */
    public static long written(Object response) {
        return response == null ? -1 : read(response, BY_CLASS.get(response.getClass()));
    }

    /**
     * The length of a response the container has completed: its {@code Content-Length} when
     * set, else the larger of the bytes written and the bytes the container sent (its error
     * page included), or -1 when the container does not say.
     */
    public static long completed(Object response, String contentLength) {
        long n = HttpServerCalls.contentLength(contentLength);
        if (n >= 0 || response == null) {
            return n;
        }
        return Math.max(written(response), read(response, SENT_BY_CLASS.get(response.getClass())));
    }

    private static long read(Object response, Member[] chain) {
        if (chain.length == 0) {
            return -1;
        }
        try {
            Object o = response;
            for (Member m : chain) {
                o = m instanceof Method ? ((Method) m).invoke(o) : ((Field) m).get(o);
                if (o == null) {
                    return -1;
                }
            }
            return o instanceof Number ? ((Number) o).longValue() : -1;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return -1;
        }
    }

    /** The response's length: {@code Content-Length} when set, else the bytes written so far. */
    public static long of(Object response, String contentLength) {
        long n = HttpServerCalls.contentLength(contentLength);
        return n >= 0 ? n : written(response);
    }

    /** A chain of public getters, or of fields (names starting with {@code .}) of the exact classes. */
    private static Member[] resolve(Class<?> type, String[] names) {
        Member[] out = new Member[names.length];
        Class<?> t = type;
        for (int i = 0; i < names.length; i++) {
            try {
                if (names[i].charAt(0) == '.') {
                    Field f = t.getDeclaredField(names[i].substring(1));
                    f.setAccessible(true);
                    out[i] = f;
                    t = f.getType();
                } else {
                    Method m = t.getMethod(names[i]);
                    if (!Modifier.isPublic(m.getDeclaringClass().getModifiers())) {
                        return null;
                    }
                    out[i] = m;
                    t = m.getReturnType();
                }
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return null; // absent, or not accessible (a named module): not this container
            }
        }
        return t == long.class || t == int.class ? out : null;
    }
}
