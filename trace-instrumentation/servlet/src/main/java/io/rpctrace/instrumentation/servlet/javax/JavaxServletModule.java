package io.rpctrace.instrumentation.servlet.javax;

import io.rpctrace.instrumentation.api.InstrumentationModule;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import io.rpctrace.instrumentation.servlet.ContainerInstrumentation;
import io.rpctrace.instrumentation.servlet.ResponseHeaderInstrumentation;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Module {@code servlet}: one {@code request.info} per request served through the
 * {@code javax.servlet} API 3.0 to 4.0 (Tomcat 7-9, Jetty 9-10, Undertow 2, Spring MVC 5 on
 * top of them), written when the response is complete: when the outermost filter or servlet
 * returns, or, for an async request, when the container completes it.
 */
public final class JavaxServletModule extends InstrumentationModule {
    public JavaxServletModule() {
        super("servlet");
    }

    @Override
    public List<String> landmarkClasses() {
        return Collections.singletonList("javax.servlet.AsyncContext"); // added in 3.0
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.<TypeInstrumentation>asList(new ServletInstrumentation(), new FilterInstrumentation(),
                new ResponseHeaderInstrumentation("javax.servlet.http.HttpServletResponse",
                        AddHeaderAdvice.class.getName()),
                new ContainerInstrumentation());
    }
}
