package io.rpctrace.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadPoolExecutor;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.matcher.ElementMatcher;
import org.junit.jupiter.api.Test;

/** The installation's retransformation pass sees the loaded classes the ignore rule lets through. */
class NotIgnoredClassesTest {
    /** An Instrumentation whose loaded classes are the given ones (all that Reiterating asks). */
    private static Instrumentation loaded(final Class<?>... classes) {
        return (Instrumentation) Proxy.newProxyInstance(NotIgnoredClassesTest.class.getClassLoader(),
                new Class<?>[] {Instrumentation.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getAllLoadedClasses")) {
                        return classes.clone();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static List<Class<?>> considered(AgentBuilder.RedefinitionStrategy.DiscoveryStrategy strategy,
                                             Instrumentation inst) {
        List<Class<?>> all = new ArrayList<>();
        for (Iterable<Class<?>> batch : strategy.resolve(inst)) {
            for (Class<?> type : batch) {
                all.add(type);
            }
        }
        return all;
    }

    @Test
    void theJdksOtherClassesTheAgentsAndByteBuddysAreNotConsidered() {
        Instrumentation inst = loaded(String.class, Thread.class, ThreadPoolExecutor.class, IgnoredTypes.class,
                ElementMatcher.class, NotIgnoredClassesTest.class, Test.class);
        List<Class<?>> considered = considered(
                new NotIgnoredClasses(AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.Reiterating.INSTANCE), inst);
        // JUnit stands for any application class; this test is in an agent package, so ignored
        assertEquals(Arrays.asList(Thread.class, ThreadPoolExecutor.class, Test.class), considered);
    }
}
