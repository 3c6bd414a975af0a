package io.rpctrace.instrumentation.jdbc;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.Span;
import io.rpctrace.instrumentation.api.AdviceTarget;
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
        return Implementing.jdbc("java.sql.Statement");
    }

    private static ElementMatcher.Junction<MethodDescription> executes() {
        return isPublic().and(not(isAbstract())).and(named("execute").or(named("executeQuery"))
                .or(named("executeUpdate")).or(named("executeLargeUpdate")));
    }

    @Override
    public void transform(AdviceTarget target) {
        String name = StatementInstrumentation.class.getName();
        target.applyAdvice(executes().and(takesArgument(0, String.class)), name + "$TextAdvice")
                .applyAdvice(executes().and(takesArguments(0)), name + "$PreparedAdvice")
                .applyAdvice(isPublic().and(not(isAbstract())).and(takesArguments(0))
                                .and(named("executeBatch").or(named("executeLargeBatch"))),
                        name + "$BatchAdvice")
                .applyAdvice(named("addBatch").and(isPublic()).and(takesArguments(1))
                        .and(takesArgument(0, String.class)), name + "$AddBatchAdvice")
                .applyAdvice(named("close").and(isPublic()).and(takesArguments(0)), name + "$CloseAdvice");
    }

    /** {@code execute(sql)}, {@code executeQuery(sql)}, … */
    static final class TextAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Span enter(@Advice.This Statement statement, @Advice.Argument(0) String sql) {
            return JdbcCalls.executeStart(statement, sql, false);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Span span, @Advice.This Statement statement,
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
            JdbcCalls.executeEnd(span, statement, result, thrown, false, updateCount,
                    e == null ? null : e.getSQLState(), e == null ? 0 : e.getErrorCode());
        }
    }

    /** {@code execute()}, {@code executeQuery()}, … of a prepared or callable statement. */
    static final class PreparedAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Span enter(@Advice.This Statement statement) {
            return JdbcCalls.executeStart(statement, null, false);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Span span, @Advice.This Statement statement,
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
            JdbcCalls.executeEnd(span, statement, result, thrown, false, updateCount,
                    e == null ? null : e.getSQLState(), e == null ? 0 : e.getErrorCode());
        }
    }

    /** {@code executeBatch()}, {@code executeLargeBatch()}: {@code x_response_len} is the batch size. */
    static final class BatchAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Span enter(@Advice.This Statement statement) {
            return JdbcCalls.executeStart(statement, null, true);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Span span, @Advice.This Statement statement,
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
            JdbcCalls.executeEnd(span, statement, result, thrown, true, updateCount,
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
