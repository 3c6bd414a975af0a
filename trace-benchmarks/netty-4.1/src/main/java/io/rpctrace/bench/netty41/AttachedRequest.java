package io.rpctrace.bench.netty41;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@link ServedRequest} for the forks that attach the agent halfway ({@link AgentAttach}): no
 * request before the attach (nothing of trace-core is loaded then), a served request entered by
 * the manual API, reflectively, in each iteration after it.
 */
@State(org.openjdk.jmh.annotations.Scope.Thread)
public class AttachedRequest {
    private static MethodHandle enter;
    private static MethodHandle close;
    private Object request;

    @Setup(Level.Iteration)
    public void enter(AgentAttach attach) throws Throwable {
        if (!attach.attached) {
            return;
        }
        if (enter == null) {
            Class<?> span = Class.forName("io.rpctrace.Span");
            close = MethodHandles.publicLookup().findVirtual(span, "close", MethodType.methodType(void.class));
            enter = MethodHandles.publicLookup().findStatic(Class.forName("io.rpctrace.Trace"), "enter",
                    MethodType.methodType(span, String.class, String.class));
        }
        request = enter.invoke((String) null, (String) null);
    }

    @TearDown(Level.Iteration)
    public void exit() throws Throwable {
        if (request != null) {
            close.invoke(request);
            request = null;
        }
    }
}
