package io.rpctrace.reactor;

import io.rpctrace.context.CurrentScope;
import io.rpctrace.context.Scope;
import java.util.function.Function;
import reactor.core.CoreSubscriber;
import reactor.util.context.Context;

/**
 * Makes a reactive chain run in the scope of the subscription that built it
 * (docs/model.md#rule-4): the subscriber of each boundary (where a signal may arrive on another
 * thread, {@code io.rpctrace.instrumentation.reactor.BoundaryNames}) is wrapped in a
 * {@link ScopedSubscriber} when it subscribes, if a scope is known then: from the subscriber's
 * {@code Context}, or, at the end of the chain, the subscribing thread. The synchronous operators
 * between two boundaries run on the thread, in the scope, that the boundary upstream of them set;
 * nothing of them is touched. A helper defined next to the application's reactor-core, called
 * by the boundaries' advice through {@code Function}.
 *
 * <p>Design note: the {@code Context} wins over the thread. The context is the chain's own: it
 * reaches an inner publisher subscribed on another thread ({@code subscribeOn}, a timer, an event
 * loop), where the thread holds some other request's scope or none. Outside any scope nothing is
 * wrapped, so chains outside requests keep operator fusion. The scope is kept next to Reactor's
 * context ({@link ScopedContext}), not as an entry of it, so the contexts the operators above
 * write keep the size they have without the agent.
 */
public class BoundaryWrapper implements Function<Object, Object> {
    /** The subscriber {@code Context} key holding the chain's {@code io.rpctrace.context.Scope}. */
    public static final String CONTEXT_KEY = "io.rpctrace.scope";

    /** The subscriber of a boundary that is not {@code Fuseable}. */
    @Override
    @SuppressWarnings("unchecked")
    public Object apply(Object actual) {
        return wrap((CoreSubscriber<Object>) actual, false);
    }

    /**
     * The subscriber a boundary gets: {@code actual} wrapped in a {@link ScopedSubscriber} holding the
     * chain's scope; {@code actual} itself outside any scope, or when it is already such a wrapper
     * of the same scope that refuses fusion if this boundary needs it to (a boundary that hands its
     * subscriber on to another).
     *
     * @param refuseFusion the boundary is {@code Fuseable}: the wrapper hands itself down as the
     *     subscription, so that the subscriber below does not fuse with the boundary and take its
     *     values without the wrapper's {@code onNext} (reactor-core's lift publishers do the same)
     */
    static <T> CoreSubscriber<? super T> wrap(CoreSubscriber<? super T> actual, boolean refuseFusion) {
        Context context = actual.currentContext();
        Scope inContext = context.getOrDefault(CONTEXT_KEY, null);
        Scope scope = inContext != null ? inContext : CurrentScope.get();
        if (scope == null || actual instanceof ScopedSubscriber && ((ScopedSubscriber<?>) actual).covers(scope, refuseFusion)) {
            return actual;
        }
        Context scoped = inContext == scope ? context : ScopedContext.of(context, scope);
        return refuseFusion ? ScopedSubscriber.refusingFusion(actual, scope, scoped) : ScopedSubscriber.of(actual, scope, scoped);
    }

    /** The same for a boundary that is {@code Fuseable}: its wrapper refuses fusion. */
    public static final class Fuseable extends BoundaryWrapper {
        @Override
        @SuppressWarnings("unchecked")
        public Object apply(Object actual) {
            return wrap((CoreSubscriber<Object>) actual, true);
        }
    }
}
