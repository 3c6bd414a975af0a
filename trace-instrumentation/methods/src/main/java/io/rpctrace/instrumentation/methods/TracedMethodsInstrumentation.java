package io.rpctrace.instrumentation.methods;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isAnnotatedWith;
import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.isNative;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;

import io.rpctrace.context.CurrentScope;
import io.rpctrace.context.Scope;
import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.LoadingClass;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.annotation.AnnotationList;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The classes the {@code methods} patterns name, and the classes with {@code @Traced} on them
 * or on a method.
 *
 * <p>Design note: the patterns are tested on the class name alone, which costs nothing per
 * loaded class (the type pool resolves nothing for a name). The annotation needs the class
 * file's method table: it is looked up only outside the JDK's and the agent's packages, only
 * in class files whose bytes name it at all, and with the fast type pool, which reads no
 * method bodies.
 */
final class TracedMethodsInstrumentation implements TypeInstrumentation {
    static final String TRACED = "io.rpctrace.Traced";

    private final MethodPatterns patterns;

    TracedMethodsInstrumentation(MethodPatterns patterns) {
        this.patterns = patterns;
    }

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        // The class file must name the annotation: a byte search, before Byte Buddy parses the class.
        ElementMatcher.Junction<TypeDescription> annotated = not(platform())
                .and(LoadingClass.mayMention("L" + TRACED.replace('.', '/') + ";"))
                .and(isAnnotatedWith(named(TRACED)).or(declaresMethod(isAnnotatedWith(named(TRACED)))));
        if (patterns.isEmpty()) {
            return annotated;
        }
        return new ElementMatcher.Junction.AbstractBase<TypeDescription>() {
            @Override
            public boolean matches(TypeDescription type) {
                String name = type.getName();
                return patterns.mayName(name) && name.indexOf("$$") < 0 && !MethodPatterns.isRpctrace(name);
            }
        }.or(annotated);
    }

    private static ElementMatcher.Junction<TypeDescription> platform() {
        return nameStartsWith("java.").or(nameStartsWith("javax.")).or(nameStartsWith("jdk."))
                .or(nameStartsWith("sun.")).or(nameStartsWith("com.sun.")).or(nameStartsWith("net.bytebuddy."))
                .or(new ElementMatcher.Junction.AbstractBase<TypeDescription>() {
                    @Override
                    public boolean matches(TypeDescription type) {
                        return MethodPatterns.isRpctrace(type.getName());
                    }
                });
    }

    @Override
    public void transform(AdviceTarget target) {
        ElementMatcher.Junction<MethodDescription> body = isMethod().and(not(isAbstract())).and(not(isNative()))
                .and(not(isSynthetic())).and(not(isBridge())).and(not(nameStartsWith("lambda$")));
        target.applyAdvice(body.and(new Selected(patterns)), TracedMethodsInstrumentation.class.getName() + "$CallAdvice");
    }

    /** The methods a pattern or the annotation selects (constructors and lambdas are excluded before). */
    static final class Selected extends ElementMatcher.Junction.AbstractBase<MethodDescription> {
        private final MethodPatterns patterns;

        Selected(MethodPatterns patterns) {
            this.patterns = patterns;
        }

        @Override
        public boolean matches(MethodDescription m) {
            if (traced(m.getDeclaredAnnotations())) {
                return true;
            }
            boolean plain = m.isPublic() && !MethodFilter.isAccessorOrObjectMethod(m.getName(),
                    m.getParameters().size(), m.getReturnType().represents(void.class),
                    m.getReturnType().represents(boolean.class));
            TypeDescription type = m.getDeclaringType().asErasure();
            if (plain && traced(type.getDeclaredAnnotations())) {
                return true;
            }
            MethodPatterns.Pattern p = patterns.match(type.getName(), m.getName());
            return p != null && (p.explicitMethods() || plain);
        }

        private static boolean traced(AnnotationList annotations) {
            for (AnnotationDescription a : annotations) {
                if (TRACED.equals(a.getAnnotationType().getName())) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Thin: the call site ({@link MethodSites}, resolved once per method) opens the local span
     * (a child scope) or, for metrics only, nothing; the exit writes the record and feeds the
     * timer. The site's strings are class-file constants, so a call allocates nothing of its own.
     */
    static final class CallAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter(@Advice.Origin Class<?> type, @Advice.Origin("#m#s") String signature,
                          @Advice.Local("rpctraceSite") MethodSite site, @Advice.Local("rpctraceScope") Scope child,
                          @Advice.Local("rpctracePrevious") Scope previous) {
            site = MethodSites.of(type, signature);
            previous = site.records() ? CurrentScope.get() : null;   // metrics only: no scope to restore
            child = site.enter(previous);
            return System.nanoTime();
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter long started, @Advice.Local("rpctraceSite") MethodSite site,
                         @Advice.Local("rpctraceScope") Scope child, @Advice.Local("rpctracePrevious") Scope previous,
                         @Advice.Thrown Throwable thrown) {
            if (site != null) {
                site.exit(child, previous, started, thrown);
            }
        }
    }
}
