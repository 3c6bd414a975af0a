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
 * <p>Design note: advice on the chain's <em>boundaries</em> (thread hops, timers, sources fed from
 * other threads, multicast operators, another library's publishers: {@link BoundaryNames}), whose
 * subscriber is wrapped when it subscribes; the synchronous operators between them, nearly all of
 * a request's, are not touched at all (docs/RATIONALE.md, "Reactor: the scope is restored at a
 * chain's boundaries" and "the boundaries' own subscribe is advised"). Spring Sleuth and
 * OpenTelemetry's and Datadog's agents use Reactor's operator hook ({@code Hooks.onEachOperator})
 * instead, which is called for every operator assembled. A boundary's wrapper keeps the scope in
 * the subscriber {@code Context}, so it follows the chain across threads, and makes it current
 * around each signal. Reactor's automatic context propagation (3.5+) needs
 * {@code io.micrometer:context-propagation} on the application's class path and the
 * application's consent ({@code Hooks.enableAutomaticContextPropagation()}); the boundaries'
 * advice needs neither and works from 3.4. Scheduler tasks carry the same scope, not a child: the
 * internal tasks of reactive schedulers take no id of their own.
 */
public final class ReactorModule extends InstrumentationModule {
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
        return Arrays.<TypeInstrumentation>asList(new BoundaryInstrumentation(), new SchedulersInstrumentation(),
                new SchedulerStartInstrumentation());
    }
}
