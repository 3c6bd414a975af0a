package io.rpctrace.it.safety;

import static net.bytebuddy.matcher.ElementMatchers.named;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.InstrumentationModule;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import java.util.List;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** A test-only module that cannot be applied: its advice class does not exist. */
public final class BrokenModule extends InstrumentationModule {
    public BrokenModule() {
        super("broken-test");
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
                target.applyAdvice(named("compute"), "io.rpctrace.it.safety.NoSuchAdvice");
            }
        });
    }
}
