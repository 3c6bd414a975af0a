package io.rpctrace.instrumentation.jdbc;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.Span;
import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.SuperTypes;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Properties;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** {@code Driver.connect(url, properties)}: every physical connection, pooled or not. */
final class DriverInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return SuperTypes.concreteSubtypeOf("java.sql.Driver");
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(named("connect").and(not(isAbstract())).and(takesArguments(2))
                        .and(takesArgument(0, String.class)).and(takesArgument(1, Properties.class)),
                DriverInstrumentation.class.getName() + "$ConnectAdvice");
    }

    static final class ConnectAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Span enter(@Advice.This Driver driver, @Advice.Argument(0) String url) {
            if (!JdbcCalls.connectEnter()) {
                return null;
            }
            boolean accepts;
            try {
                // DriverManager asks every driver: only the one that takes the URL writes a record
                accepts = url != null && driver.acceptsURL(url);
            } catch (Throwable t) {
                accepts = false;
            }
            return accepts ? JdbcCalls.connectStart(url) : null;
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Span span, @Advice.Argument(0) String url,
                         @Advice.Argument(1) Properties properties,
                         @Advice.Return Connection connection, @Advice.Thrown Throwable thrown) {
            SQLException e = thrown instanceof SQLException ? (SQLException) thrown : null;
            JdbcCalls.connectEnd(span, url, properties, connection, thrown, e == null ? null : e.getSQLState(),
                    e == null ? 0 : e.getErrorCode());
        }
    }
}
