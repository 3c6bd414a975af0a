package io.rpctrace.instrumentation.servlet.jakarta;

import io.rpctrace.instrumentation.api.InstrumentationModule;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import io.rpctrace.instrumentation.servlet.ContainerInstrumentation;
import io.rpctrace.instrumentation.servlet.ResponseHeaderInstrumentation;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Module {@code servlet-jakarta}: one {@code request.info} per request served through the
 * {@code jakarta.servlet} API 5 to 6.1 (Tomcat 10-11, Jetty 11-12, Undertow 2.3, Spring MVC 6 on
 * top of them), written when the response is complete: when the outermost filter or servlet
 * returns, or, for an async request, when the container completes it.
 */
public final class JakartaServletModule extends InstrumentationModule {
    public JakartaServletModule() {
        super("servlet-jakarta");
    }

    @Override
    public List<String> landmarkClasses() {
        return Collections.singletonList("jakarta.servlet.AsyncContext"); // the jakarta namespace: 5.0
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.<TypeInstrumentation>asList(new ServletInstrumentation(), new FilterInstrumentation(),
                new ResponseHeaderInstrumentation("jakarta.servlet.http.HttpServletResponse",
                        AddHeaderAdvice.class.getName()),
                new ContainerInstrumentation());
    }
}
