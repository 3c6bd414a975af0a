package io.rpctrace.agent;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * The loaded classes the installation's retransformation pass looks at: those of another
 * discovery strategy's batches that {@link IgnoredTypes} does not ignore by name and loader.
 * At premain about 2 000 classes are loaded (the JDK's, then Byte Buddy's and the agent's own)
 * and a handful are instrumented; the installation would otherwise describe each one and ask the
 * JVM whether it is modifiable before reaching the ignore rule, and that per-class code is run
 * and compiled before {@code main}
 * (docs/RATIONALE.md, "Start-up: Byte Buddy's fixed cost").
 */
final class NotIgnoredClasses implements AgentBuilder.RedefinitionStrategy.DiscoveryStrategy {
    private final AgentBuilder.RedefinitionStrategy.DiscoveryStrategy delegate;

    NotIgnoredClasses(AgentBuilder.RedefinitionStrategy.DiscoveryStrategy delegate) {
        this.delegate = delegate;
    }

    @Override
    public Iterable<Iterable<Class<?>>> resolve(Instrumentation instrumentation) {
        final Iterable<Iterable<Class<?>>> batches = delegate.resolve(instrumentation);
        return new Iterable<Iterable<Class<?>>>() {
            @Override
            public Iterator<Iterable<Class<?>>> iterator() {
                final Iterator<Iterable<Class<?>>> it = batches.iterator();
                return new Iterator<Iterable<Class<?>>>() {
                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public Iterable<Class<?>> next() {
                        return notIgnored(it.next());
                    }
                };
            }
        };
    }

    static List<Class<?>> notIgnored(Iterable<Class<?>> classes) {
        List<Class<?>> kept = new ArrayList<>();
        for (Class<?> type : classes) {
            if (!IgnoredTypes.ignored(type.getName(), type.getClassLoader())) {
                kept.add(type);
            }
        }
        return kept;
    }
}
