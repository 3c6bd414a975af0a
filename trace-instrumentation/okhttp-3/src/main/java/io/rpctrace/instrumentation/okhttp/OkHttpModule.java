package io.rpctrace.instrumentation.okhttp;

import io.rpctrace.instrumentation.api.InstrumentationModule;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Module {@code okhttp}: one {@code http.<method>} record per OkHttp {@code Call} (3.11 to 4.x;
 * {@code execute} and {@code enqueue}, redirects and retries inside it), with the headers of
 * docs/propagation.md#headers on the request that goes out, and the DNS, connect and TLS times the
 * client reports to its {@code EventListener} (the application's own listener stays in place).
 * An enqueued call is numbered in the scope that enqueued it ({@link AsyncCallInstrumentation}).
 */
public final class OkHttpModule extends InstrumentationModule {
    public OkHttpModule() {
        super("okhttp");
    }

    @Override
    public List<String> landmarkClasses() {
        return Collections.singletonList("okhttp3.EventListener"); // added in 3.11
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.<TypeInstrumentation>asList(new InterceptorChainInstrumentation(), new EventListenerInstrumentation(),
                new AsyncCallInstrumentation());
    }
}
