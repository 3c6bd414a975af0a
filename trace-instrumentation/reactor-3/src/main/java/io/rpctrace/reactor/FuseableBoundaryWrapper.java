package io.rpctrace.reactor;

import java.util.function.Function;
import reactor.core.CoreSubscriber;

/** {@link BoundaryWrapper} for a boundary that is {@code Fuseable}: its wrapper refuses fusion. */
public final class FuseableBoundaryWrapper implements Function<Object, Object> {
    @Override
    @SuppressWarnings("unchecked")
    public Object apply(Object actual) {
        return BoundaryWrapper.wrap((CoreSubscriber<Object>) actual, true);
    }
}
