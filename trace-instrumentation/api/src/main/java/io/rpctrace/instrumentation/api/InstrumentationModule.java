package io.rpctrace.instrumentation.api;

import java.util.Collections;
import java.util.List;

/**
 * One instrumented library line, discovered by the agent with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.rpctrace.instrumentation.api.InstrumentationModule}).
 *
 * <p>Its {@linkplain #name() name} is its configuration key:
 * {@code rpctrace.instrumentation.<name>.enabled=false} turns it off.
 *
 * <pre>{@code
 * public final class OkHttp3Module extends InstrumentationModule {
 *     public OkHttp3Module() { super("okhttp"); }
 *     public List<String> landmarkClasses() {
 *         return Arrays.asList("okhttp3.EventListener");   // added in 3.11: the floor of the range
 *     }
 *     public List<TypeInstrumentation> typeInstrumentations() {
 *         return Arrays.asList(new RealCallInstrumentation());
 *     }
 * }
 * }</pre>
 *
 * <p>Rules every module follows (docs/writing-an-instrumentation.md): advice only (no new
 * fields, methods or interfaces on instrumented classes, so retransformation and other
 * agents keep working); advice bound by class name, never loaded by the agent; advice
 * references only the instrumented library, the JDK and trace-core (which is on the
 * bootstrap class path); {@code suppress = Throwable.class} on every advice method.
 */
public abstract class InstrumentationModule {
    private final String name;

    /** @param name the module's name and configuration key, e.g. {@code "jdbc"} */
    protected InstrumentationModule(String name) {
        this.name = name;
    }

    /** The name of {@code rpctrace.instrumentation.<name>.enabled}. */
    public final String name() {
        return name;
    }

    /** Whether the module runs when its key is not set. Test-only modules return false. */
    public boolean enabledByDefault() {
        return true;
    }

    /**
     * Classes that must all be visible from a class loader for this module to instrument
     * the classes it loads: the floor of the supported version range (and, when a later
     * version broke the module, a class it removed goes into {@link #excludedClasses()}).
     * Write the version that added each class in a comment.
     */
    public List<String> landmarkClasses() {
        return Collections.emptyList();
    }

    /** Classes whose presence means a version this module does not support. */
    public List<String> excludedClasses() {
        return Collections.emptyList();
    }

    /** The types this module instruments, one {@link TypeInstrumentation} per matched type. */
    public abstract List<TypeInstrumentation> typeInstrumentations();

    @Override
    public String toString() {
        return name;
    }
}
