package io.rpctrace.instrumentation.jdkhttpclient;

import io.rpctrace.instrumentation.api.InstrumentationModule;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import io.rpctrace.internal.HelperClasses;
import java.util.Arrays;
import java.util.List;

/**
 * Module {@code jdk-http-client}: one {@code http.<method>} record per exchange of the JDK's
 * {@code java.net.http.HttpClient} (JDK 11 to 25), {@code send} and {@code sendAsync}. The
 * record ends when the response future completes, so an async call's duration is the
 * call's, not the caller's.
 *
 * <p>The advice calls http-common's {@code HttpClientCalls} and this module's {@link OwnIdHeaders},
 * whose request copy names {@code java.net.http} types and is therefore defined next to that
 * module from {@code io.rpctrace.jdkhttpclient} in the agent jar ({@link HelperClasses}).
 */
public final class JdkHttpClientModule extends InstrumentationModule {
    public JdkHttpClientModule() {
        super("jdk-http-client");
        HelperClasses.register(JdkHttpClientModule.class.getClassLoader(), "io.rpctrace.jdkhttpclient.");
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.<TypeInstrumentation>asList(new HttpClientImplInstrumentation(), new HttpRequestImplInstrumentation());
    }
}
