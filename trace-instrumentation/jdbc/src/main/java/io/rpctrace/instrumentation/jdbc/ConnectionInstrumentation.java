package io.rpctrace.instrumentation.jdbc;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.SuperTypes;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import java.sql.Connection;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code Connection}: statement creation (remembers each statement's database and SQL) and
 * {@code isValid} (a pool's validation: nothing inside it is recorded).
 */
final class ConnectionInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return SuperTypes.concreteSubtypeOf("java.sql.Connection");
    }

    @Override
    public void transform(AdviceTarget target) {
        String name = ConnectionInstrumentation.class.getName();
        target.applyAdvice(named("prepareStatement").or(named("prepareCall")).and(isPublic()).and(not(isAbstract()))
                                .and(takesArgument(0, String.class)),
                        name + "$PrepareAdvice")
                .applyAdvice(named("createStatement").and(isPublic()).and(not(isAbstract())),
                        name + "$CreateAdvice")
                .applyAdvice(named("isValid").and(isPublic()).and(not(isAbstract())),
                        SilentAdvice.class.getName());
    }

    static final class PrepareAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            JdbcCalls.createStart();
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.This Connection connection, @Advice.Argument(0) String sql,
                         @Advice.Return Object statement) {
            JdbcCalls.createEnd(connection, statement, sql, true);
        }
    }

    static final class CreateAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            JdbcCalls.createStart();
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.This Connection connection, @Advice.Return Object statement) {
            JdbcCalls.createEnd(connection, statement, null, false);
        }
    }
}
