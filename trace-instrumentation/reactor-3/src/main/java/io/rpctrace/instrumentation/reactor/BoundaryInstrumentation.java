package io.rpctrace.instrumentation.reactor;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.SuperTypes;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The boundaries' own {@code subscribe(CoreSubscriber)}, {@code subscribeOrReturn(CoreSubscriber)}
 * and, for a parallel boundary, {@code subscribe(CoreSubscriber[])}: the subscriber they are given is
 * replaced by one that delivers every signal in the chain's scope ({@link Boundaries}). The
 * boundaries are reactor-core's publishers that {@link BoundaryNames} names, and any other
 * library's {@code Flux} or {@code Mono} (Reactor Netty's receive publisher, a driver's result).
 *
 * <p>Design note: advice on the boundaries rather than Reactor's operator hook
 * ({@code Hooks.onEachOperator}), which Reactor calls for every operator it assembles, about 190 for
 * a WebFlux request that proxies one WebClient call, nearly all synchronous. A profile of that
 * service put assembly with the hook at 13–15 µs of event-loop CPU per request on JDK 17 (2–3 µs
 * without the agent), mostly stalls on the operator classes' metadata that reactor-core's own
 * interface checks keep writing from both event loops (docs/RATIONALE.md, "Reactor: the boundaries'
 * own subscribe is advised, not every operator's assembly"). Here a synchronous operator costs
 * nothing, at assembly or at subscription, and a boundary one lookup when it subscribes.
 */
final class BoundaryInstrumentation implements TypeInstrumentation {
    private static final String SUBSCRIBER = "reactor.core.CoreSubscriber";
    private static final ElementMatcher<TypeDescription> FOREIGN = SuperTypes.concreteSubtypeOf("reactor.core.publisher.Flux")
            .or(SuperTypes.concreteSubtypeOf("reactor.core.publisher.Mono"));

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return new ElementMatcher.Junction.AbstractBase<TypeDescription>() {
            @Override
            public boolean matches(TypeDescription type) {
                String name = type.getName();
                if (name.startsWith(BoundaryNames.PACKAGE)) {
                    return BoundaryNames.isBoundary(name);
                }
                // another library's publisher; reactor-core's other packages have none
                return !name.startsWith("reactor.core.") && FOREIGN.matches(type);
            }
        };
    }

    /** {@code subscribe(CoreSubscriber)} and {@code subscribeOrReturn(CoreSubscriber)} with a body. */
    static final ElementMatcher<MethodDescription> SUBSCRIBE = not(isAbstract()).and(takesArguments(1))
            .and(named("subscribe").or(named("subscribeOrReturn"))).and(takesArgument(0, named(SUBSCRIBER)));
    /** A parallel publisher's {@code subscribe(CoreSubscriber[])} with a body. */
    static final ElementMatcher<MethodDescription> SUBSCRIBE_RAILS = not(isAbstract()).and(takesArguments(1))
            .and(named("subscribe")).and(takesArgument(0, new SubscriberArray()));

    @Override
    public void transform(AdviceTarget target) {
        String name = BoundaryInstrumentation.class.getName();
        target.applyAdvice(SUBSCRIBE, name + "$SubscribeAdvice").applyAdvice(SUBSCRIBE_RAILS, name + "$RailsAdvice");
    }

    /** {@code CoreSubscriber[]}: a parallel publisher's rails. */
    private static final class SubscriberArray extends ElementMatcher.Junction.AbstractBase<TypeDescription> {
        @Override
        public boolean matches(TypeDescription type) {
            return type.isArray() && type.getComponentType().getName().equals(SUBSCRIBER);
        }
    }

    static final class SubscribeAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object boundary,
                @Advice.Argument(value = 0, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object actual) {
            actual = Boundaries.wrap(boundary, actual);
        }
    }

    static final class RailsAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object boundary,
                @Advice.Argument(value = 0, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object[] rails) {
            rails = Boundaries.wrapRails(boundary, rails);
        }
    }
}
