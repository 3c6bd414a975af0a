package io.rpctrace.reactor;

import java.util.function.Function;
import reactor.core.CoreSubscriber;

/**
 * {@link BoundaryWrapper} for the rails of a parallel boundary ({@code subscribe(CoreSubscriber[])}):
 * each rail's subscriber wrapped, in a new {@code CoreSubscriber[]} (the array given may be typed
 * by a more specific class, which cannot hold a wrapper), or the same array when none was.
 */
public class RailsWrapper implements Function<Object, Object> {
    @Override
    public Object apply(Object rails) {
        return wrap((CoreSubscriber<?>[]) rails, false);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static CoreSubscriber<?>[] wrap(CoreSubscriber<?>[] rails, boolean refuseFusion) {
        CoreSubscriber<?>[] wrapped = rails;
        for (int i = 0; i < rails.length; i++) {
            CoreSubscriber<?> w = rails[i] == null ? null : BoundaryWrapper.wrap((CoreSubscriber) rails[i], refuseFusion);
            if (w != rails[i]) {
                if (wrapped == rails) {
                    wrapped = new CoreSubscriber<?>[rails.length];
                    System.arraycopy(rails, 0, wrapped, 0, rails.length);
                }
                wrapped[i] = w;
            }
        }
        return wrapped;
    }

    /** The same for a {@code Fuseable} parallel boundary: each rail's wrapper refuses fusion. */
    public static final class Fuseable extends RailsWrapper {
        @Override
        public Object apply(Object rails) {
            return wrap((CoreSubscriber<?>[]) rails, true);
        }
    }
}
