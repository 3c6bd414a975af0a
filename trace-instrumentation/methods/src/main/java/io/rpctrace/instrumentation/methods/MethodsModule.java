package io.rpctrace.instrumentation.methods;

import io.rpctrace.config.Config;
import io.rpctrace.config.ConfigKeys;
import io.rpctrace.instrumentation.api.InstrumentationModule;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import io.rpctrace.internal.Tracing;
import java.util.Collections;
import java.util.List;

/**
 * Application methods named by the {@code methods} key or annotated {@code @io.rpctrace.Traced}:
 * each call is a local span writing a {@code method} record and feeding a {@code metric.timer}
 * series (docs/instrumentation/methods.md). No landmark: the application's own classes are
 * the target.
 */
public final class MethodsModule extends InstrumentationModule {
    /** The module {@code methods} ({@code instrumentation.methods.enabled}). */
    public MethodsModule() {
        super("methods");
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        Config config = Tracing.get().config();
        String value = config.get(ConfigKeys.METHODS, null);
        MethodPatterns patterns = MethodPatterns.parse(value);
        if (!patterns.errors().isEmpty()) {
            // one line for the key, whatever the number of bad patterns
            config.report(ConfigKeys.METHODS, value, "has patterns that cannot be used: "
                    + String.join(", ", patterns.errors()), patterns.isEmpty() ? "none"
                    : "the other " + patterns.patterns().size());
        }
        MethodSettings.install(patterns, config.getBoolean(ConfigKeys.METHODS_RECORDS, true));
        return Collections.<TypeInstrumentation>singletonList(new TracedMethodsInstrumentation(patterns));
    }
}
