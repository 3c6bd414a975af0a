package io.rpctrace.agent;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.InstrumentationModule;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import java.security.ProtectionDomain;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.JavaModule;

/**
 * Applies one {@link TypeInstrumentation}'s advice. Advice classes are described from the
 * module's class files (never loaded by the agent) and inlined; a throwable escaping an
 * advice method is handed to {@code AdviceErrors.record}, which counts it. An advice that
 * cannot be applied is reported once for its module and skipped.
 */
final class ModuleTransformer implements AgentBuilder.Transformer {
    private final InstrumentationModule module;
    private final TypeInstrumentation type;
    private final Advice.ExceptionHandler exceptionHandler;
    private final AgentListener listener;
    private final ClassFileLocator locator;

    ModuleTransformer(InstrumentationModule module, TypeInstrumentation type, Advice.ExceptionHandler exceptionHandler,
                      AgentListener listener, ClassFileLocator coreLocator) {
        this.module = module;
        this.type = type;
        this.exceptionHandler = exceptionHandler;
        this.listener = listener;
        this.locator = new ClassFileLocator.Compound(
                ClassFileLocator.ForClassLoader.of(module.getClass().getClassLoader()), coreLocator);
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription typeDescription,
                                            ClassLoader classLoader, JavaModule javaModule,
                                            ProtectionDomain protectionDomain) {
        listener.matched(typeDescription.getName(), module.name());
        // Advice signatures name library types (@Advice.Argument javax.servlet.ServletRequest):
        // describe the advice with the instrumented class's loader in view, or those types cannot
        // be resolved. Transformations are rare (matched types only).
        ClassFileLocator withLibrary = classLoader == null ? locator
                : new ClassFileLocator.Compound(locator, ClassFileLocator.ForClassLoader.of(classLoader));
        Target target = new Target(builder, typeDescription, withLibrary);
        type.transform(target);
        return target.builder;
    }

    private final class Target implements AdviceTarget {
        private DynamicType.Builder<?> builder;
        private final TypeDescription instrumented;
        private final ClassFileLocator adviceLocator;
        private final TypePool pool;

        Target(DynamicType.Builder<?> builder, TypeDescription instrumented, ClassFileLocator adviceLocator) {
            this.builder = builder;
            this.instrumented = instrumented;
            this.adviceLocator = adviceLocator;
            this.pool = TypePool.Default.of(adviceLocator);
        }

        @Override
        public AdviceTarget applyAdvice(ElementMatcher<? super MethodDescription> methods, String adviceClassName) {
            try {
                TypeDescription advice = pool.describe(adviceClassName).resolve();
                builder = builder.visit(Advice.to(advice, adviceLocator).withExceptionHandler(exceptionHandler).on(methods));
            } catch (Throwable t) {
                listener.failed(module.name(), instrumented.getName(), t);
            }
            return this;
        }
    }
}
