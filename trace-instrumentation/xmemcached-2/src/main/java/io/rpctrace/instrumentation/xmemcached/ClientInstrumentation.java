package io.rpctrace.instrumentation.xmemcached;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import com.google.code.yanf4j.core.Session;
import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import io.rpctrace.instrumentation.memcache.MemcacheCalls;
import java.net.InetSocketAddress;
import java.util.Queue;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;
import net.rubyeye.xmemcached.XMemcachedClient;
import net.rubyeye.xmemcached.command.Command;
import net.rubyeye.xmemcached.utils.InetSocketAddressWrapper;

/**
 * Design note: advice parameters are typed {@code Object} and cast in the body: the agent
 * describes advice from its own class files, where xmemcached's types cannot be resolved.
 *
 * <p>{@code net.rubyeye.xmemcached.XMemcachedClient}: {@code connect(InetSocketAddressWrapper)}
 * is one {@code memcache.connect} (it waits for the connection, and logs rather than throws
 * when it fails: the sessions the connector holds afterwards say whether it worked);
 * {@code sendCommand} starts each {@code memcache.request} and returns the session, whose peer
 * is {@code x_host}; {@code latchWait} throwing a {@code TimeoutException} ends it as a timeout.
 */
final class ClientInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("net.rubyeye.xmemcached.XMemcachedClient");
    }

    @Override
    public void transform(AdviceTarget target) {
        String name = ClientInstrumentation.class.getName();
        target.applyAdvice(named("connect").and(takesArguments(1)), name + "$ConnectAdvice")
                .applyAdvice(named("sendCommand").and(takesArguments(1)), name + "$SendAdvice")
                .applyAdvice(named("latchWait").and(takesArguments(3)), name + "$LatchWaitAdvice");
    }

    static final class ConnectAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) Object wrapper) {
            MemcacheCalls.connectStart(wrapper, ((InetSocketAddressWrapper) wrapper).getInetSocketAddress());
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.This Object client, @Advice.Argument(0) Object wrapper,
                         @Advice.Thrown Throwable thrown) {
            InetSocketAddress address = ((InetSocketAddressWrapper) wrapper).getInetSocketAddress();
            Queue<Session> sessions = ((XMemcachedClient) client).getConnector().getSessionByAddress(address);
            if (thrown == null && sessions != null && !sessions.isEmpty()) {
                MemcacheCalls.connected(wrapper);
            } else {
                MemcacheCalls.connectFailed(wrapper, thrown, "could not connect");
            }
        }
    }

    static final class SendAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) Object command) {
            Command c = (Command) command;
            XCommands.start(c, c.getCommandType(), c.getKey(), c.getKeyBytes());
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Argument(0) Object command,
                         @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object session,
                         @Advice.Thrown Throwable thrown) {
            MemcacheCalls.sent(command, session == null ? null : ((Session) session).getRemoteSocketAddress(), thrown);
            if (thrown == null && ((Command) command).isNoreply()) {
                MemcacheCalls.complete(command);   // no reply will come
            }
        }
    }

    static final class LatchWaitAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Argument(0) Object command, @Advice.Thrown Throwable thrown) {
            if (thrown != null) {
                MemcacheCalls.fail(command, thrown);
            }
        }
    }
}
