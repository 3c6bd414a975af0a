package io.rpctrace.it.metrics;

import com.sun.net.httpserver.HttpServer;
import io.rpctrace.testing.RawHttp;
import io.rpctrace.testing.http.IpTraffic;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A JDK HttpServer in a JVM with the agent serves {@link IpTraffic#REQUESTS}, sent as raw
 * HTTP/1.1 (fixed-length and chunked bodies). Part of the traffic comes after a pause longer
 * than the shortest window, so that window rolls while the service runs; the JVM then exits
 * and the shutdown hook writes the open windows.
 */
public final class IpScenario {
    public static void main(String[] args) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            String q = ex.getRequestURI().getQuery();
            int out = Integer.parseInt(q.substring(q.indexOf('=') + 1));
            String path = ex.getRequestURI().getPath();
            int status = path.equals("/bad") ? 400 : path.equals("/fail") ? 503 : 200;
            ex.sendResponseHeaders(status, out);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(new byte[out]);
            }
        });
        server.start();
        int port = server.getAddress().getPort();
        int half = IpTraffic.REQUESTS.size() / 2;
        for (int i = 0; i < IpTraffic.REQUESTS.size(); i++) {
            if (i == half) {
                Thread.sleep(1_300); // the 1 s window rolls in between
            }
            IpTraffic.Request r = IpTraffic.REQUESTS.get(i);
            RawHttp.Response rsp = RawHttp.exchange(port, IpTraffic.request(port, r));
            if (rsp.status() != r.status()) {
                throw new AssertionError("status " + rsp.status() + " for " + r);
            }
        }
        server.stop(0);
        Thread.sleep(1_200); // the metrics thread writes at least one interval on its own
    }
}
