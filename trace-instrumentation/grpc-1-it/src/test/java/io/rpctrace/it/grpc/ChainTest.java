package io.rpctrace.it.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.testing.AgentRecords;
import io.rpctrace.testing.AwaitRecords;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.RpcIds;
import io.rpctrace.testing.http.TestClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A → gRPC service B → gRPC service C → HTTP service D, all in one trace with the ids of
 * docs/model.md#the-rules, traced by the agent alone (gRPC, HttpURLConnection, the JDK HttpServer); the gRPC
 * hops over Netty on 127.0.0.1, then in-process.
 */
class ChainTest {
    @Test
    void twoNettyServicesAndAnHttpHopShareOneTrace() throws Exception {
        chain(false);
    }

    @Test
    void twoInProcessServicesAndAnHttpHopShareOneTrace() throws Exception {
        chain(true);
    }

    private void chain(boolean inProcess) throws Exception {
        HttpServer d = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        d.createContext("/stock", ex -> {      // served: recorded by the JDK HttpServer instrumentation
            byte[] body = Trace.rpcId().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        d.start();
        String stockUrl = "http://127.0.0.1:" + d.getAddress().getPort() + "/stock";
        Server c = server(inProcess, "chain-c", Demo.echo(req -> TestClient.fetch(stockUrl)));
        ManagedChannel toC = channel(inProcess, "chain-c", c);
        Server b = server(inProcess, "chain-b", Demo.echo(req -> Demo.say(toC, req)));
        ManagedChannel toB = channel(inProcess, "chain-b", b);
        AgentRecords agent = AgentRecords.start();
        try {
            String traceId;
            String answer;
            try (Span a = Trace.enter(null, null)) {
                traceId = a.traceId();
                answer = Demo.say(toB, "order-1");
            }
            // D writes request.info after its response went out: wait for it
            Records trace = AwaitRecords.until(agent, r -> r.inTrace(traceId).named("request.info")
                    .where(x -> stockUrl.equals(x.string("x_action"))).size() >= 1).inTrace(traceId);
            // A calls B as 0.2; B serves 0.2.1 and calls C as 0.2.2; C serves 0.2.2.1 and calls D
            // over HTTP as 0.2.2.2; D serves 0.2.2.2.1. Exact ids: the tasks gRPC and Netty hand to
            // their executors and event loops write nothing and take no id (docs/model.md#rule-4).
            String callB = trace.named("grpc.request").where(r -> RpcIds.depth(r.rpcId()) == 2).single().hasRpcId("0.2").rpcId();
            String callC = trace.named("grpc.request").where(r -> RpcIds.depth(r.rpcId()) == 3).single().hasRpcId("0.2.2").rpcId();
            assertEquals(callB, RpcIds.parent(callC));
            String callD = trace.named("http.get").single().hasRpcId("0.2.2.2").rpcId();
            assertEquals(callC, RpcIds.parent(callD));
            assertEquals(traceId + " " + callB + ".1 " + traceId + " " + callC + ".1 " + callD + ".1", answer);
            trace.named("request.info").where(r -> (callB + ".1").equals(r.rpcId())).single().has("x_action", "demo.Echo/Say");
            trace.named("request.info").where(r -> (callC + ".1").equals(r.rpcId())).single().has("x_action", "demo.Echo/Say");
            trace.named("request.info").where(r -> (callD + ".1").equals(r.rpcId())).single().has("x_action", stockUrl);
            // each handler's own local call is a child of the scope it served
            for (String id : trace.named("h2.request").rpcIds()) {
                String parent = RpcIds.parent(id);
                assertTrue(parent.equals(callB) || parent.equals(callC), id);
            }
            assertEquals(List.of("0.2.2.3", "0.2.3"), trace.named("h2.request").rpcIds());
            assertEquals(List.of("0.1", "0.2", "0.2.1", "0.2.2", "0.2.2.1", "0.2.2.2", "0.2.2.2.1", "0.2.2.3", "0.2.3"),
                    trace.rpcIds(), trace.toString());
            trace.assertUniqueIds().assertNoGaps();
        } finally {
            toB.shutdownNow();
            toC.shutdownNow();
            b.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            d.stop(0);
        }
    }

    private static Server server(boolean inProcess, String name, ServerServiceDefinition service) throws IOException {
        io.grpc.ServerBuilder<?> builder = inProcess ? InProcessServerBuilder.forName(name)
                : NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0));
        return builder.addService(service).build().start();
    }

    private static ManagedChannel channel(boolean inProcess, String name, Server server) {
        return inProcess ? InProcessChannelBuilder.forName(name).build()
                : Grpc.newChannelBuilder("127.0.0.1:" + server.getPort(), InsecureChannelCredentials.create()).build();
    }
}
