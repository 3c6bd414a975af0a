package io.rpctrace.instrumentation.httpurlconnection;

import io.rpctrace.instrumentation.api.InstrumentationModule;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import java.util.Collections;
import java.util.List;

/**
 * Module {@code http-url-connection}: one {@code http.<method>} record per request made with
 * {@code java.net.HttpURLConnection} / {@code HttpsURLConnection} (the JDK's implementation,
 * JDK 8 to 25), headers of docs/propagation.md#headers added before the request is sent.
 */
public final class HttpUrlConnectionModule extends InstrumentationModule {
    public HttpUrlConnectionModule() {
        super("http-url-connection");
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Collections.<TypeInstrumentation>singletonList(new HttpUrlConnectionInstrumentation());
    }
}
