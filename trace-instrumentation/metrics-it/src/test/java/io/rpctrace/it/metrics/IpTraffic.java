package io.rpctrace.it.metrics;

import java.util.List;

/**
 * The requests {@link IpScenario} sends, shared with the test that checks the resulting
 * {@code metric.ip} records: four client IPs, one of them the TCP peer (127.0.0.1), two
 * named by {@code X-Forwarded-For} and one by {@code X-Real-IP}.
 */
final class IpTraffic {
    /** One request: a client header line (or none), the path (its status), body length, chunked or not, response length. */
    record Request(String ip, String header, String path, int bodyLen, boolean chunked, int outLen) {
        int status() {
            return path.equals("/bad") ? 400 : path.equals("/fail") ? 503 : 200;
        }
    }

    static final String DIRECT = "127.0.0.1";
    static final String XFF_1 = "203.0.113.7";
    static final String XFF_2 = "198.51.100.9";
    static final String REAL_IP = "192.0.2.5";

    static final List<Request> REQUESTS = List.of(
            new Request(DIRECT, null, "/ok", 100, false, 10),
            new Request(DIRECT, null, "/ok", 100, false, 10),
            new Request(DIRECT, null, "/ok", 100, false, 10),
            new Request(DIRECT, null, "/ok", 0, false, 20),
            // the left-most X-Forwarded-For entry is the client; the proxy after it is not
            new Request(XFF_1, "X-Forwarded-For: " + XFF_1 + ", 10.0.0.1", "/ok", 50, false, 10),
            new Request(XFF_1, "X-Forwarded-For: " + XFF_1 + ", 10.0.0.1", "/bad", 300, true, 5),
            new Request(XFF_1, "X-Forwarded-For: " + XFF_1, "/fail", 0, false, 7),
            new Request(XFF_2, "X-Forwarded-For: " + XFF_2, "/fail", 1000, false, 7),
            new Request(XFF_2, "X-Forwarded-For: " + XFF_2, "/fail", 1000, false, 7),
            new Request(XFF_2, "X-Forwarded-For: " + XFF_2, "/ok", 2000, true, 1),
            new Request(REAL_IP, "X-Real-IP: " + REAL_IP, "/bad", 1, false, 3));

    private IpTraffic() {
    }
}
