package io.rpctrace.instrumentation.dubbo;

import io.rpctrace.instrumentation.api.InstrumentationModule;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import java.util.Arrays;
import java.util.List;

/**
 * Module {@code dubbo} (Apache Dubbo 3.x): a {@code dubbo.request} record per call a consumer
 * makes to one provider, with the ids of docs/propagation.md#headers in the invocation's
 * attachments, and a {@code request.info} scope (docs/model.md#rule-1) per invocation a
 * provider serves.
 *
 * <p>Design note: Dubbo's own extension point is an SPI {@code Filter}, which an agent cannot
 * register without touching the application's configuration. The advice sits on the two
 * invokers every call passes through whatever the filters: the protocol invoker a consumer
 * calls once a provider is chosen ({@code AbstractInvoker.invoke}: the dubbo, tri and injvm
 * protocols), and the invoker that calls the provider's implementation
 * ({@code AbstractProxyInvoker.invoke}); and, for a call the cluster rejects before any
 * provider ("No provider available"), on the cluster's invoke; for the callbacks of an
 * asynchronous call, on the request futures of the dubbo and Triple protocols. The logic is in
 * {@link DubboCalls}, which names no Dubbo type.
 */
public final class DubboModule extends InstrumentationModule {
    public DubboModule() {
        super("dubbo");
    }

    @Override
    public List<String> landmarkClasses() {
        return Arrays.asList(
                "org.apache.dubbo.rpc.protocol.AbstractInvoker",
                "org.apache.dubbo.rpc.model.ScopeModel");   // added in 3.0: the floor
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.<TypeInstrumentation>asList(new ConsumerInstrumentation(), new ClusterInstrumentation(),
                new ResponseFutureInstrumentation(), new TripleFutureInstrumentation(), new ProviderInstrumentation());
    }
}
