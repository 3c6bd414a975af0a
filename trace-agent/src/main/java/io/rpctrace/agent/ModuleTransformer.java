package io.rpctrace.agent;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.InstrumentationModule;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
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
 *
 * <p>Each advice class is described and read once per class loader of the classes it goes
 * into, not once per class: a type instrumentation often matches several classes of one loader
 * (JDBC drivers and their pools' proxies, servlet filters), and building an {@code Advice} is
 * the cold, interpreted part of a rewrite (docs/RATIONALE.md, "Start-up: Byte Buddy's fixed cost").
 */
final class ModuleTransformer implements AgentBuilder.Transformer {
    private final InstrumentationModule module;
    private final TypeInstrumentation type;
    private final Advice.ExceptionHandler exceptionHandler;
    private final AgentListener listener;
    private final ClassFileLocator locator;
    /** Advice by class name, per loader of the instrumented classes (weakly: loaders come and go). */
    private final Map<ClassLoader, AdviceCache> byLoader = new WeakHashMap<>();
    private AdviceCache bootstrap;

    ModuleTransformer(InstrumentationModule module, TypeInstrumentation type, Advice.ExceptionHandler exceptionHandler,
                      AgentListener listener, ClassFileLocator agentLocator) {
        this.module = module;
        this.type = type;
        this.exceptionHandler = exceptionHandler;
        this.listener = listener;
        // The agent jar is on the boot class path, whose run-time additions no class loader
        // exposes as resources: a bundled module's advice, trace-core's types, and the
        // (relocated) Byte Buddy annotations that any module's advice carries, are read from
        // the jar itself.
        ClassLoader loader = module.getClass().getClassLoader();
        this.locator = loader == null
                ? new ClassFileLocator.Compound(agentLocator, ClassFileLocator.ForClassLoader.ofBootLoader())
                : new ClassFileLocator.Compound(ClassFileLocator.ForClassLoader.of(loader), agentLocator,
                        ClassFileLocator.ForClassLoader.ofBootLoader());
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription typeDescription,
                                            ClassLoader classLoader, JavaModule javaModule,
                                            ProtectionDomain protectionDomain) {
        listener.matched(typeDescription.getName(), module.name());
        Target target = new Target(builder, typeDescription, classLoader);
        type.transform(target);
        return target.builder;
    }

    /** {@link TypeInstrumentation#alreadyLoaded} for a class loaded before the agent, once it is retransformed. */
    void alreadyLoaded(Class<?> loaded) {
        try {
            type.alreadyLoaded(loaded);
        } catch (Throwable t) {
            listener.failed(module.name(), loaded.getName(), t);
        }
    }

    /** The advice class as applied to classes of {@code classLoader}: built on first use, then shared. */
    Advice advice(ClassLoader classLoader, String adviceClassName) {
        return adviceCache(classLoader).get(adviceClassName);
    }

    private AdviceCache adviceCache(ClassLoader classLoader) {
        synchronized (byLoader) {
            if (classLoader == null) {
                if (bootstrap == null) {
                    bootstrap = new AdviceCache(locator);
                }
                return bootstrap;
            }
            AdviceCache cache = byLoader.get(classLoader);
            if (cache == null) {
                // Advice signatures name library types (@Advice.Argument ProducerRecord, @Advice.This
                // ManagedChannelBuilder): describe the advice with the instrumented class's loader in
                // view, or those types cannot be resolved. Weakly: the cache must not keep the loader.
                cache = new AdviceCache(new ClassFileLocator.Compound(locator,
                        ClassFileLocator.ForClassLoader.WeaklyReferenced.of(classLoader)));
                byLoader.put(classLoader, cache);
            }
            return cache;
        }
    }

    /** The advice of this type instrumentation as built for one class loader's classes. */
    private final class AdviceCache {
        private final ClassFileLocator adviceLocator;
        private final TypePool pool;
        private final Map<String, Advice> advice = new ConcurrentHashMap<>();

        AdviceCache(ClassFileLocator adviceLocator) {
            this.adviceLocator = adviceLocator;
            this.pool = TypePool.Default.of(adviceLocator);
        }

        /** Built outside any lock (it reads class files through a class loader); a race builds it twice. */
        Advice get(String adviceClassName) {
            Advice a = advice.get(adviceClassName);
            if (a == null) {
                TypeDescription description = pool.describe(adviceClassName).resolve();
                a = Advice.to(description, adviceLocator).withExceptionHandler(exceptionHandler);
                advice.putIfAbsent(adviceClassName, a);
            }
            return a;
        }
    }

    private final class Target implements AdviceTarget {
        private DynamicType.Builder<?> builder;
        private final TypeDescription instrumented;
        private final ClassLoader classLoader;

        Target(DynamicType.Builder<?> builder, TypeDescription instrumented, ClassLoader classLoader) {
            this.builder = builder;
            this.instrumented = instrumented;
            this.classLoader = classLoader;
        }

        @Override
        public AdviceTarget applyAdvice(ElementMatcher<? super MethodDescription> methods, String adviceClassName) {
            try {
                builder = builder.visit(advice(classLoader, adviceClassName).on(methods));
            } catch (Throwable t) {
                listener.failed(module.name(), instrumented.getName(), t);
            }
            return this;
        }
    }
}
