package io.rpctrace.instrumentation.jersey;

import io.rpctrace.instrumentation.api.InstrumentationModule;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import java.util.Collections;
import java.util.List;

/**
 * Module {@code jersey}: JAX-RS resources served by Jersey 2.26 to 4.x on a servlet container
 * (Dropwizard, Jersey's own servlet on Tomcat or Jetty; docs/instrumentation/http.md). The request's
 * {@code request.info} is the {@code servlet} module's; this module gives it the JAX-RS route
 * template of the resource method that matched as {@code x_module} ({@code GET /owners/{id}}), so
 * the module timers key on routes, never on URLs with ids.
 */
public final class JerseyModule extends InstrumentationModule {
    public JerseyModule() {
        super("jersey");
    }

    @Override
    public List<String> landmarkClasses() {
        // the argument of ResourceMethodInvoker.apply since 2.26 (Jersey's injection rework); the
        // module compiles against 2.26, its tested floor, and is tested on 4.0
        return Collections.singletonList("org.glassfish.jersey.server.internal.process.RequestProcessingContext");
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Collections.<TypeInstrumentation>singletonList(new ResourceMethodInvokerInstrumentation());
    }
}
