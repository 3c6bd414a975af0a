package io.rpctrace.internal.concurrent;

import java.util.concurrent.ForkJoinWorkerThread;

/** SPEC §1 rule 4 for threads: which started threads take a child scope. */
public final class ThreadScopes {
    private ThreadScopes() {
    }

    /**
     * Called when {@code thread} is started: it takes a child of the current scope, except
     * pool and JDK infrastructure threads, which outlive the request that happened to start
     * them (ForkJoin workers and virtual-thread carriers, {@code jdk.internal.*} and
     * {@code sun.*} threads; ThreadPoolExecutor workers are excluded by its own advice).
     */
    public static void start(Thread thread) {
        if (thread instanceof ForkJoinWorkerThread) {
            return;
        }
        String type = thread.getClass().getName();
        if (type.startsWith("jdk.internal.") || type.startsWith("sun.")) {
            return;
        }
        TaskScopes.submitOnce(thread);
    }
}
