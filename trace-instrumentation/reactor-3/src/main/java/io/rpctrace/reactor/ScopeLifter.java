package io.rpctrace.reactor;

import io.rpctrace.context.CurrentScope;
import io.rpctrace.context.Scope;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * The operator hook that makes a reactive chain run in the scope of the subscription that built it
 * (docs/model.md#rule-4): the subscriber of each boundary operator (where a signal may arrive on
 * another thread, {@link OperatorBoundaries}) is wrapped in a {@link ScopedSubscriber} when a
 * scope is known at subscription time, from the downstream subscriber's {@code Context} or, at
 * the end of the chain, the subscribing thread. The synchronous operators between two boundaries
 * run on the thread, in the scope, that the boundary upstream of them set; they are not lifted.
 *
 * <p>Design note: the {@code Context} wins over the thread. The context is the chain's own: it
 * reaches an inner publisher subscribed on another thread ({@code subscribeOn}, a timer, an event
 * loop), where the thread holds some other request's scope or none. Outside any scope nothing is
 * wrapped, so chains outside requests keep operator fusion; they pay the boundaries' lift
 * publishers only. The scope is kept next to Reactor's context ({@link ScopedContext}), not as an
 * entry of it, so the contexts the operators above write keep the size they have without the agent.
 *
 * <pre>{@code
 * ScopeLifter.install();   // the agent does it when Hooks is initialised
 * }</pre>
 */
public final class ScopeLifter implements Runnable {
    /** The hook's key in {@code Hooks.onEachOperator}. */
    public static final String HOOK_KEY = "io.rpctrace.reactor.ScopeLifter";

    /** The subscriber {@code Context} key holding the chain's {@code io.rpctrace.context.Scope}. */
    public static final String CONTEXT_KEY = "io.rpctrace.scope";

    /** Installs the hook ({@link #install()}); the agent calls it through {@code Runnable}. */
    @Override
    public void run() {
        install();
    }

    /**
     * Registers the lifter with {@code Hooks.onEachOperator} under {@link #HOOK_KEY} (idempotent),
     * filtered at assembly to the chain's boundaries ({@link OperatorBoundaries}).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static void install() {
        Hooks.onEachOperator(HOOK_KEY, (Function) hook());
    }

    /** The function {@link #install()} registers ({@link BoundaryHook}). */
    static Function<Object, Object> hook() {
        return new BoundaryHook(Operators.liftPublisher(ScopeLifter::lift));
    }

    /**
     * The hook Reactor calls with every operator it assembles: a boundary goes to reactor-core's
     * lift function (its lift publisher), any other operator is returned as it is.
     *
     * <p>Design note: this class is a {@code Function<Object, Object>}, so its {@code apply} takes
     * the operator with no cast. Reactor's own {@code LiftFunction} is a
     * {@code Function<Publisher, Publisher>}: its bridge {@code apply(Object)} casts every
     * assembled operator to {@code Publisher}, and a filter made from a method reference casts it
     * again. A cast to an interface writes a one-entry cache in the operator's class on JDK 17
     * (reactor-core's own checks against {@code Fuseable} and {@code Callable} keep evicting it),
     * and the event-loop threads kept missing it on every operator: the two casts were 15 % of
     * the event loops' samples (docs/RATIONALE.md). Only boundaries, a few per request, reach
     * {@code LiftFunction} and its cast.
     */
    static final class BoundaryHook implements Function<Object, Object> {
        private final Function<Object, Object> lift;

        @SuppressWarnings({"unchecked", "rawtypes"})
        BoundaryHook(Function<?, ?> lift) {
            this.lift = (Function) lift;
        }

        @Override
        public Object apply(Object operator) {
            return OperatorBoundaries.isBoundary(operator) ? lift.apply(operator) : operator;
        }
    }

    /** Removes the hook (tests). */
    public static void uninstall() {
        Hooks.resetOnEachOperator(HOOK_KEY);
    }

    static <T> CoreSubscriber<? super T> lift(Publisher<?> operator, CoreSubscriber<? super T> actual) {
        Context context = actual.currentContext();
        Scope inContext = context.getOrDefault(CONTEXT_KEY, null);
        Scope scope = inContext != null ? inContext : CurrentScope.get();
        if (scope == null) {
            return actual;
        }
        return new ScopedSubscriber<T>(actual, scope, inContext == scope ? context : ScopedContext.of(context, scope));
    }
}
