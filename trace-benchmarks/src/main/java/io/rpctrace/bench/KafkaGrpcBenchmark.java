package io.rpctrace.bench;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.config.Config;
import io.rpctrace.grpc.TracingClientInterceptor;
import io.rpctrace.grpc.TracingServerInterceptor;
import io.rpctrace.instrumentation.kafka.ConsumeScopes;
import io.rpctrace.instrumentation.kafka.PolledBatch;
import io.rpctrace.instrumentation.kafka.ConsumedHeaders;
import io.rpctrace.instrumentation.kafka.ProduceCall;
import io.rpctrace.internal.SpanHooks;
import io.rpctrace.kafka.SendCallback;
import io.rpctrace.record.RecordNames;
import io.rpctrace.internal.Tracing;
import io.rpctrace.record.Record;
import io.rpctrace.testing.grpc.StringMethods;
import io.rpctrace.writer.RecordWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 7: the cost rpctrace adds per Kafka send, per consumed message and per unary gRPC
 * call, each against the same operation untraced, in one run ({@code tracing=off|on}).
 *
 * <ul>
 *   <li>{@code grpcUnary}: a real unary call over an in-process channel (direct executor);
 *       {@code on} adds {@code TracingClientInterceptor}/{@code TracingServerInterceptor},
 *       the classes the agent adds to every channel and server.</li>
 *   <li>{@code kafkaSend}: building a message and its headers; {@code on} adds what the
 *       agent's send and acknowledgement advice do (start the call, write the id headers,
 *       bind the completion, end it with partition/offset and write {@code kafka.produce}).
 *       The network round trip, identical in both, is left out so the difference is visible.</li>
 *   <li>{@code kafkaConsume}: scanning a message's headers and taking it from the batch;
 *       {@code on} adds the poll advice's registration and the per-message scope
 *       ({@code kafka.consume} written) of the iteration wrapper.</li>
 * </ul>
 * All inside a served request, as in an application. Records go to the file writer.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Drpctrace.log.dir=/tmp/rpctrace-bench", "-Drpctrace.service=bench"})
public class KafkaGrpcBenchmark {
    static final MethodDescriptor<String, String> SAY = StringMethods.unary("bench.Echo/Say");

    /** {@code bench.Echo}: {@code Say} answers with the request. */
    static ServerServiceDefinition echo() {
        return StringMethods.service(SAY, (req, out) -> {
            out.onNext(req);
            out.onCompleted();
        });
    }

    /**
     * {@code -Dbench.writer=discard} (JMH {@code -jvmArgsAppend}) replaces the file writer by one
     * that drops every record after it was filled: the instrumentation's own cost, without
     * encoding and I/O (measured by the writer's benchmarks).
     */
    static void chooseWriter() {
        if ("discard".equals(System.getProperty("bench.writer")) && !(Tracing.get().writer() instanceof Discard)) {
            Tracing.start(Config.load(null), new Discard());
        }
    }

    static final class Discard implements RecordWriter {
        private final ThreadLocal<Record> slot = ThreadLocal.withInitial(Record::new);

        @Override public Record claim() { return slot.get().reset(); }
        @Override public void publish(Record record) { }
        @Override public void flush() { }
        @Override public void close() { }
        @Override public long dropped() { return 0; }
        @Override public long written() { return 0; }
    }

    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class GrpcState {
        @Param({"off", "on"})
        public String tracing;
        Server server;
        ManagedChannel managed;
        Channel channel;

        @Setup
        public void start() throws IOException {
            chooseWriter();
            boolean on = tracing.equals("on");
            String name = "bench-" + tracing;
            ServerServiceDefinition echo = echo();
            server = InProcessServerBuilder.forName(name).directExecutor()
                    .addService(on ? ServerInterceptors.intercept(echo, new TracingServerInterceptor()) : echo)
                    .build().start();
            managed = InProcessChannelBuilder.forName(name).directExecutor().build();
            channel = on ? ClientInterceptors.intercept(managed, new TracingClientInterceptor()) : managed;
        }

        @TearDown
        public void stop() {
            managed.shutdownNow();
            server.shutdownNow();
        }
    }

    @State(org.openjdk.jmh.annotations.Scope.Thread)
    public static class Request {
        @Param({"off", "on"})
        public String tracing;
        boolean on;
        Span request;
        final List<ConsumerRecord<String, String>> batch = new ArrayList<>();
        int next;

        @Setup(Level.Iteration)
        public void enter() {
            chooseWriter();
            on = tracing.equals("on");
            request = Trace.enter(null, null);
            for (int i = 0; i < 1024; i++) {
                ConsumerRecord<String, String> r = new ConsumerRecord<>("orders", 0, i, "k", "order-" + i);
                r.headers().add("x-trace-id", "4bf92f3577b34da6a3ce929d0e0e4736".getBytes(StandardCharsets.UTF_8));
                r.headers().add("x-rpc-id", "0.2".getBytes(StandardCharsets.UTF_8));
                r.headers().add("app", "v".getBytes(StandardCharsets.UTF_8));
                batch.add(r);
            }
        }

        @TearDown(Level.Iteration)
        public void exit() {
            request.close();
            batch.clear();
        }
    }

    /** A channel and a server call without a transport: what is left is the interceptors' own work. */
    @State(org.openjdk.jmh.annotations.Scope.Thread)
    public static class Bare {
        @Param({"off", "on"})
        public String tracing;
        ClientInterceptor client;
        ServerInterceptor server;
        final Channel channel = new Channel() {
            @Override
            public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
                return new BareClientCall<>();
            }

            @Override
            public String authority() {
                return "127.0.0.1:50051";
            }
        };
        final ServerCallHandler<String, String> handler = (call, headers) -> {
            call.sendHeaders(new Metadata());
            call.sendMessage("hi");
            call.close(Status.OK, new Metadata());
            return new ServerCall.Listener<String>() { };
        };

        @Setup
        public void start() {
            chooseWriter();
            boolean on = tracing.equals("on");
            client = on ? new TracingClientInterceptor() : null;
            server = on ? new TracingServerInterceptor() : null;
        }
    }

    static final class BareClientCall<Q, R> extends ClientCall<Q, R> {
        private Listener<R> listener;

        @Override public void start(Listener<R> l, Metadata headers) { listener = l; }
        @Override public void request(int n) { }
        @Override public void cancel(String message, Throwable cause) { }
        @Override public void sendMessage(Q message) { }

        @Override
        public void halfClose() {
            listener.onClose(Status.OK, new Metadata());
        }
    }

    static final class BareServerCall extends ServerCall<String, String> {
        @Override public void request(int n) { }
        @Override public void sendHeaders(Metadata headers) { }
        @Override public void sendMessage(String message) { }
        @Override public void close(Status status, Metadata trailers) { }
        @Override public boolean isCancelled() { return false; }
        @Override public MethodDescriptor<String, String> getMethodDescriptor() { return SAY; }
    }

    /**
     * One unary call through the client interceptor and, with the metadata it wrote, through
     * the server interceptor, on channels without a transport: the per-call cost the agent adds.
     */
    @Benchmark
    public Object grpcInterceptors(Bare b) {
        Channel ch = b.client == null ? b.channel : ClientInterceptors.intercept(b.channel, b.client);
        ClientCall<String, String> call = ch.newCall(SAY, CallOptions.DEFAULT);
        Metadata headers = new Metadata();
        call.start(new ClientCall.Listener<String>() { }, headers);
        call.sendMessage("hi");
        call.halfClose();
        BareServerCall served = new BareServerCall();
        return b.server == null ? b.handler.startCall(served, headers)
                : b.server.interceptCall(served, headers, b.handler);
    }

    /** One unary call, client and server side. */
    @Benchmark
    public String grpcUnary(GrpcState s) {
        return ClientCalls.blockingUnaryCall(s.channel, SAY, CallOptions.DEFAULT, "hi");
    }

    private static final ProduceCall.Factory CALLS = new SendCallback.Factory();

    /** One send's own work, as the send advice and the call's callback see it. */
    @Benchmark
    public Object kafkaSend(Request req) {
        ProducerRecord<String, String> record = new ProducerRecord<>("orders", "k", "order-1");
        Headers headers = record.headers();
        headers.add("app", new byte[] {1});
        if (!req.on) {
            return record;
        }
        ProduceCall call = CALLS.newCall(SpanHooks.call(RecordNames.KAFKA_PRODUCE).action(record.topic()), null, null);
        call.addHeaders(headers);
        if (call.claim()) {   // what the producer's acknowledgement does through the call's callback
            call.acked("127.0.0.1:9092", 0, 42, 7);
        }
        return record;
    }

    /** One message taken from a polled batch and processed (a trivial body). */
    @Benchmark
    public Object kafkaConsume(Request req) {
        ConsumerRecord<String, String> r = req.batch.get(req.next++ & 1023);
        if (!req.on) {
            int n = 0;
            for (Header h : r.headers()) {
                n += h.key().length();
            }
            Iterator<ConsumerRecord<String, String>> it = List.of(r).iterator();
            return it.next().value().length() + n;
        }
        Object[] ids = null;
        for (Header h : r.headers()) {
            if (ConsumedHeaders.wanted(h.key())) {
                ids = ConsumedHeaders.addHeader(ids, h.key(), h.value());
            }
        }
        PolledBatch batch = new PolledBatch("billing", 1);
        batch.add(r, r.topic(), r.partition(), r.offset(), ids);
        ConsumeScopes.polled(req, batch);
        Iterator<ConsumerRecord<String, String>> it = ConsumeScopes.iterator(req, List.of(r).iterator());
        int len = it.next().value().length();
        it.hasNext();   // ends the message's scope: kafka.consume is written
        return len;
    }
}
