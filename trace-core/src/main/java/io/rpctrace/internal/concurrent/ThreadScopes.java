package io.rpctrace.internal.concurrent;

import io.rpctrace.context.CurrentScope;
import java.util.concurrent.ForkJoinWorkerThread;

/** docs/model.md#rule-4 for threads: which started threads take a child scope. */
public final class ThreadScopes {
    /**
     * Libraries whose threads (event loops, I/O threads, pool housekeepers) outlive the request
     * that happened to start them: a thread started from their code takes no scope, or it
     * would carry one request's ids for its whole life.
     */
    private static final String[] LIBRARY_PACKAGES = {
        "io.netty.", "io.grpc.", "org.apache.kafka.", "com.zaxxer.hikari.", "io.lettuce.", "redis.clients.",
        "reactor.", "okhttp3.", "okio.", "org.apache.catalina.", "org.apache.tomcat.", "org.apache.coyote.",
        "org.eclipse.jetty.", "io.undertow.", "org.xnio.", "com.mysql.", "org.mariadb.", "org.postgresql.",
        "org.h2.", "org.apache.http.", "org.apache.hc.", "ch.qos.logback.", "org.apache.logging.",
        "com.sun.net.httpserver.", "sun.net.", "jdk.internal.net.", "java.net.http.",
        "io.rpctrace.internal.",
        "net.spy.memcached.", "net.rubyeye.xmemcached.", "com.google.code.yanf4j.", "org.redisson.",
        "io.rpctrace.writer.", "io.rpctrace.metrics.",
    };

    /** The same packages relocated inside another library: {@code ….shaded.io.netty.}. */
    private static final String[] SHADED_FORMS = new String[LIBRARY_PACKAGES.length];

    static {
        for (int i = 0; i < LIBRARY_PACKAGES.length; i++) {
            SHADED_FORMS[i] = "." + LIBRARY_PACKAGES[i];
        }
    }

    private ThreadScopes() {
    }

    /**
     * Called when {@code thread} is started: it takes a child of the current scope, except
     * pool and infrastructure threads, which outlive the request that happened to start them:
     * ForkJoin workers and virtual-thread carriers, {@code jdk.internal.*} and {@code sun.*}
     * threads, threads started from a known library's code (Netty event loops, Kafka's I/O
     * thread, Hikari's housekeeper, …); ThreadPoolExecutor workers are excluded by its own advice.
     */
    public static void start(Thread thread) {
        if (thread instanceof ForkJoinWorkerThread || CurrentScope.get() == null) {
            return;
        }
        String type = thread.getClass().getName();
        if (type.startsWith("jdk.internal.") || type.startsWith("sun.") || isLibrary(type)) {
            return;
        }
        // Design note: one stack capture per Thread.start() inside a scope; starting a thread
        // costs tens of microseconds already, and this is the only way to tell an application's
        // own `new Thread(task).start()` from a library's lazily started event loop.
        if (startedByLibrary(new Throwable().getStackTrace())) {
            return;
        }
        TaskScopes.submitOnce(thread);
    }

    /**
     * True when the code that called {@code Thread.start} (the first frame outside Thread)
     * belongs to a known library. Only the direct caller counts: every request of a servlet
     * container has the container's frames further down.
     */
    static boolean startedByLibrary(StackTraceElement[] stack) {
        for (StackTraceElement e : stack) {
            String c = e.getClassName();
            if (c.startsWith("java.lang.Thread") || c.startsWith("java.lang.VirtualThread")
                    || c.startsWith("io.rpctrace.internal.concurrent.ThreadScopes")) {
                continue;
            }
            return isLibrary(c);
        }
        return false;
    }

    static boolean isLibrary(String className) {
        boolean shaded = className.contains(".shaded.");
        for (int i = 0; i < LIBRARY_PACKAGES.length; i++) {
            if (className.startsWith(LIBRARY_PACKAGES[i]) || (shaded && className.contains(SHADED_FORMS[i]))) {
                return true;
            }
        }
        return false;
    }
}
