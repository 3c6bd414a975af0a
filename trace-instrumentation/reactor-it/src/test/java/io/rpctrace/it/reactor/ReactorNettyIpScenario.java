package io.rpctrace.it.reactor;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.rpctrace.testing.RawHttp;
import io.rpctrace.testing.http.IpTraffic;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A Reactor Netty {@code HttpServer} ({@code route(...)} routes) in a JVM with the agent serves
 * {@link IpTraffic#REQUESTS}, the other servers' {@code metric.ip} traffic: four client IPs, the TCP
 * peer, two behind proxies ({@code X-Forwarded-For}, its left-most entry) and one named by
 * {@code X-Real-IP}. Half of the traffic comes after a pause longer than the 1 s window, so that
 * window rolls while the server runs; the JVM then exits and the shutdown hook writes the open windows.
 */
public final class ReactorNettyIpScenario {
    private ReactorNettyIpScenario() {
    }

    public static void main(String[] args) throws Exception {
        DisposableServer server = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes.get("/{what}", ReactorNettyIpScenario::serve)
                        .post("/{what}", ReactorNettyIpScenario::serve))
                .bindNow();
        int half = IpTraffic.REQUESTS.size() / 2;
        for (int i = 0; i < IpTraffic.REQUESTS.size(); i++) {
            if (i == half) {
                Thread.sleep(1_300); // the 1 s window rolls in between
            }
            IpTraffic.Request r = IpTraffic.REQUESTS.get(i);
            RawHttp.Response rsp = RawHttp.exchange(server.port(), IpTraffic.request(server.port(), r));
            if (rsp.status() != r.status()) {
                throw new AssertionError("status " + rsp.status() + " for " + r);
            }
        }
        server.disposeNow();
        Thread.sleep(1_200); // the metrics thread writes at least one interval on its own
    }

    /** Reads the body, answers {@code /bad} 400, {@code /fail} 503, else 200, with {@code ?out=} bytes. */
    private static Publisher<Void> serve(HttpServerRequest req, HttpServerResponse res) {
        String what = req.param("what");
        int out = Integer.parseInt(new QueryStringDecoder(req.uri()).parameters().get("out").get(0));
        HttpResponseStatus status = "bad".equals(what) ? HttpResponseStatus.BAD_REQUEST
                : "fail".equals(what) ? HttpResponseStatus.SERVICE_UNAVAILABLE : HttpResponseStatus.OK;
        return req.receive().then(Mono.defer(() -> res.status(status)
                .header("Content-Length", String.valueOf(out)).sendByteArray(Mono.just(new byte[out])).then()));
    }
}
