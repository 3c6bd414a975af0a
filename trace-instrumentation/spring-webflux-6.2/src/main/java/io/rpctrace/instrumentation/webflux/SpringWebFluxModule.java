package io.rpctrace.instrumentation.webflux;

import io.rpctrace.instrumentation.api.InstrumentationModule;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Module {@code spring-webflux}: Spring WebFlux on Reactor Netty or on a servlet container
 * (docs/instrumentation/reactive.md). The request's {@code request.info} is the {@code reactor-netty}
 * module's (the {@code servlet} module's on Tomcat or Jetty); this module gives it the
 * route template of the handler that matched as {@code x_module} ({@code GET /users/{id}}, for
 * annotated controllers and functional routes alike), and the exception behind a 5xx that Spring's
 * error handlers rendered.
 */
public final class SpringWebFluxModule extends InstrumentationModule {
    public SpringWebFluxModule() {
        super("spring-webflux");
    }

    @Override
    public List<String> landmarkClasses() {
        // added in 6.0 (the Spring 6 line; the advice's ServerHttpRequestDecorator.getNativeRequest
        // is older, 5.3.3); the module compiles against 6.2, its tested floor, and is tested on 7.0
        return Collections.singletonList("org.springframework.http.server.reactive.observation.ServerRequestObservationContext");
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.<TypeInstrumentation>asList(new DispatcherHandlerInstrumentation(),
                new WebExceptionHandlerInstrumentation());
    }
}
