package io.rpctrace.instrumentation.grpc;

import io.rpctrace.instrumentation.api.InstrumentationModule;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import io.rpctrace.internal.HelperClasses;
import java.util.Arrays;
import java.util.List;

/**
 * Module {@code grpc}: every {@code ManagedChannel} and {@code Server} the application builds gets
 * the interceptors of {@code trace-grpc} ({@code grpc.request} on the client, {@code request.info}
 * on the server, ids in the metadata, docs/propagation.md#headers), without a code change.
 *
 * <p>Design note: the interceptors must implement the application's gRPC types, so they
 * cannot live in the agent's loader or on the bootstrap path. Their bytes travel in the
 * agent jar and are defined next to the application's gRPC ({@link HelperClasses}); when the
 * application ships {@code trace-grpc} itself, its classes are used, and an interceptor the
 * application added by hand recognises the agent's and steps aside.
 */
public final class GrpcModule extends InstrumentationModule {
    static final String CLIENT_INTERCEPTOR = "io.rpctrace.grpc.TracingClientInterceptor";
    static final String SERVER_INTERCEPTOR = "io.rpctrace.grpc.TracingServerInterceptor";

    public GrpcModule() {
        super("grpc");
        HelperClasses.register(GrpcModule.class.getClassLoader(), "io.rpctrace.grpc.");
    }

    @Override
    public List<String> landmarkClasses() {
        return Arrays.asList(
                "io.grpc.ManagedChannelBuilder",
                // grpc-api: the forwarding listener the server interceptor extends (public API since 1.0)
                "io.grpc.ForwardingServerCallListener$SimpleForwardingServerCallListener");
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.<TypeInstrumentation>asList(new ChannelBuilderInstrumentation(), new ServerBuilderInstrumentation());
    }
}
