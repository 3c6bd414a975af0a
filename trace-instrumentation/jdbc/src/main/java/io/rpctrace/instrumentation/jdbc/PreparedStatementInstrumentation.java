package io.rpctrace.instrumentation.jdbc;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.SuperTypes;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code PreparedStatement.setXxx(index, value, …)} and {@code CallableStatement.setXxx(name,
 * value, …)}: the bound values, kept only with {@code capture.param} (otherwise the advice is
 * one flag test).
 */
final class PreparedStatementInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return SuperTypes.concreteSubtypeOf("java.sql.PreparedStatement");
    }

    @Override
    public void transform(AdviceTarget target) {
        String name = PreparedStatementInstrumentation.class.getName();
        target.applyAdvice(nameStartsWith("set").and(not(named("setNull"))).and(isPublic()).and(not(isAbstract()))
                                .and(takesArguments(2).or(takesArguments(3))).and(takesArgument(0, int.class)),
                        name + "$SetAdvice")
                .applyAdvice(named("setNull").and(isPublic()).and(not(isAbstract())).and(takesArgument(0, int.class)),
                        name + "$SetNullAdvice")
                .applyAdvice(nameStartsWith("set").and(isPublic()).and(not(isAbstract()))
                                .and(not(named("setNull"))).and(takesArguments(2).or(takesArguments(3)))
                                .and(takesArgument(0, String.class)),
                        name + "$SetNamedAdvice")
                .applyAdvice(named("clearParameters").and(isPublic()).and(takesArguments(0)), name + "$ClearAdvice");
    }

    static final class SetAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object statement, @Advice.Argument(0) int index,
                          @Advice.Argument(value = 1, typing = Assigner.Typing.DYNAMIC) Object value) {
            if (JdbcCalls.capturingParams()) {
                JdbcCalls.bind(statement, index, value);
            }
        }
    }

    static final class SetNullAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object statement, @Advice.Argument(0) int index) {
            if (JdbcCalls.capturingParams()) {
                JdbcCalls.bind(statement, index, null);
            }
        }
    }

    static final class SetNamedAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object statement, @Advice.Argument(0) String parameterName,
                          @Advice.Argument(value = 1, typing = Assigner.Typing.DYNAMIC) Object value) {
            if (JdbcCalls.capturingParams()) {
                JdbcCalls.bind(statement, parameterName, value);
            }
        }
    }

    static final class ClearAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object statement) {
            if (JdbcCalls.capturingParams()) {
                JdbcCalls.clearParams(statement);
            }
        }
    }
}
