package io.rpctrace;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Traces a method (or every public method of a class) with the agent attached, without any
 * configuration: each call is a local span (docs/model.md#rule-4) whose record is {@code method}
 * ({@code method.error} when it throws), with {@code x_module} =
 * {@code <service>_<module>_<name>} and {@code x_action} = {@code Class.method(ParamTypes)}, and
 * it feeds a {@code metric.timer} series (docs/instrumentation/methods.md).
 *
 * <pre>{@code
 * @Traced                                    // order_OrderService_place
 * public Order place(Cart cart) { ... }
 *
 * @Traced(module = "pricing", name = "quote", records = false)   // metrics only
 * public Money quote(Cart cart) { ... }
 * }</pre>
 *
 * <p>Without the agent the annotation does nothing by itself: nothing reads it at run time but
 * the agent. Code that must be traced without the agent opens the span itself with
 * {@link Trace#span(String)}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Traced {
    /** The function part of {@code x_module}; empty: the method's name. */
    String name() default "";

    /** The module part of {@code x_module}; empty: the class's simple name. */
    String module() default "";

    /**
     * False keeps only the metrics of this method (no record per call, nothing allocated), as
     * {@code :metrics} does for a configured pattern.
     */
    boolean records() default true;
}
