package io.rpctrace.it.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.testing.AgentRecords;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.RpcIds;
import io.rpctrace.testing.TraceRecord;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Channels and servers built the plain way, no interceptor in the application's code: the
 * agent adds them. Netty on 127.0.0.1 and in-process.
 */
class GrpcTracingTest {
    static Server netty;
    static Server inProcess;
    static ManagedChannel nettyChannel;
    static ManagedChannel inProcessChannel;
    static String nettyTarget;

    AgentRecords agent;

    @BeforeAll
    static void start() throws Exception {
        netty = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(Demo.echo(null)).build().start();
        nettyTarget = "127.0.0.1:" + netty.getPort();
        nettyChannel = Grpc.newChannelBuilder(nettyTarget, InsecureChannelCredentials.create()).build();
        inProcess = InProcessServerBuilder.forName("echo").addService(Demo.echo(null)).build().start();
        inProcessChannel = InProcessChannelBuilder.forName("echo").build();
        // connect once, so that a test's deadline is spent in the server, not on connecting
        Demo.say(nettyChannel, "warm-up");
    }

    @AfterAll
    static void stop() throws Exception {
        nettyChannel.shutdownNow();
        inProcessChannel.shutdownNow();
        netty.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        inProcess.shutdownNow();
    }

    @BeforeEach
    void mark() {
        agent = AgentRecords.start();
    }

    @Test
    void nettyUnary() {
        unary(nettyChannel, nettyTarget, "127.0.0.1");
    }

    @Test
    void inProcessUnary() {
        unary(inProcessChannel, null, null);
    }

    private void unary(ManagedChannel channel, String host, String clientIp) {
        String answer;
        String traceId;
        try (Span req = Trace.enter(null, null)) {
            traceId = req.traceId();
            answer = Demo.say(channel, "hi");
        }
        Records trace = Records.of(agent.flush()).inTrace(traceId);
        // rule 2: the call is the request's first call, 0.2 exactly: the tasks gRPC and Netty hand
        // to their executors and event loops write nothing and take no id (rule 4)
        Records.RecordAssert call = trace.named("grpc.request").single().hasRpcId("0.2")
                .has("x_action", "demo.Echo/Say").has("x_code", "OK");
        String callId = call.rpcId();
        if (host != null) {
            call.has("x_host", host);
        }
        // rule 1: the handler ran in the served scope callId.1; its own call is callId.2
        assertEquals(traceId + " " + callId + ".1", answer);
        Records.RecordAssert info = trace.named("request.info").where(r -> (callId + ".1").equals(r.rpcId())).single()
                .has("x_action", "demo.Echo/Say").has("x_code", "OK");
        if (clientIp != null) {
            info.has("x_client_ip", clientIp);
        }
        trace.named("h2.request").single().hasRpcId(callId + ".2");
        assertEquals(List.of("0.1", "0.2", "0.2.1", "0.2.2"), trace.rpcIds(), trace.toString());
        trace.assertUniqueIds().assertNoGaps();
    }

    @Test
    void nettyServerStreaming() {
        streaming(nettyChannel);
    }

    @Test
    void inProcessServerStreaming() {
        streaming(inProcessChannel);
    }

    private void streaming(ManagedChannel channel) {
        List<String> got = new ArrayList<>();
        String traceId;
        try (Span req = Trace.enter(null, null)) {
            traceId = req.traceId();
            Iterator<String> it = ClientCalls.blockingServerStreamingCall(channel, Demo.COUNT, CallOptions.DEFAULT, "3");
            it.forEachRemaining(got::add);
        }
        Records trace = Records.of(agent.flush()).inTrace(traceId);
        String callId = trace.named("grpc.request").single().hasRpcId("0.2").has("x_action", "demo.Echo/Count")
                .has("x_code", "OK").has("x_response_len", "3").rpcId();
        assertEquals(List.of(callId + ".1", callId + ".1", callId + ".1"), got);
        trace.named("request.info").where(r -> (callId + ".1").equals(r.rpcId())).single()
                .has("x_action", "demo.Echo/Count").has("x_response_len", "3");
    }

    @Test
    void nettyApplicationStatus() {
        applicationStatus(nettyChannel);
    }

    @Test
    void inProcessApplicationStatus() {
        applicationStatus(inProcessChannel);
    }

    private void applicationStatus(ManagedChannel channel) {
        String traceId;
        try (Span req = Trace.enter(null, null)) {
            traceId = req.traceId();
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> Demo.say(channel, "fail"));
            assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        }
        Records trace = Records.of(agent.flush()).inTrace(traceId);
        String callId = trace.named("grpc.request.error").single().has("x_code", "NOT_FOUND")
                .has("x_msg", "no such order").rpcId();
        trace.named("request.info.error").single().hasRpcId(callId + ".1").has("x_code", "NOT_FOUND");
    }

    @Test
    void nettyDeadlineExceeded() {
        deadlineExceeded(nettyChannel, nettyTarget);
    }

    @Test
    void inProcessDeadlineExceeded() {
        deadlineExceeded(inProcessChannel, null);
    }

    private void deadlineExceeded(ManagedChannel channel, String host) {
        String traceId;
        try (Span req = Trace.enter(null, null)) {
            traceId = req.traceId();
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                    () -> ClientCalls.blockingUnaryCall(channel, Demo.SAY,
                            CallOptions.DEFAULT.withDeadlineAfter(200, TimeUnit.MILLISECONDS), "slow"));
            assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
        }
        Records trace = Records.of(agent.flush()).inTrace(traceId);
        Records.RecordAssert call = trace.named("grpc.request.error").single().has("x_code", "DEADLINE_EXCEEDED");
        if (host != null) {
            call.has("x_host", host);
        }
        String callId = call.rpcId();
        // the server sees the cancellation: its record is written once, as an error
        List<TraceRecord> served = List.of();
        for (int i = 0; i < 50 && served.isEmpty(); i++) {
            Demo.sleep(100);
            served = Records.of(agent.flush()).inTrace(traceId).where(r -> (callId + ".1").equals(r.rpcId())).list();
        }
        assertEquals(1, served.size(), served.toString());
        assertEquals("request.info.error", served.get(0).name());
        assertEquals(callId + ".1", served.get(0).rpcId());
    }

    @Test
    void debugModeReachesTheServer() throws Exception {
        Server debugServer = InProcessServerBuilder.forName("debug")
                .addService(Demo.echo(req -> "debug=" + Trace.isDebug())).build().start();
        ManagedChannel ch = InProcessChannelBuilder.forName("debug").build();
        try {
            String answer;
            try (Span req = Trace.enter(Map.of("X-Debug", "1", "X-Debug-Token", "s3cret")::get)) {
                answer = Demo.say(ch, "hi");
            }
            assertTrue(answer.endsWith(" debug=true"), answer);
            String plain = Demo.say(ch, "hi");
            assertTrue(plain.endsWith(" debug=false"), plain);
        } finally {
            ch.shutdownNow();
            debugServer.shutdownNow();
        }
    }

    @Test
    void unavailable() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        ManagedChannel nowhere = Grpc.newChannelBuilder("127.0.0.1:" + closed, InsecureChannelCredentials.create()).build();
        try {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> Demo.say(nowhere, "hi"));
            assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        } finally {
            nowhere.shutdownNow();
        }
        // outside any scope: a trace of its own, id 0.1 (docs/model.md#rule-6)
        TraceRecord r = Records.of(agent.flush()).named("grpc.request.error")
                .where(x -> ("127.0.0.1:" + closed).equals(x.string("x_host"))).single()
                .hasRpcId("0.1").has("x_code", "UNAVAILABLE").record();
        assertTrue(r.traceId().length() == 32, r.line());
    }

    @Test
    void inProcessUnavailable() {
        ManagedChannel nowhere = InProcessChannelBuilder.forName("no-such-server").build();
        String traceId;
        try (Span req = Trace.enter(null, null)) {
            traceId = req.traceId();
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> Demo.say(nowhere, "hi"));
            assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        } finally {
            nowhere.shutdownNow();
        }
        String callId = Records.of(agent.flush()).inTrace(traceId).named("grpc.request.error").single()
                .has("x_code", "UNAVAILABLE").has("x_action", "demo.Echo/Say").rpcId();
        assertEquals(2, RpcIds.depth(callId), callId);
    }

    @Test
    void aChannelBuiltTwiceFromOneBuilderTracesOnce() {
        io.grpc.ManagedChannelBuilder<?> b = InProcessChannelBuilder.forName("echo");
        ManagedChannel one = b.build();
        ManagedChannel two = b.build();
        try (Span req = Trace.enter(null, null)) {
            Demo.say(two, "hi");
            String traceId = req.traceId();
            req.close();
            Records.of(agent.flush()).inTrace(traceId).named("grpc.request").single();
        } finally {
            one.shutdownNow();
            two.shutdownNow();
        }
    }

    /**
     * metric.ip bytes need a peer IP, which an in-process call never has: the agent gives an
     * in-process server no stream tracer (a tracer and its Context per call, ~200 B), a Netty
     * server the wire-size tracer that feeds bytes_in/bytes_out.
     */
    @Test
    void onlyAServerWithPeerAddressesGetsTheWireSizeTracer() throws Exception {
        assertTrue(streamTracerFactories(netty).stream().anyMatch(f -> f.getClass().getName().contains("WireSizes")),
                () -> "Netty: " + streamTracerFactories(netty));
        assertTrue(streamTracerFactories(inProcess).stream().noneMatch(f -> f.getClass().getName().contains("WireSizes")),
                () -> "in-process: " + streamTracerFactories(inProcess));
    }

    /** The stream tracer factories a built server hands its transport (ServerImpl.transportServer's). */
    private static List<?> streamTracerFactories(Server server) {
        try {
            java.lang.reflect.Field transport = server.getClass().getDeclaredField("transportServer");
            transport.setAccessible(true);
            Object transportServer = transport.get(server);
            java.lang.reflect.Field factories = transportServer.getClass().getDeclaredField("streamTracerFactories");
            factories.setAccessible(true);
            return (List<?>) factories.get(transportServer);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
