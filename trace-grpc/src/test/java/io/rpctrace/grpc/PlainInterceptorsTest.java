package io.rpctrace.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.config.Config;
import io.rpctrace.internal.Tracing;
import io.rpctrace.record.Record;
import io.rpctrace.writer.RecordWriter;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The interceptors as a user without the agent adds them (SPEC §1 rules 1 and 2 over gRPC metadata). */
class PlainInterceptorsTest {
    static final MethodDescriptor.Marshaller<String> UTF8 = new MethodDescriptor.Marshaller<String>() {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
    };
    static final MethodDescriptor<String, String> ECHO = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName("demo.Echo/Say")
            .setRequestMarshaller(UTF8).setResponseMarshaller(UTF8).build();

    static final List<Record> RECORDS = Collections.synchronizedList(new ArrayList<>());
    static Server server;
    static ManagedChannel channel;

    @BeforeAll
    static void start() throws Exception {
        Tracing.start(Config.of(Collections.emptyMap()), new RecordWriter() {
            @Override public Record claim() { return new Record(); }
            @Override public void publish(Record r) { RECORDS.add(r); }
            @Override public void flush() { }
            @Override public void close() { }
            @Override public long dropped() { return 0; }
            @Override public long written() { return RECORDS.size(); }
        });
        ServerServiceDefinition echo = ServerServiceDefinition.builder("demo.Echo")
                .addMethod(ECHO, ServerCalls.asyncUnaryCall((req, out) -> {
                    if (req.equals("fail")) {
                        out.onError(Status.NOT_FOUND.withDescription("no such order").asRuntimeException());
                        return;
                    }
                    String served = Trace.rpcId();   // before the call moves the counter
                    try (Span db = Trace.call("h2.request").action("select 1")) {
                        out.onNext(served);
                    }
                    out.onCompleted();
                })).build();
        server = InProcessServerBuilder.forName("plain").directExecutor()
                .addService(ServerInterceptors.intercept(echo, new TracingServerInterceptor(), new TracingServerInterceptor()))
                .build().start();
        channel = InProcessChannelBuilder.forName("plain").directExecutor().build();
    }

    @AfterAll
    static void stop() {
        channel.shutdownNow();
        server.shutdownNow();
    }

    @BeforeEach
    void clear() {
        RECORDS.clear();
    }

    private static List<Record> named(String name) {
        synchronized (RECORDS) {
            return RECORDS.stream().filter(r -> r.name().equals(name)).collect(Collectors.toList());
        }
    }

    @Test
    void callerAndServerShareOneTrace() {
        // Two copies of each interceptor: the call is still written once on each side.
        io.grpc.Channel traced = ClientInterceptors.intercept(channel, new TracingClientInterceptor(),
                new TracingClientInterceptor());
        String served;
        String traceId;
        try (Span req = Trace.enter(null, null)) {
            traceId = req.traceId();
            served = ClientCalls.blockingUnaryCall(traced, ECHO, CallOptions.DEFAULT, "hi");
        }
        assertEquals("0.2.1", served);   // the handler runs in the server scope
        Record call = single("grpc.request");
        assertEquals("0.2", call.rpcId());
        assertEquals(traceId, call.traceId());
        assertEquals("demo.Echo/Say", call.action());
        assertEquals("OK", call.code());
        // the caller's own request.info is 0.1; the served one 0.2.1, written once
        List<Record> servedRecords = named("request.info").stream().filter(r -> r.rpcId().equals("0.2.1"))
                .collect(Collectors.toList());
        assertEquals(1, servedRecords.size());
        Record info = servedRecords.get(0);
        assertEquals(traceId, info.traceId());
        assertEquals("demo.Echo/Say", info.action());
        assertEquals("0.2.2", single("h2.request").rpcId());
    }

    @Test
    void applicationStatusIsAnError() {
        io.grpc.Channel traced = ClientInterceptors.intercept(channel, new TracingClientInterceptor());
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> ClientCalls.blockingUnaryCall(traced, ECHO, CallOptions.DEFAULT, "fail"));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        Record call = single("grpc.request.error");
        assertEquals("NOT_FOUND", call.code());
        assertEquals("no such order", call.msg());
        assertEquals("0.1", call.rpcId());   // outside any scope: a trace of its own (rule 6)
        Record info = single("request.info.error");
        assertEquals("NOT_FOUND", info.code());
        assertEquals(call.traceId(), info.traceId());
        assertEquals("0.1.1", info.rpcId());
    }

    private static Record single(String name) {
        List<Record> l = named(name);
        assertEquals(1, l.size(), name + " in " + RECORDS.stream().map(Record::name).collect(Collectors.toList()));
        return l.get(0);
    }
}
