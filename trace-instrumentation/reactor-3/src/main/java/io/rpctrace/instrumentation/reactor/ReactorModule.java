package io.rpctrace.instrumentation.reactor;

import io.rpctrace.instrumentation.api.InstrumentationModule;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import io.rpctrace.internal.HelperClasses;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Module {@code reactor}: Reactor 3.4+ (docs/instrumentation/reactive.md). A {@code Mono}/{@code Flux}
 * runs in the scope of the subscription that built it, whatever thread its operators run on
 * (docs/model.md#rule-4: a reactive pipeline is not a hand-off).
 *
 * <p>Design note: Reactor's own operator hook ({@code Hooks.onEachOperator}) with a lifter, as
 * Spring Sleuth, OpenTelemetry's and Datadog's agents do, rather than advice on every operator
 * class: one mechanism covers every operator, present and future, of every version. The lifter
 * is filtered at assembly to the chain's boundaries (thread hops, timers, sources fed from other
 * threads, multicast operators, operators on another library's publisher): the synchronous
 * operators between them, nearly all of a request's, are not lifted at all (docs/RATIONALE.md,
 * "Reactor: the scope is restored at a chain's boundaries"). A boundary's wrapper keeps the scope
 * in the subscriber {@code Context}, so it follows the chain across threads, and makes it current
 * around each signal. Reactor's automatic context propagation (3.5+) needs
 * {@code io.micrometer:context-propagation} on the application's class path and the
 * application's consent ({@code Hooks.enableAutomaticContextPropagation()}); the lifter needs
 * neither and works from 3.4. Scheduler tasks carry the same scope, not a child: the internal
 * tasks of reactive schedulers take no id of their own.
 */
public final class ReactorModule extends InstrumentationModule {
    /** The lifter, a helper class defined next to the application's reactor-core. */
    static final String LIFTER = "io.rpctrace.reactor.ScopeLifter";

    public ReactorModule() {
        super("reactor");
        HelperClasses.register(ReactorModule.class.getClassLoader(), "io.rpctrace.reactor.");
    }

    @Override
    public List<String> landmarkClasses() {
        // added in 3.4.0: the floor of the range
        return Collections.singletonList("reactor.util.context.ContextView");
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.<TypeInstrumentation>asList(new HooksInstrumentation(), new SchedulersInstrumentation(),
                new SchedulerStartInstrumentation());
    }
}
