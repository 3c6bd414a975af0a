package io.rpctrace.instrumentation.jdbc;

import static net.bytebuddy.matcher.ElementMatchers.named;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * HikariCP's validation: the liveness check on borrow ({@code PoolBase.isConnectionAlive},
 * 2.x–4.x; {@code isConnectionDead} since 5.0) and the checks of a new connection
 * ({@code checkDriverSupport}, {@code checkValidationSupport}). Its {@code connectionTestQuery}
 * is pool housekeeping, not the application's work, so it is not recorded
 * (docs/instrumentation/jdbc.md); {@code connectionInitSql} is.
 */
final class HikariPoolInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("com.zaxxer.hikari.pool.PoolBase");
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(named("isConnectionAlive").or(named("isConnectionDead"))
                .or(named("checkDriverSupport")).or(named("checkValidationSupport")), SilentAdvice.class.getName());
    }
}
