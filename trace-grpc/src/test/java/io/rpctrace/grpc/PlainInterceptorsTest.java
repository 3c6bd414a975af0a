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
import io.grpc.stub.StreamObserver;
import com.google.common.util.concurrent.ListenableFuture;
import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.config.Config;
import io.rpctrace.internal.Tracing;
import io.rpctrace.record.Record;
import io.rpctrace.testing.grpc.StringMethods;
import io.rpctrace.writer.RecordWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The interceptors as a user without the agent adds them (docs/model.md#rule-1 and #rule-2 over gRPC metadata). */
class PlainInterceptorsTest {
    static final MethodDescriptor<String, String> ECHO = StringMethods.unary("demo.Echo/Say");

    static final java.util.concurrent.atomic.AtomicReference<StreamObserver<String>> HELD =
            new java.util.concurrent.atomic.AtomicReference<>();
    static final List<Record> RECORDS = Collections.synchronizedList(new ArrayList<>());
    static Server server;
    static ManagedChannel channel;
    /** A channel whose callbacks run on a thread of its own, as with gRPC's default executor. */
    static ManagedChannel pooled;
    static ExecutorService callbacks;

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
        ServerServiceDefinition echo = StringMethods.service(ECHO, (req, out) -> {
            if (req.equals("hold")) {
                HELD.set(out);   // answered later, by the test, from a thread without a scope
                return;
            }
            if (req.equals("fail")) {
                out.onError(Status.NOT_FOUND.withDescription("no such order").asRuntimeException());
                return;
            }
            String served = Trace.rpcId();   // before the call moves the counter
            try (Span db = Trace.call("h2.request").action("select 1")) {
                out.onNext(served);
            }
            out.onCompleted();
        });
        server = InProcessServerBuilder.forName("plain").directExecutor()
                .addService(ServerInterceptors.intercept(echo, new TracingServerInterceptor(), new TracingServerInterceptor()))
                .build().start();
        channel = InProcessChannelBuilder.forName("plain").directExecutor().build();
        callbacks = Executors.newSingleThreadExecutor();
        pooled = InProcessChannelBuilder.forName("plain").executor(callbacks).build();
    }

    @AfterAll
    static void stop() {
        pooled.shutdownNow();
        callbacks.shutdownNow();
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

    /**
     * docs/propagation.md#headers on the metadata: the ids and traceparent reach the server as
     * their strings, and the response carries x-trace-id (the caller's, or the one the server made).
     */
    @Test
    void theIdsTravelInTheMetadataAndTheResponseCarriesTheTraceId() throws Exception {
        java.util.concurrent.atomic.AtomicReference<io.grpc.Metadata> request = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicReference<io.grpc.Metadata> response = new java.util.concurrent.atomic.AtomicReference<>();
        io.grpc.ServerInterceptor seeRequest = seeing(request);
        io.grpc.ClientInterceptor seeResponse = new io.grpc.ClientInterceptor() {
            @Override
            public <Q, R> io.grpc.ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options,
                                                                io.grpc.Channel next) {
                return new io.grpc.ForwardingClientCall.SimpleForwardingClientCall<Q, R>(next.newCall(method, options)) {
                    @Override
                    public void start(Listener<R> listener, io.grpc.Metadata headers) {
                        super.start(new io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener<R>(listener) {
                            @Override
                            public void onHeaders(io.grpc.Metadata h) {
                                response.set(h);
                                super.onHeaders(h);
                            }
                        }, headers);
                    }
                };
            }
        };
        ServerServiceDefinition echo = StringMethods.service(ECHO, (req, out) -> {
            out.onNext(req);
            out.onCompleted();
        });
        Server s = InProcessServerBuilder.forName("plain-metadata").directExecutor()
                .addService(ServerInterceptors.intercept(echo, new TracingServerInterceptor(), seeRequest)).build().start();
        ManagedChannel ch = InProcessChannelBuilder.forName("plain-metadata").directExecutor().build();
        try {
            String traceId;
            try (Span req = Trace.enter(null, null)) {
                traceId = req.traceId();
                ClientCalls.blockingUnaryCall(ClientInterceptors.intercept(ch, seeResponse, new TracingClientInterceptor()),
                        ECHO, CallOptions.DEFAULT, "hi");
            }
            assertEquals(traceId, request.get().get(ascii("x-trace-id")));
            assertEquals("0.2", request.get().get(ascii("x-rpc-id")));
            assertEquals(io.rpctrace.context.Propagation.traceparent(traceId, "0.2"), request.get().get(ascii("traceparent")));
            assertEquals(traceId, response.get().get(ascii("x-trace-id")));
            // a caller without ids: the server's new trace id comes back
            ClientCalls.blockingUnaryCall(ClientInterceptors.intercept(ch, seeResponse), ECHO, CallOptions.DEFAULT, "hi");
            String made = response.get().get(ascii("x-trace-id"));
            List<Record> served = named("request.info");   // the first call's, the caller's own, this one's
            assertEquals(served.get(served.size() - 1).traceId(), made);
        } finally {
            ch.shutdownNow();
            s.shutdownNow();
        }
    }

    /**
     * An OpenTelemetry interceptor of the application's, run before rpctrace's, put its own
     * traceparent on the call: the server receives that one, once, beside this call's ids
     * (docs/propagation.md#headers).
     */
    @Test
    void aTraceparentTheApplicationsInterceptorPutIsKept() throws Exception {
        String own = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        java.util.concurrent.atomic.AtomicReference<io.grpc.Metadata> request = new java.util.concurrent.atomic.AtomicReference<>();
        io.grpc.ServerInterceptor seeRequest = seeing(request);
        io.grpc.ClientInterceptor applicationsTracer = new io.grpc.ClientInterceptor() {
            @Override
            public <Q, R> io.grpc.ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options,
                                                                io.grpc.Channel next) {
                return new io.grpc.ForwardingClientCall.SimpleForwardingClientCall<Q, R>(next.newCall(method, options)) {
                    @Override
                    public void start(Listener<R> listener, io.grpc.Metadata headers) {
                        headers.put(ascii("traceparent"), own);
                        super.start(listener, headers);
                    }
                };
            }
        };
        ServerServiceDefinition echo = StringMethods.service(ECHO, (req, out) -> {
            out.onNext(req);
            out.onCompleted();
        });
        Server s = InProcessServerBuilder.forName("plain-own-traceparent").directExecutor()
                .addService(ServerInterceptors.intercept(echo, seeRequest)).build().start();
        ManagedChannel ch = InProcessChannelBuilder.forName("plain-own-traceparent").directExecutor().build();
        try {
            String traceId;
            try (Span req = Trace.enter(null, null)) {
                traceId = req.traceId();
                // the last interceptor runs first: the application's, then rpctrace's
                ClientCalls.blockingUnaryCall(ClientInterceptors.intercept(ch, new TracingClientInterceptor(), applicationsTracer),
                        ECHO, CallOptions.DEFAULT, "hi");
            }
            assertEquals(List.of(own), iterable(request.get().getAll(ascii("traceparent"))));
            assertEquals(traceId, request.get().get(ascii("x-trace-id")));
            assertEquals("0.2", request.get().get(ascii("x-rpc-id")));
        } finally {
            ch.shutdownNow();
            s.shutdownNow();
        }
    }

    /** A server interceptor that keeps the request metadata of the last call in {@code request}. */
    private static io.grpc.ServerInterceptor seeing(java.util.concurrent.atomic.AtomicReference<io.grpc.Metadata> request) {
        return new io.grpc.ServerInterceptor() {
            @Override
            public <Q, R> io.grpc.ServerCall.Listener<Q> interceptCall(io.grpc.ServerCall<Q, R> call, io.grpc.Metadata headers,
                                                                     io.grpc.ServerCallHandler<Q, R> next) {
                request.set(headers);
                return next.startCall(call, headers);
            }
        };
    }

    private static List<String> iterable(Iterable<String> values) {
        List<String> l = new java.util.ArrayList<>();
        values.forEach(l::add);
        return l;
    }

    private static io.grpc.Metadata.Key<String> ascii(String name) {
        return io.grpc.Metadata.Key.of(name, io.grpc.Metadata.ASCII_STRING_MARSHALLER);
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

    @Test
    void asyncStubCallbacksRunInTheCallersScope() throws Exception {
        io.grpc.Channel traced = ClientInterceptors.intercept(pooled, new TracingClientInterceptor());
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(1);
        String traceId;
        try (Span req = Trace.enter(null, null)) {
            traceId = req.traceId();
            ClientCalls.asyncUnaryCall(traced.newCall(ECHO, CallOptions.DEFAULT), "hi", new StreamObserver<String>() {
                @Override
                public void onNext(String value) {
                    seen.add("next " + Trace.traceId() + " " + Trace.rpcId());
                    // work done in the callback is the caller's next call (rule 2)
                    try (Span db = Trace.call("h2.request").action("select 2")) {
                        seen.add("call " + db.rpcId());
                    }
                }

                @Override
                public void onError(Throwable t) {
                    seen.add("error " + t);
                    done.countDown();
                }

                @Override
                public void onCompleted() {
                    seen.add("completed " + Trace.rpcId());
                    done.countDown();
                }
            });
            assertEquals(true, done.await(10, TimeUnit.SECONDS));
        }
        // the caller's current id (docs/model.md#ids: prefix.counter, 0.2 after its gRPC call), then 0.3
        assertEquals(List.of("next " + traceId + " 0.2", "call 0.3", "completed 0.3"), seen);
        assertEquals("0.2", single("grpc.request").rpcId());
        List<String> local = named("h2.request").stream().map(Record::rpcId).sorted().collect(Collectors.toList());
        assertEquals(List.of("0.2.2", "0.3"), local);   // the server's own call, the callback's
        // nothing stays on the executor's thread once the callbacks returned
        assertEquals("", callbacks.submit(Trace::rpcId).get(10, TimeUnit.SECONDS));
    }

    @Test
    void aFutureStubCompletesInTheCallersScope() throws Exception {
        io.grpc.Channel traced = ClientInterceptors.intercept(pooled, new TracingClientInterceptor());
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(1);
        String caller = Thread.currentThread().getName();
        try (Span req = Trace.enter(null, null)) {
            ListenableFuture<String> answer = ClientCalls.futureUnaryCall(traced.newCall(ECHO, CallOptions.DEFAULT), "hold");
            // a listener that runs where the future completes: in the call's onClose, on gRPC's executor
            answer.addListener(() -> {
                seen.add(Thread.currentThread().getName().equals(caller) ? "on the caller's thread" : Trace.rpcId());
                done.countDown();
            }, Runnable::run);
            Thread server = new Thread(() -> {
                StreamObserver<String> out;
                while ((out = HELD.getAndSet(null)) == null) {
                    Thread.onSpinWait();   // the handler has not run yet
                }
                out.onNext("held");
                out.onCompleted();
            });
            server.start();
            server.join();
            assertEquals("held", answer.get(10, TimeUnit.SECONDS));
            assertEquals(true, done.await(10, TimeUnit.SECONDS));
        }
        assertEquals(List.of("0.2"), seen);   // the caller's current id after its call
        assertEquals("", callbacks.submit(Trace::rpcId).get(10, TimeUnit.SECONDS));
    }

    @Test
    void callbacksOutsideAnyScopeRunWithoutOne() throws Exception {
        io.grpc.Channel traced = ClientInterceptors.intercept(pooled, new TracingClientInterceptor());
        // a scope left on the executor's thread by other code is not the call's
        callbacks.submit(() -> io.rpctrace.context.CurrentScope.set(
                io.rpctrace.context.Scope.enter("4bf92f3577b34da6a3ce929d0e0e4736", "0.7", false))).get(10, TimeUnit.SECONDS);
        try {
            List<String> seen = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch done = new CountDownLatch(1);
            ClientCalls.asyncUnaryCall(traced.newCall(ECHO, CallOptions.DEFAULT), "hi", new StreamObserver<String>() {
                @Override public void onNext(String value) { seen.add("[" + Trace.traceId() + "]"); }
                @Override public void onError(Throwable t) { done.countDown(); }
                @Override public void onCompleted() { done.countDown(); }
            });
            assertEquals(true, done.await(10, TimeUnit.SECONDS));
            assertEquals(List.of("[]"), seen);
            assertEquals("4bf92f3577b34da6a3ce929d0e0e4736",
                    callbacks.submit(Trace::traceId).get(10, TimeUnit.SECONDS), "the thread's own scope is put back");
        } finally {
            callbacks.submit(() -> io.rpctrace.context.CurrentScope.set(null)).get(10, TimeUnit.SECONDS);
        }
    }
}
