package io.rpctrace.agent;

import io.rpctrace.instrumentation.api.LoadingClass;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.TypeResolutionStrategy;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.dynamic.scaffold.inline.MethodNameTransformer;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.pool.TypePool;

/**
 * The agent's class file transformer and its installation: what Byte Buddy's
 * {@code AgentBuilder.Default} built for us with {@code disableClassFormatChanges()},
 * {@code RETRANSFORMATION}, our pool strategy, listener and ignore rule, written out with Byte
 * Buddy's public parts (its type strategy, descriptions, pools and transformers).
 *
 * <p>Design note: {@code AgentBuilder} makes its transformer through a factory that, on Java 9
 * and later, generates a subclass of it at run time (with Byte Buddy itself) only to receive
 * the {@code Module} argument of {@code transform}; loading that class's initializer alone
 * costs about 220 classes and a seventh of a second of CPU before {@code main}. No agent
 * setting avoids it. None of our matchers or transformers reads the module, and the JDK's
 * default {@code transform(Module, ...)} calls the method below, so this transformer does what
 * Byte Buddy's did for every class without that subclass (docs/RATIONALE.md, "Start-up: our
 * own class file transformer").
 */
final class AgentTransformer implements ClassFileTransformer {
    /** Not transformed: the class file stays as it was. */
    private static final byte[] UNCHANGED = null;

    /**
     * Held while Byte Buddy rewrites a class (a miss of the rewrite cache): one rewrite at a time.
     * With a warm cache the first rewrite comes after premain, on whichever application threads
     * load classes; Byte Buddy's rewriting classes are then initialised by one thread, as premain's
     * rewrite of {@code Thread} does without a cache, not by two at once (two threads initialising
     * classes that refer to each other can deadlock). Rewrites are tens per start. A thread waits
     * at most {@link #REWRITE_WAIT_MS} and then rewrites without it: a class loader that locks
     * itself while the holder reads a class file through it must not hang the application.
     */
    private final ReentrantLock rewriting = new ReentrantLock();
    static final long REWRITE_WAIT_MS = 1000;
    /** Made on the first rewrite (a warm start may have none). */
    private volatile ByteBuddy byteBuddy;
    private final AgentBuilder.PoolStrategy pools;
    private final AgentListener listener;
    /** Rewrites kept from earlier starts; null when turned off or unusable. */
    private final RewriteCache cache;
    /** Read by every loading thread: replaced whole (volatile) by {@link #add}, never changed in place. */
    private volatile Rule[] rules = new Rule[0];
    /** Byte Buddy's guard: a class loaded while this thread transforms another one is left alone. */
    private final AgentBuilder.CircularityLock lock = new AgentBuilder.CircularityLock.Default();
    /** The loaded class described from its class file when reflection cannot (a missing optional type). */
    private final AgentBuilder.FallbackStrategy fallback = AgentBuilder.FallbackStrategy.ByThrowableType.ofOptionalTypes();
    /** Unused by {@code REDEFINE_FROZEN}, which adds no method; the type strategy's signature asks for one. */
    private final MethodNameTransformer unusedNames = MethodNameTransformer.Suffixing.withRandomSuffix();

    AgentTransformer(AgentBuilder.PoolStrategy pools, AgentListener listener, RewriteCache cache) {
        this.pools = pools;
        this.listener = listener;
        this.cache = cache;
    }

    /**
     * Applies {@code transformer} to every class {@code matcher} matches (after the ignore rule).
     * {@code id} names the rule among all of this agent's (its module and position), the same
     * from one start to the next: the rewrite cache's entries are keyed by it.
     */
    AgentTransformer add(String id, String module, AgentBuilder.RawMatcher matcher, AgentBuilder.Transformer transformer) {
        Rule[] more = Arrays.copyOf(rules, rules.length + 1);
        more[rules.length] = new Rule(id, module, matcher, transformer);
        rules = more;
        return this;
    }

    @Override
    public byte[] transform(ClassLoader loader, String internalName, Class<?> redefined, ProtectionDomain domain,
                            byte[] classFile) {
        // A hidden class (a lambda's) has a '/' in its name and cannot be retransformed.
        if (internalName == null || (redefined != null && redefined.getName().indexOf('/') >= 0) || !lock.acquire()) {
            return UNCHANGED;
        }
        try {
            String name = internalName.replace('/', '.');
            listener.discovered();
            try {
                // By name and loader first: most classes end here, before any locator or pool is made.
                if (IgnoredTypes.ignored(name, loader)) {
                    listener.ignored();
                    return UNCHANGED;
                }
                ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(name, classFile),
                        ClassFileLocator.ForClassLoader.of(loader));
                TypePool pool = pools.typePool(locator, loader, name);
                LoadingClass.domain(domain);
                try {
                    return transform(name, loader, redefined, domain, pool, locator, classFile);
                } catch (Throwable t) {
                    if (redefined != null && fallback.isFallback(redefined, t)) {
                        return transform(name, loader, null, domain, pool, locator, classFile);
                    }
                    throw t;
                }
            } catch (Throwable t) {
                listener.error(name, t);
                return UNCHANGED;
            } finally {
                listener.completed();
            }
        } finally {
            lock.release();
        }
    }

    private byte[] transform(String name, ClassLoader loader, Class<?> redefined, ProtectionDomain domain,
                             TypePool pool, ClassFileLocator locator, byte[] classFile) {
        // A loaded class by reflection, a new one lazily from its class file (Byte Buddy's HYBRID).
        TypeDescription type = redefined == null ? pool.describe(name).resolve() : TypeDescription.ForLoadedType.of(redefined);
        List<Rule> applied = matching(type, loader, redefined, domain);
        if (applied.isEmpty()) {
            listener.ignored();
            return UNCHANGED;
        }
        String ruleIds = cache == null ? null : ids(applied);
        if (cache != null) {
            byte[] kept = cache.find(ruleIds, classFile);
            if (kept != null) {
                for (Rule r : applied) {
                    listener.matched(name, r.module);
                }
                listener.transformed(name);
                return kept;
            }
        }
        long failures = listener.failures();
        byte[] rewritten;
        boolean locked = lockRewriting();
        try {
            DynamicType.Builder<?> builder = AgentBuilder.TypeStrategy.Default.REDEFINE_FROZEN
                    .builder(type, byteBuddy(), locator, unusedNames, loader, null, domain);
            for (Rule r : applied) {
                builder = r.transformer.transform(builder, type, loader, null, domain);
            }
            rewritten = builder.make(TypeResolutionStrategy.Disabled.INSTANCE, pool).getBytes();
        } finally {
            if (locked) {
                rewriting.unlock();
            }
        }
        // An advice that could not be applied is reported once per module: not kept, so that
        // every start tries (and reports) it again rather than reusing a partial rewrite.
        if (cache != null && listener.failures() == failures && cache.store(ruleIds, classFile, rewritten)
                && AgentListener.DEBUG) {
            System.err.println("rpctrace: rewrite cache kept " + type.getName());
        }
        listener.transformed(type.getName());
        return rewritten;
    }

    private boolean lockRewriting() {
        try {
            return rewriting.tryLock(REWRITE_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();     // the application's interrupt stays set
            return false;
        }
    }

    /**
     * Byte Buddy as the agent's rewrites use it, made by the first rewrite.
     * <ul>
     *   <li>advice only: no new members (no implementation context), so classes can be
     *       retransformed and other agents (OpenTelemetry, Arthas, TTL) can transform them too;
     *       what AgentBuilder's {@code disableClassFormatChanges()} set;</li>
     *   <li>{@code ForDeclaredMethods}: advice goes on declared methods only, so the instrumented
     *       class's method graph (every interface resolved) is not needed; another agent may have
     *       added an interface no class loader can describe (OpenTelemetry's
     *       {@code VirtualFieldInstalledMarker} on {@code HttpURLConnection}), which would make
     *       the whole transformation fail.</li>
     * </ul>
     */
    private ByteBuddy byteBuddy() {
        ByteBuddy b = byteBuddy;
        if (b == null) {
            byteBuddy = b = new ByteBuddy().with(TypeValidation.DISABLED).with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE)
                    .with(Implementation.Context.Disabled.Factory.INSTANCE);
        }
        return b;
    }

    private List<Rule> matching(TypeDescription type, ClassLoader loader, Class<?> redefined, ProtectionDomain domain) {
        List<Rule> applied = new ArrayList<>(1);
        for (Rule rule : rules) {
            if (rule.matcher.matches(type, loader, null, redefined, domain)) {
                applied.add(rule);
            }
        }
        return applied;
    }

    /** The rules' ids in the order they apply: what the rewrite cache keys an entry by, with the class file. */
    private static String ids(List<Rule> applied) {
        if (applied.size() == 1) {
            return applied.get(0).id;
        }
        StringBuilder sb = new StringBuilder();
        for (Rule r : applied) {
            sb.append(sb.length() == 0 ? "" : ",").append(r.id);
        }
        return sb.toString();
    }

    /** A transformer and the matcher that selects its classes. */
    private static final class Rule {
        final String id;
        final String module;
        final AgentBuilder.RawMatcher matcher;
        final AgentBuilder.Transformer transformer;

        Rule(String id, String module, AgentBuilder.RawMatcher matcher, AgentBuilder.Transformer transformer) {
            this.id = id;
            this.module = module;
            this.matcher = matcher;
            this.transformer = transformer;
        }
    }

    /**
     * Registers this transformer and retransforms the loaded classes a module matches (the JDK's
     * thread pools and {@code Thread}, loaded before premain), again for classes loaded meanwhile
     * until none is new (on JDK 25 {@code ForkJoinPool} is loaded while {@code VirtualThread} is
     * rewritten). This thread holds the circularity lock throughout, as Byte Buddy's
     * installation did, so classes it loads itself are caught by the next pass instead.
     */
    void installOn(Instrumentation inst) {
        if (!inst.isRetransformClassesSupported()) {
            throw new IllegalStateException("the JVM cannot retransform classes (Can-Retransform-Classes)");
        }
        if (!lock.acquire()) {
            throw new IllegalStateException("could not acquire the circularity lock to install the agent");
        }
        try {
            inst.addTransformer(this, true);
            try {
                for (Iterable<Class<?>> loaded : new NotIgnoredClasses(
                        AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.Reiterating.INSTANCE).resolve(inst)) {
                    Map<Class<?>, List<AgentBuilder.Transformer>> matched = matchingLoaded(inst, loaded);
                    retransform(inst, new ArrayList<>(matched.keySet()));
                    alreadyLoaded(matched);
                }
            } catch (Throwable t) {
                inst.removeTransformer(this);
                throw new IllegalStateException("could not install the agent's class file transformer", t);
            }
        } finally {
            lock.release();
        }
    }

    /** The loaded classes some rule matches, each with the transformers that apply to it, in discovery order. */
    private Map<Class<?>, List<AgentBuilder.Transformer>> matchingLoaded(Instrumentation inst, Iterable<Class<?>> loaded) {
        Map<Class<?>, List<AgentBuilder.Transformer>> matched = new LinkedHashMap<>();
        for (Class<?> type : loaded) {
            if (type.isArray() || type.isPrimitive() || type.getName().indexOf('/') >= 0 || !inst.isModifiableClass(type)) {
                continue;
            }
            try {
                List<Rule> applied;
                try {
                    applied = matching(TypeDescription.ForLoadedType.of(type), type.getClassLoader(), type,
                            type.getProtectionDomain());
                } catch (Throwable t) {
                    if (!fallback.isFallback(type, t)) {
                        throw t;
                    }
                    TypeDescription fromClassFile = pools.typePool(ClassFileLocator.ForClassLoader.of(type.getClassLoader()),
                            type.getClassLoader()).describe(type.getName()).resolve();
                    applied = matching(fromClassFile, type.getClassLoader(), null, type.getProtectionDomain());
                }
                if (!applied.isEmpty()) {
                    List<AgentBuilder.Transformer> transformers = new ArrayList<>(applied.size());
                    for (Rule r : applied) {
                        transformers.add(r.transformer);
                    }
                    matched.put(type, transformers);
                }
            } catch (Throwable t) {
                listener.error(type.getName(), t);
            }
        }
        return matched;
    }

    /**
     * What a type initializer's advice would have done for classes loaded before the agent
     * ({@link io.rpctrace.instrumentation.api.TypeInstrumentation#alreadyLoaded}): run after their
     * retransformation, on this thread, for each instrumentation that matched them.
     */
    private static void alreadyLoaded(Map<Class<?>, List<AgentBuilder.Transformer>> matched) {
        for (Map.Entry<Class<?>, List<AgentBuilder.Transformer>> e : matched.entrySet()) {
            for (AgentBuilder.Transformer t : e.getValue()) {
                if (t instanceof ModuleTransformer) {
                    ((ModuleTransformer) t).alreadyLoaded(e.getKey());
                }
            }
        }
    }

    private void retransform(Instrumentation inst, List<Class<?>> types) {
        if (types.isEmpty()) {
            return;
        }
        // Released so that this thread's own retransformation reaches the transformer.
        lock.release();
        try {
            inst.retransformClasses(types.toArray(new Class<?>[0]));
        } catch (Throwable t) {
            for (Class<?> type : types) {
                listener.error(type.getName(), t);
            }
        } finally {
            lock.acquire();
        }
    }
}
