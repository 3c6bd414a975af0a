package io.rpctrace.agent;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

/**
 * The agent's diagnostics: an instrumentation that cannot be applied is reported on stderr
 * once per module (never through the application's logging) and skipped; the class stays
 * as it was.
 */
final class AgentListener extends AgentBuilder.Listener.Adapter {
    private final Map<String, String> moduleOfType = new ConcurrentHashMap<>();
    private final Set<String> reported = Collections.newSetFromMap(new ConcurrentHashMap<String, Boolean>());

    void matched(String typeName, String module) {
        moduleOfType.merge(typeName, module, (a, b) -> a.equals(b) || a.contains(b) ? a : a + "," + b);
    }

    void failed(String module, String typeName, Throwable t) {
        if (reported.add(module)) {
            System.err.println("rpctrace: instrumentation " + module + " cannot be applied to " + typeName + " (" + t
                    + "); skipped there (rpctrace.instrumentation." + module + ".enabled=false turns it off)");
        }
    }

    private static final boolean DEBUG = Boolean.getBoolean("rpctrace.agent.debug");

    @Override
    public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded,
                                 DynamicType dynamicType) {
        if (DEBUG) {
            System.err.println("rpctrace: instrumented " + type.getName() + " (" + moduleOfType.get(type.getName()) + ")");
        }
    }

    @Override
    public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded, Throwable t) {
        if (DEBUG) {
            System.err.println("rpctrace: cannot instrument " + typeName);
            t.printStackTrace();
        }
        String modules = moduleOfType.get(typeName);
        failed(modules == null ? "(matching)" : modules, typeName, t);
    }

    AgentBuilder.RedefinitionStrategy.Listener redefinitionListener() {
        return new AgentBuilder.RedefinitionStrategy.Listener.Adapter() {
            @Override
            public void onComplete(int amount, List<Class<?>> types, Map<List<Class<?>>, Throwable> failures) {
                for (Map.Entry<List<Class<?>>, Throwable> f : failures.entrySet()) {
                    for (Class<?> c : f.getKey()) {
                        AgentListener.this.onError(c.getName(), c.getClassLoader(), null, true, f.getValue());
                    }
                }
            }
        };
    }
}
