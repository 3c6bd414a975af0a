package io.rpctrace.it.webflux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.channel.ChannelOption;
import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.testing.AgentRecords;
import io.rpctrace.testing.AwaitRecords;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.http.FaultyServer;
import io.rpctrace.testing.http.HttpClientContract;
import io.rpctrace.testing.http.TestClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;

/**
 * Spring's WebClient on Reactor Netty's HttpClient through the scenarios every HTTP client passes:
 * the next id carried downstream, POST, error statuses, and the failure classes on real sockets (a
 * closed port, a peer that closes or resets, one that never answers within {@code responseTimeout},
 * an unresolvable name, TLS to a plain server), each recorded once; plus a connect that times out
 * (a listener whose accept queue is full) and a call the caller cancels.
 */
class WebClientFailuresTest extends HttpClientContract {
    private static WebClient webClient(int timeoutMs) {
        HttpClient http = HttpClient.create().responseTimeout(Duration.ofMillis(timeoutMs))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMs);
        return WebClient.builder().clientConnector(new ReactorClientHttpConnector(http)).build();
    }

    @Override
    protected TestClient client() {
        return (method, url, headers, body, timeoutMs) -> {
            WebClient.RequestBodySpec spec = webClient(timeoutMs).method(HttpMethod.valueOf(method)).uri(url)
                    .headers(h -> headers.forEach(h::set));
            WebClient.RequestHeadersSpec<?> request = body == null ? spec : spec.bodyValue(body);
            return request.exchangeToMono(response -> response.bodyToMono(String.class).defaultIfEmpty("")
                    .map(text -> new TestClient.Response(response.statusCode().value(),
                            response.headers().asHttpHeaders().getFirst("X-Trace-Id"), text)))
                    .block(Duration.ofMillis(timeoutMs * 4L));
        };
    }

    @Test
    void aConnectThatTimesOutIsConnectTimeout() throws Exception {
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> queued = new ArrayList<>();
            try {
                // fill the accept queue of a listener that never accepts: the kernel then drops SYNs
                boolean filled = false;
                for (int i = 0; i < 16 && !filled; i++) {
                    Socket s = new Socket();
                    queued.add(s);
                    try {
                        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), full.getLocalPort()), 300);
                    } catch (SocketTimeoutException e) {
                        filled = true;
                    }
                }
                Assumptions.assumeTrue(filled, "this kernel accepts connections beyond the listen backlog");
                AgentRecords agent = AgentRecords.start();
                String trace;
                try (Span req = Trace.enter(null, null)) {
                    trace = Trace.traceId();
                    assertThrows(Exception.class, () -> client().send("GET",
                            "http://127.0.0.1:" + full.getLocalPort() + "/x", Map.of(), null, 300));
                }
                Records t = AwaitRecords.until(agent, x -> x.inTrace(trace).named("http.get.error").size() >= 1)
                        .inTrace(trace);
                t.named("http.get.error").single().hasRpcId("0.2").has("x_code", "CONNECT_TIMEOUT")
                        .has("x_host", "127.0.0.1:" + full.getLocalPort());
                assertEquals(1, t.where(x -> x.name().startsWith("http.")).size(), t.toString());
            } finally {
                for (Socket s : queued) {
                    s.close();
                }
            }
        }
    }

    @Test
    void aCallTheCallerCancelsIsCancelledOnce() throws Exception {
        try (FaultyServer hang = new FaultyServer(FaultyServer.Mode.HANG)) {
            AgentRecords agent = AgentRecords.start();
            String trace;
            try (Span req = Trace.enter(null, null)) {
                trace = Trace.traceId();
                assertThrows(RuntimeException.class, () -> webClient(5000).get()
                        .uri("http://127.0.0.1:" + hang.port() + "/x").retrieve().bodyToMono(String.class)
                        .timeout(Duration.ofMillis(200)).block(Duration.ofSeconds(5)));
            }
            AwaitRecords.until(agent, x -> x.inTrace(trace).named("http.get.error").size() >= 1);
            Thread.sleep(300); // nothing more may come: the record is written once
            Records t = Records.of(agent.flush()).inTrace(trace);
            t.named("http.get.error").single().hasRpcId("0.2").has("x_code", "CANCELLED");
            assertEquals(1, t.where(x -> x.name().startsWith("http.")).size(), t.toString());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
