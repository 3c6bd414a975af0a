package io.rpctrace.instrumentation.spymemcached;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import io.rpctrace.instrumentation.memcache.MemcacheCalls;
import java.util.Collection;
import java.util.Map;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import net.spy.memcached.MemcachedNode;
import net.spy.memcached.ops.Operation;

/**
 * Design note: advice parameters are typed {@code Object} and cast in the body: the agent
 * describes advice from its own class files, where spymemcached's types cannot be resolved.
 *
 * <p>{@code net.spy.memcached.MemcachedConnection}: {@code createConnections} starts a
 * {@code memcache.connect} per server (the connect itself is non-blocking), which
 * {@code connected} or {@code queueReconnect} ends on the I/O thread; {@code enqueueOperation}
 * (every single-key operation) and {@code addOperations} (a bulk get, one operation per server)
 * start the {@code memcache.request} on the caller's thread, which knows the server once the
 * operation is placed on a node.
 */
final class ConnectionInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("net.spy.memcached.MemcachedConnection");
    }

    @Override
    public void transform(AdviceTarget target) {
        String name = ConnectionInstrumentation.class.getName();
        target.applyAdvice(named("createConnections").and(takesArguments(1)), name + "$CreateConnectionsAdvice")
                .applyAdvice(named("connected").and(takesArguments(1)), name + "$ConnectedAdvice")
                .applyAdvice(named("queueReconnect").and(takesArguments(1)), name + "$ReconnectAdvice")
                .applyAdvice(named("enqueueOperation").and(takesArguments(2)).and(takesArgument(0, String.class)),
                        name + "$EnqueueAdvice")
                .applyAdvice(named("addOperations").and(takesArguments(1)).and(takesArgument(0, Map.class)),
                        name + "$AddOperationsAdvice");
    }

    static final class CreateConnectionsAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) Collection<?> addresses) {
            for (Object a : addresses) {
                MemcacheCalls.connectStart(a, a);
            }
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Argument(0) Collection<?> addresses, @Advice.Thrown Throwable thrown) {
            if (thrown != null) {
                for (Object a : addresses) {
                    MemcacheCalls.connectFailed(a, thrown, null);
                }
            }
        }
    }

    static final class ConnectedAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) Object node) {
            MemcacheCalls.connected(((MemcachedNode) node).getSocketAddress());
        }
    }

    static final class ReconnectAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) Object node) {
            // ends a first connect that failed; later reconnects are not recorded (no caller waits for them)
            MemcacheCalls.connectFailed(((MemcachedNode) node).getSocketAddress(), null, "connection refused or lost");
        }
    }

    static final class EnqueueAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) String key, @Advice.Argument(1) Object op) {
            SpyOperations.start(op, ((Operation) op).getCallback(), key);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Argument(1) Object op, @Advice.Thrown Throwable thrown) {
            Operation o = (Operation) op;
            MemcachedNode node = o.getHandlingNode();
            MemcacheCalls.sent(o.getCallback(), node == null ? null : node.getSocketAddress(), thrown);
        }
    }

    static final class AddOperationsAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) Map<?, ?> ops) {
            SpyOperations.startBulk(ops);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Argument(0) Map<?, ?> ops, @Advice.Thrown Throwable thrown) {
            if (!ops.isEmpty()) {
                Map.Entry<?, ?> first = ops.entrySet().iterator().next();
                MemcacheCalls.sent(((Operation) first.getValue()).getCallback(),
                        ((MemcachedNode) first.getKey()).getSocketAddress(), thrown);
            }
        }
    }
}
