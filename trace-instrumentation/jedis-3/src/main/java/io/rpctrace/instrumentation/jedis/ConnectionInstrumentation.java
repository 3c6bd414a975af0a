package io.rpctrace.instrumentation.jedis;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.Span;
import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.SuperTypes;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import io.rpctrace.instrumentation.redis.RedisCalls;
import java.util.Iterator;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.args.Rawable;
import redis.clients.jedis.commands.ProtocolCommand;

/**
 * Design note: advice parameters are typed {@code Object} and cast in the body: the agent
 * describes advice from its own class files, where Jedis's types cannot be resolved.
 *
 * <p>{@code redis.clients.jedis.Connection} (and 3.x's {@code BinaryClient}/{@code Client}):
 * {@code connect()} and 4.x+'s {@code initializeFromClientConfig} (AUTH, SELECT, CLIENT
 * SETINFO) make {@code redis.connect}; each sent command starts a {@code redis.request}
 * that its reply, read by {@code readProtocolWithCheckingBroken}, ends.
 */
final class ConnectionInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        // The hierarchy from class-file headers first (SuperTypes); isInterface parses the class,
        // so it is asked only of the few that match (docs/RATIONALE.md, "Start-up").
        return nameStartsWith("redis.clients.jedis.").and(SuperTypes.concreteSubtypeOf("redis.clients.jedis.Connection"));
    }

    @Override
    public void transform(AdviceTarget target) {
        String name = ConnectionInstrumentation.class.getName();
        target.applyAdvice(named("connect").and(takesArguments(0)).or(named("initializeFromClientConfig")),
                        name + "$ConnectAdvice")
                // 3.x, and 4.x+'s varargs form: sendCommand(ProtocolCommand, byte[]...)
                .applyAdvice(named("sendCommand").and(takesArguments(2))
                                .and(takesArgument(0, named("redis.clients.jedis.commands.ProtocolCommand")))
                                .and(takesArgument(1, byte[][].class)),
                        name + "$SendAdvice")
                // 4.x+: every command ends here
                .applyAdvice(named("sendCommand").and(takesArguments(1))
                                .and(takesArgument(0, named("redis.clients.jedis.CommandArguments"))),
                        name + "$SendArgumentsAdvice")
                .applyAdvice(named("readProtocolWithCheckingBroken").and(takesArguments(0)), name + "$ReadAdvice")
                .applyAdvice(named("disconnect").and(takesArguments(0)), name + "$DisconnectAdvice");
    }

    static final class ConnectAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Span enter(@Advice.This Object connection) {
            return RedisCalls.connectStart(((Connection) connection).isConnected());
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Span span, @Advice.This Object connection, @Advice.Thrown Throwable thrown) {
            RedisCalls.connectEnd(span, connection, thrown);
        }
    }

    static final class SendAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            RedisCalls.sendEnter();
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.This Object connection, @Advice.Argument(0) Object command,
                         @Advice.Argument(1) byte[][] args, @Advice.Thrown Throwable thrown) {
            if (RedisCalls.sendExit()) {
                RedisCalls.sent(connection, command, ((ProtocolCommand) command).getRaw(),
                        args != null && args.length > 0 ? args[0] : null, args, thrown);
            }
        }
    }

    static final class SendArgumentsAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            RedisCalls.sendEnter();
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.This Object connection, @Advice.Argument(0) Object arguments,
                         @Advice.Thrown Throwable thrown) {
            if (RedisCalls.sendExit()) {
                CommandArguments args = (CommandArguments) arguments;
                ProtocolCommand command = args.getCommand();
                Iterator<Rawable> it = args.iterator();
                if (it.hasNext()) {
                    it.next();   // the command itself
                }
                byte[] first = it.hasNext() ? it.next().getRaw() : null;
                RedisCalls.sent(connection, command, command.getRaw(), first, args, thrown);
            }
        }
    }

    static final class ReadAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.This Object connection,
                         @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object reply,
                         @Advice.Thrown Throwable thrown) {
            RedisCalls.replied(connection, reply, thrown);
        }
    }

    static final class DisconnectAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.This Object connection) {
            RedisCalls.closed(connection);
        }
    }
}
