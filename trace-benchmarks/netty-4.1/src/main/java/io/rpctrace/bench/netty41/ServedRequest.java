package io.rpctrace.bench.netty41;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The served request the calls and sends run in, entered by the manual API in the forks with and
 * without the agent alike; per iteration, not per trial: the agent's executor instrumentation
 * clears a JMH worker thread's scope between its tasks. (benchmarks.jar has the same state; its
 * class path cannot be this module's.)
 */
@State(org.openjdk.jmh.annotations.Scope.Thread)
public class ServedRequest {
    Span request;

    @Setup(Level.Iteration)
    public void enter() {
        request = Trace.enter(null, null);
    }

    @TearDown(Level.Iteration)
    public void exit() {
        request.close();
    }
}
