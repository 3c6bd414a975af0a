package io.rpctrace.instrumentation.jdbc;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.Span;
import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.SuperTypes;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import java.sql.SQLException;
import java.sql.Statement;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code Statement} (and its sub-interfaces): every {@code execute*} writes a
 * {@code <db>.request}; {@code addBatch(sql)} names a text batch; {@code close()} drops
 * the statement's state.
 */
final class StatementInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return SuperTypes.concreteSubtypeOf("java.sql.Statement");
    }

    private static ElementMatcher.Junction<MethodDescription> executes() {
        return isPublic().and(not(isAbstract())).and(named("execute").or(named("executeQuery"))
                .or(named("executeUpdate")).or(named("executeLargeUpdate")));
    }

    @Override
    public void transform(AdviceTarget target) {
        String name = StatementInstrumentation.class.getName();
        target.applyAdvice(executes().and(takesArgument(0, String.class).or(takesArguments(0)))
                                .or(isPublic().and(not(isAbstract())).and(takesArguments(0))
                                        .and(named("executeBatch").or(named("executeLargeBatch")))),
                        name + "$ExecuteAdvice")
                .applyAdvice(named("addBatch").and(isPublic()).and(takesArguments(1))
                        .and(takesArgument(0, String.class)), name + "$AddBatchAdvice")
                .applyAdvice(named("close").and(isPublic()).and(takesArguments(0)), name + "$CloseAdvice");
    }

    /**
     * {@code execute(sql)}, {@code executeQuery(sql)}, …, their forms without the SQL text on a
     * prepared or callable statement, and {@code executeBatch()}/{@code executeLargeBatch()}.
     *
     * <p>Design note: one advice for all of them. The SQL text is argument 0 where there is one
     * ({@code optional} binds null for the methods without arguments) and the method's name
     * (a constant Byte Buddy inlines) tells a batch. What must name {@code java.sql} types
     * ({@code getUpdateCount}, {@code SQLException}) stays here, inlined into the driver that
     * sees them; the rest is {@link JdbcCalls}, on the boot class path where java.sql is not
     * visible (JDK 9+).
     */
    static final class ExecuteAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Span enter(@Advice.This Statement statement,
                          @Advice.Argument(value = 0, optional = true) String sql,
                          @Advice.Origin("#m") String method) {
            return JdbcCalls.executeStart(statement, sql, method);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Span span, @Advice.This Statement statement,
                         @Advice.Origin("#m") String method,
                         @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object result,
                         @Advice.Thrown Throwable thrown) {
            long updateCount = -1;
            if (span != null && Boolean.FALSE.equals(result)) {
                try {
                    updateCount = statement.getUpdateCount();
                } catch (Throwable t) {
                    updateCount = -1;
                }
            }
            SQLException e = thrown instanceof SQLException ? (SQLException) thrown : null;
            JdbcCalls.executeEnd(span, statement, result, thrown, method, updateCount,
                    e == null ? null : e.getSQLState(), e == null ? 0 : e.getErrorCode());
        }
    }

    static final class AddBatchAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object statement, @Advice.Argument(0) String sql) {
            JdbcCalls.addBatch(statement, sql);
        }
    }

    static final class CloseAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.This Object statement) {
            JdbcCalls.closed(statement);
        }
    }
}
