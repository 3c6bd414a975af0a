package io.rpctrace.instrumentation.jdkhttpclient;

import io.rpctrace.instrumentation.api.InstrumentationModule;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import java.util.Arrays;
import java.util.List;

/**
 * Module {@code jdk-http-client}: one {@code http.<method>} record per exchange of the JDK's
 * {@code java.net.http.HttpClient} (JDK 11 to 25), {@code send} and {@code sendAsync}. The
 * record ends when the response future completes, so an async call's duration is the
 * call's, not the caller's.
 */
public final class JdkHttpClientModule extends InstrumentationModule {
    public JdkHttpClientModule() {
        super("jdk-http-client");
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.<TypeInstrumentation>asList(new HttpClientImplInstrumentation(), new HttpRequestImplInstrumentation());
    }
}
