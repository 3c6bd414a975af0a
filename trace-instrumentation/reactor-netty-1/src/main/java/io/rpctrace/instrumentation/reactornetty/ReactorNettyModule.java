package io.rpctrace.instrumentation.reactornetty;

import io.rpctrace.instrumentation.api.InstrumentationModule;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Module {@code reactor-netty}: Reactor Netty's {@code HttpServer} and {@code HttpClient}
 * (docs/instrumentation/reactive.md). A call writes {@code http.<method>} with the headers injected.
 * A served request writes {@code request.info} (http-common's {@code HttpServerCalls}, as the other
 * servers do); the handler's publisher is subscribed with the request's scope current, so the
 * {@code reactor} module carries that scope through the handler's chain on any thread.
 */
public final class ReactorNettyModule extends InstrumentationModule {
    public ReactorNettyModule() {
        super("reactor-netty");
    }

    @Override
    public List<String> landmarkClasses() {
        // the 1.x server state enum (REQUEST_RECEIVED); the module is tested on 1.3 and 1.2
        return Collections.singletonList("reactor.netty.http.server.HttpServerState");
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.<TypeInstrumentation>asList(new HttpServerHandleInstrumentation(),
                new HttpServerOperationsInstrumentation(), new HttpRouteHandlerInstrumentation(),
                new HttpClientConnectInstrumentation(),
                new ChannelOperationsInstrumentation(), new FluxTimeoutInstrumentation(),
                new HttpClientHandlerInstrumentation(),
                new HttpClientOperationsInstrumentation(), new WebClientRequestInstrumentation());
    }
}
