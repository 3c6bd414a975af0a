package io.rpctrace.it.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.testing.AgentRecords;
import io.rpctrace.testing.AwaitRecords;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.RpcIds;
import io.rpctrace.testing.TraceRecord;
import io.rpctrace.testing.http.TestClient;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Client streaming and bidi streaming over Netty on 127.0.0.1 and in-process, with async
 * stubs whose response callbacks call an HTTP service: one record per call on each side with
 * the call's whole duration, the ids of docs/model.md#the-rules on every message the server receives, and the
 * callbacks' HTTP calls in the caller's trace (the caller's next ids, as if the caller had made
 * them). Channels and servers are built without interceptors: the agent adds them.
 */
class StreamingTest {
    static Server netty;
    static Server inProcess;
    static ManagedChannel nettyChannel;
    static ManagedChannel inProcessChannel;
    static HttpServer http;
    static String stockUrl;

    AgentRecords agent;

    @BeforeAll
    static void start() throws Exception {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/stock", ex -> {
            byte[] body = Trace.rpcId().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
        stockUrl = "http://127.0.0.1:" + http.getAddress().getPort() + "/stock";
        netty = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(Demo.echo(null)).build().start();
        nettyChannel = Grpc.newChannelBuilder("127.0.0.1:" + netty.getPort(), InsecureChannelCredentials.create()).build();
        inProcess = InProcessServerBuilder.forName("streaming").addService(Demo.echo(null)).build().start();
        inProcessChannel = InProcessChannelBuilder.forName("streaming").build();
        Demo.say(nettyChannel, "warm-up");
    }

    @AfterAll
    static void stop() throws Exception {
        nettyChannel.shutdownNow();
        inProcessChannel.shutdownNow();
        netty.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        inProcess.shutdownNow();
        http.stop(0);
    }

    @BeforeEach
    void mark() {
        agent = AgentRecords.start();
    }

    @Test
    void nettyClientStreaming() throws Exception {
        clientStreaming(nettyChannel);
    }

    @Test
    void inProcessClientStreaming() throws Exception {
        clientStreaming(inProcessChannel);
    }

    @Test
    void nettyBidiStreaming() throws Exception {
        bidiStreaming(nettyChannel);
    }

    @Test
    void inProcessBidiStreaming() throws Exception {
        bidiStreaming(inProcessChannel);
    }

    /** Three messages 100 ms apart, one answer at the end; the answer's callback calls HTTP. */
    private void clientStreaming(ManagedChannel channel) throws Exception {
        CompletableFuture<String> answer = new CompletableFuture<>();
        CompletableFuture<Void> closed = new CompletableFuture<>();
        List<String> callbackHttp = Collections.synchronizedList(new ArrayList<>());
        String traceId;
        double wall;
        String served;
        long completedMs;
        try (Span req = Trace.enter(null, null)) {
            traceId = req.traceId();
            long t0 = System.nanoTime();
            StreamObserver<String> requests = ClientCalls.asyncClientStreamingCall(
                    channel.newCall(Demo.SUM, CallOptions.DEFAULT), new StreamObserver<String>() {
                        @Override
                        public void onNext(String value) {
                            callbackHttp.add(Trace.traceId() + " " + TestClient.fetch(stockUrl));
                            answer.complete(value);
                        }

                        @Override
                        public void onError(Throwable t) {
                            answer.completeExceptionally(t);
                            closed.completeExceptionally(t);
                        }

                        @Override
                        public void onCompleted() {
                            closed.complete(null);   // onClose: the call's record is written
                        }
                    });
            for (int i = 0; i < 3; i++) {
                requests.onNext("m" + i);
                Demo.sleep(100);
            }
            completedMs = System.currentTimeMillis();
            requests.onCompleted();
            served = answer.get(10, TimeUnit.SECONDS);
            closed.get(10, TimeUnit.SECONDS);
            wall = (System.nanoTime() - t0) / 1e9;
        }
        Records trace = servedHttp(traceId, 1);
        TraceRecord call = trace.named("grpc.request").single().has("x_action", "demo.Echo/Sum")
                .has("x_code", "OK").has("x_response_len", "1").record();
        String callId = call.rpcId();
        assertEquals("0.2", callId, "the request's first call: gRPC's and Netty's own tasks take no id");
        // the record lasts from start to the server's close: at least the 0.3 s of streaming
        double duration = duration(call);
        assertTrue(duration >= 0.3 && duration <= wall, duration + " s, call took " + wall + " s");
        TraceRecord info = trace.named("request.info").where(r -> (callId + ".1").equals(r.rpcId())).single()
                .has("x_action", "demo.Echo/Sum").has("x_code", "OK").has("x_response_len", "1").record();
        // the served record ends after the client half-closed the stream, not at its first message
        // (a lower bound on its duration would depend on how late a loaded machine ran the server)
        double infoEndMs = ((Number) info.fields().get("x_timestamp_ms")).longValue() + duration(info) * 1000;
        assertTrue(infoEndMs >= completedMs - 1 && duration(info) <= duration,
                duration(info) + " s, ended " + (infoEndMs - completedMs) + " ms after the half-close");
        // every message the server received ran in the served scope (prefix callId)
        assertEquals(3, served.split("\\|").length, served);
        for (String seen : served.split("\\|")) {
            callIdCheck(traceId, seen);
            assertEquals(callId, RpcIds.parent(seen.split(" ")[1]), seen);
        }
        callbackJoinsTheCallersTrace(trace, traceId, callId, callbackHttp, 1);
        trace.assertUniqueIds().assertNoGaps();
    }

    /** Two messages 100 ms apart, each answered; each answer's callback calls HTTP. */
    private void bidiStreaming(ManagedChannel channel) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        List<String> answers = Collections.synchronizedList(new ArrayList<>());
        List<String> callbackHttp = Collections.synchronizedList(new ArrayList<>());
        String traceId;
        double wall;
        try (Span req = Trace.enter(null, null)) {
            traceId = req.traceId();
            long t0 = System.nanoTime();
            StreamObserver<String> requests = ClientCalls.asyncBidiStreamingCall(
                    channel.newCall(Demo.CHAT, CallOptions.DEFAULT), new StreamObserver<String>() {
                        @Override
                        public void onNext(String value) {
                            answers.add(value);
                            callbackHttp.add(Trace.traceId() + " " + TestClient.fetch(stockUrl));
                        }

                        @Override
                        public void onError(Throwable t) {
                            done.completeExceptionally(t);
                        }

                        @Override
                        public void onCompleted() {
                            done.complete(null);
                        }
                    });
            requests.onNext("a");
            Demo.sleep(100);
            requests.onNext("b");
            Demo.sleep(100);
            requests.onCompleted();
            done.get(10, TimeUnit.SECONDS);
            wall = (System.nanoTime() - t0) / 1e9;
        }
        Records trace = servedHttp(traceId, 2);
        TraceRecord call = trace.named("grpc.request").single().has("x_action", "demo.Echo/Chat")
                .has("x_code", "OK").has("x_response_len", "2").record();
        String callId = call.rpcId();
        assertEquals("0.2", callId, "the request's first call: gRPC's and Netty's own tasks take no id");
        double duration = duration(call);
        assertTrue(duration >= 0.2 && duration <= wall, duration + " s, call took " + wall + " s");
        trace.named("request.info").where(r -> (callId + ".1").equals(r.rpcId())).single()
                .has("x_action", "demo.Echo/Chat").has("x_code", "OK").has("x_response_len", "2");
        assertEquals(2, answers.size(), answers.toString());
        for (String seen : answers) {
            callIdCheck(traceId, seen);
            assertEquals(callId, RpcIds.parent(seen.split(" ")[1]), seen);
        }
        callbackJoinsTheCallersTrace(trace, traceId, callId, callbackHttp, 2);
        trace.assertUniqueIds().assertNoGaps();
    }

    /** The trace's records once the HTTP server wrote its {@code n} records (after its responses went out). */
    private Records servedHttp(String traceId, int n) {
        return AwaitRecords.until(agent, r -> r.inTrace(traceId).named("request.info")
                .where(x -> stockUrl.equals(x.string("x_action"))).size() >= n).inTrace(traceId);
    }

    /** A message the server received ran in the caller's trace, under a served scope (depth 3). */
    private static void callIdCheck(String traceId, String seen) {
        String[] ids = seen.split(" ");
        assertEquals(traceId, ids[0], seen);
        assertEquals(3, RpcIds.depth(ids[1]), seen);
    }

    /**
     * The response callbacks' HTTP calls: in the caller's trace, numbered by the caller's scope
     * (depth 2, after the gRPC call), each served under its own id.
     */
    private static void callbackJoinsTheCallersTrace(Records trace, String traceId, String callId,
                                                     List<String> callbackHttp, int n) {
        assertEquals(n, callbackHttp.size(), callbackHttp.toString());
        List<String> httpIds = trace.named("http.get").rpcIds();
        assertEquals(n, httpIds.size(), trace.toString());
        for (int i = 0; i < n; i++) {
            String id = httpIds.get(i);
            assertEquals("0." + (3 + i), id, "the calls after the gRPC call 0.2, without a gap: " + httpIds);
            assertTrue(RpcIds.compare(id, callId) > 0, id + " after " + callId);
            assertTrue(callbackHttp.contains(traceId + " " + id + ".1"), callbackHttp + " has " + id + ".1");
            trace.named("request.info").where(r -> (id + ".1").equals(r.rpcId())).single().has("x_action", stockUrl);
        }
    }

    private static double duration(TraceRecord r) {
        return ((Number) r.fields().get("x_duration")).doubleValue();
    }
}
