package io.rpctrace.instrumentation.jdkhttpserver;

import io.rpctrace.instrumentation.api.InstrumentationModule;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import java.util.Collections;
import java.util.List;

/**
 * Module {@code jdk-http-server}: one {@code request.info} per exchange served by the JDK's
 * {@code com.sun.net.httpserver.HttpServer} (and {@code HttpsServer}), JDK 8 to 25. No
 * landmark: the instrumented class is part of the JDK ({@code jdk.httpserver}).
 */
public final class JdkHttpServerModule extends InstrumentationModule {
    public JdkHttpServerModule() {
        super("jdk-http-server");
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Collections.<TypeInstrumentation>singletonList(new FilterChainInstrumentation());
    }
}
