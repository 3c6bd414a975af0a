package io.rpctrace.testing.http;

import io.rpctrace.testing.TraceRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The requests a server's {@code metric.ip} scenario sends (metrics-it's JDK server and Tomcat,
 * reactor-it's Reactor Netty), shared with the tests that check the resulting records: four client
 * IPs, one of them the TCP peer (127.0.0.1), two named by {@code X-Forwarded-For} and one by
 * {@code X-Real-IP}; a server answers {@code /bad} 400, {@code /fail} 503, anything else 200, with
 * the {@code ?out=} number of body bytes.
 */
public final class IpTraffic {
    /** The figures of a {@code metric.ip} record that {@link #expected} and {@link #perIp} compare. */
    public static final List<String> FIGURES = List.of("requests", "errors", "bad_requests", "bytes_in", "bytes_out");

    /** One request: a client header line (or none), the path (its status), body length, chunked or not, response length. */
    public record Request(String ip, String header, String path, int bodyLen, boolean chunked, int outLen) {
        public int status() {
            return path.equals("/bad") ? 400 : path.equals("/fail") ? 503 : 200;
        }
    }

    public static final String DIRECT = "127.0.0.1";
    public static final String XFF_1 = "203.0.113.7";
    public static final String XFF_2 = "198.51.100.9";
    public static final String REAL_IP = "192.0.2.5";

    public static final List<Request> REQUESTS = List.of(
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

    /** {@code r} as raw HTTP/1.1 to {@code 127.0.0.1:port}: a fixed-length or chunked (two chunks) body. */
    public static byte[] request(int port, Request r) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String head = (r.bodyLen() > 0 ? "POST " : "GET ") + r.path() + "?out=" + r.outLen() + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\nConnection: close\r\n"
                + (r.header() == null ? "" : r.header() + "\r\n");
        byte[] body = new byte[r.bodyLen()];
        Arrays.fill(body, (byte) 'x');
        if (r.chunked()) {
            head += "Transfer-Encoding: chunked\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            int half = body.length / 2; // two chunks
            for (int[] c : new int[][] {{0, half}, {half, body.length - half}}) {
                out.write((Integer.toHexString(c[1]) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(body, c[0], c[1]);
                out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        } else {
            if (r.bodyLen() > 0) {
                head += "Content-Length: " + body.length + "\r\n";
            }
            out.write((head + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
        }
        return out.toByteArray();
    }

    /** The {@link #FIGURES} {@link #REQUESTS} should give per client IP (a chunked body counted or 0). */
    public static Map<String, Map<String, Long>> expected(boolean chunkedCounted) {
        Map<String, Map<String, Long>> want = new TreeMap<>();
        for (Request r : REQUESTS) {
            Map<String, Long> m = want.computeIfAbsent(r.ip(), k -> new TreeMap<>());
            m.merge("requests", 1L, Long::sum);
            m.merge("errors", r.status() >= 500 ? 1L : 0L, Long::sum);
            m.merge("bad_requests", r.status() == 400 ? 1L : 0L, Long::sum);
            m.merge("bytes_in", r.chunked() && !chunkedCounted ? 0L : r.bodyLen(), Long::sum);
            m.merge("bytes_out", (long) r.outLen(), Long::sum);
        }
        return want;
    }

    /** Sums of {@link #FIGURES} per client IP over the {@code metric.ip} records of one window length. */
    public static Map<String, Map<String, Long>> perIp(List<TraceRecord> ipRecords, long windowS) {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        for (TraceRecord r : ipRecords) {
            if (number(r, "window_s") != windowS) {
                continue;
            }
            Map<String, Long> m = out.computeIfAbsent(r.string("x_client_ip"), k -> new TreeMap<>());
            for (String f : FIGURES) {
                m.merge(f, number(r, f), Long::sum);
            }
        }
        return out;
    }

    private static long number(TraceRecord r, String key) {
        Object v = r.extra(key);
        if (!(v instanceof Number)) {
            throw new AssertionError("x_extra." + key + " is not a number in " + r);
        }
        return ((Number) v).longValue();
    }
}
