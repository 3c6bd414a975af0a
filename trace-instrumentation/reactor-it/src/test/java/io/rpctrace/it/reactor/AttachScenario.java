package io.rpctrace.it.reactor;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import java.time.Duration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * Child-JVM main: Reactor in use before the agent is attached to the running JVM, as an operator
 * attaches it to a service already serving; then a served request whose chain hops to another
 * thread. Prints the ids of the calls made after the hop.
 */
public final class AttachScenario {
    private AttachScenario() {
    }

    public static void main(String[] args) throws Exception {
        // Hooks is initialized now, before the agent: its initializer's advice cannot run later
        System.out.println("before=" + Flux.range(1, 3).map(i -> i * 2).publishOn(Schedulers.parallel())
                .collectList().block(Duration.ofSeconds(5)));
        Class<?> vmClass = Class.forName("com.sun.tools.attach.VirtualMachine");
        Object vm = vmClass.getMethod("attach", String.class).invoke(null, String.valueOf(ProcessHandle.current().pid()));
        try {
            vmClass.getMethod("loadAgent", String.class, String.class).invoke(vm, args[0], args[1]);
        } finally {
            vmClass.getMethod("detach").invoke(vm);
        }
        Traced.run();
    }

    /** Loaded after the attach: trace-core comes from the boot class path the agent appended. */
    static final class Traced {
        static void run() throws InterruptedException {
            // a value emitted by a thread outside any request (started before it) once the request's
            // chain has subscribed: the operators after the boundary run on that thread, in the scope
            // of the request that subscribed
            Sinks.One<Integer> sink = Sinks.one();
            Thread emitter = new Thread(() -> {
                while (sink.currentSubscriberCount() == 0) {
                    Thread.onSpinWait();
                }
                sink.tryEmitValue(1);
            }, "emitter");
            emitter.start();
            try (Span request = Trace.enter(null, null)) {
                // the operator on the sink is the boundary: the one after it runs with the request's scope
                System.out.println("hop=" + sink.asMono().map(i -> i + 1)
                        .map(i -> call() + " on " + Thread.currentThread().getName())
                        .block(Duration.ofSeconds(5)));
            }
            emitter.join();
        }

        private static String call() {
            try (Span s = Trace.call("op.publishOn")) {
                return s.rpcId();
            }
        }
    }
}
