package io.rpctrace.it.safety;

import static net.bytebuddy.matcher.ElementMatchers.named;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.InstrumentationModule;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * A test-only module whose advice always throws: {@code agent.extensions=<test-classes>} and
 * {@code instrumentation.failing-test.enabled=true} turn it on in a child JVM. Compiled
 * against plain {@code net.bytebuddy}, as any extension is.
 */
public final class FailingAdviceModule extends InstrumentationModule {
    public FailingAdviceModule() {
        super("failing-test");
    }

    @Override
    public boolean enabledByDefault() {
        return false;
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return List.of(new TypeInstrumentation() {
            @Override
            public ElementMatcher<TypeDescription> typeMatcher() {
                return named("io.rpctrace.it.safety.Victim");
            }

            @Override
            public void transform(AdviceTarget target) {
                target.applyAdvice(named("compute").or(named("fail")), ThrowingAdvice.class.getName());
            }
        });
    }

    /** Throws on the way in and on the way out. */
    public static final class ThrowingAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            throw new IllegalStateException("advice failed on enter");
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit() {
            throw new IllegalStateException("advice failed on exit");
        }
    }
}
