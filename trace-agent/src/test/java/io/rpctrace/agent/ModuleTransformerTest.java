package io.rpctrace.agent;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.InstrumentationModule;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Collections;
import java.util.List;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.ElementMatchers;
import org.junit.jupiter.api.Test;

/** Advice is built once per advice class and loader of the instrumented classes, and still goes into each. */
class ModuleTransformerTest {
    public static class FirstGreeter {
        public String greet() {
            return "hello";
        }
    }

    public static class SecondGreeter {
        public String greet() {
            return "hi";
        }
    }

    /** Inlined into greet(): appends a mark to what it returns. */
    public static class MarkAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Return(readOnly = false) String greeting) {
            greeting = greeting + "!";
        }
    }

    private static final TypeInstrumentation GREET = new TypeInstrumentation() {
        @Override
        public ElementMatcher<TypeDescription> typeMatcher() {
            return ElementMatchers.any();
        }

        @Override
        public void transform(AdviceTarget target) {
            target.applyAdvice(named("greet"), MarkAdvice.class.getName());
        }
    };

    private static final InstrumentationModule MODULE = new InstrumentationModule("greetings") {
        @Override
        public List<TypeInstrumentation> typeInstrumentations() {
            return Collections.singletonList(GREET);
        }
    };

    private static ModuleTransformer transformer() {
        return new ModuleTransformer(MODULE, GREET, Advice.ExceptionHandler.Default.SUPPRESSING, new AgentListener(),
                ClassFileLocator.NoOp.INSTANCE);
    }

    private static String greetingOf(ModuleTransformer transformer, Class<?> greeter) throws Exception {
        ClassLoader loader = ModuleTransformerTest.class.getClassLoader();
        DynamicType.Builder<?> builder = new ByteBuddy().redefine(greeter).name(greeter.getName() + "$Rewritten");
        Class<?> rewritten = transformer.transform(builder, TypeDescription.ForLoadedType.of(greeter), loader, null, null)
                .make().load(loader, ClassLoadingStrategy.Default.WRAPPER).getLoaded();
        return (String) rewritten.getMethod("greet").invoke(rewritten.getDeclaredConstructor().newInstance());
    }

    @Test
    void adviceIsBuiltOncePerLoaderAndGoesIntoEveryClass() throws Exception {
        ModuleTransformer transformer = transformer();
        assertEquals("hello!", greetingOf(transformer, FirstGreeter.class));
        ClassLoader loader = ModuleTransformerTest.class.getClassLoader();
        Advice first = transformer.advice(loader, MarkAdvice.class.getName());
        assertEquals("hi!", greetingOf(transformer, SecondGreeter.class));
        assertSame(first, transformer.advice(loader, MarkAdvice.class.getName()));
    }

    @Test
    void anotherLoaderGetsItsOwnAdvice() throws Exception {
        ModuleTransformer transformer = transformer();
        ClassLoader loader = ModuleTransformerTest.class.getClassLoader();
        try (URLClassLoader child = new URLClassLoader(new URL[0], loader)) {
            Advice forApp = transformer.advice(loader, MarkAdvice.class.getName());
            assertNotSame(forApp, transformer.advice(child, MarkAdvice.class.getName()));
            assertSame(forApp, transformer.advice(loader, MarkAdvice.class.getName()));
        }
    }
}
