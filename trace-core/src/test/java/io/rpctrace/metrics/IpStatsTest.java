package io.rpctrace.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.CollectingWriter;
import io.rpctrace.config.Config;
import io.rpctrace.record.Record;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class IpStatsTest {
    private static final long T0 = 1_700_000_100_000L; // 1m- and 10s-aligned: 1700000100000 % 60000 == 0
    private final AtomicLong now = new AtomicLong(T0);
    private final CollectingWriter out = new CollectingWriter();
    private final Consumer<Record> sink = r -> out.publish(out.claim().copyFrom(r));

    @SuppressWarnings("unchecked")
    private static Map<String, Object> extra(Map<String, Object> rec) {
        return (Map<String, Object>) rec.get("x_extra");
    }

    private Map<String, Map<String, Object>> byIpAndWindow() {
        Map<String, Map<String, Object>> m = new HashMap<>();
        for (Map<String, Object> r : out.records()) {
            assertEquals("metric.ip", r.get("x_name"));
            m.put(r.get("x_client_ip") + "/" + extra(r).get("window_s"), r);
        }
        return m;
    }

    @Test
    void windowsParseAndBadEntriesAreReportedOnce() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Properties p = new Properties();
        p.setProperty("rpctrace.ipstats.windows", "10s, 5m;1h,bogus,1ms");
        Config c = Config.load(null, Collections.<String, String>emptyMap(), p, new PrintStream(err, true));
        long[] w = IpStats.parseWindows(c, "ipstats.windows", "5m");
        assertEquals(3, w.length);
        assertEquals(10_000, w[0]);
        assertEquals(300_000, w[1]);
        assertEquals(3_600_000, w[2]);
        assertTrue(err.toString().contains("ipstats.windows"), err.toString());
        assertEquals(1, err.toString().split("\n").length, "reported once");
    }

    @Test
    void exactFiguresPerIpAndSeveralWindowsRollAtTheirTimes() {
        IpStats ips = new IpStats(new long[] {10_000, 60_000}, 100, now.get());
        MetricsRegistry m = new MetricsRegistry(100, 10_000, sink, ips, now::get);
        ips.record("203.0.113.7", 100, 1000, 2_000_000, 200, false, false, now.get());
        ips.record("203.0.113.7", 300, 3000, 4_000_000, 500, false, false, now.get() + 1);
        ips.record("198.51.100.1", 10, 20, 1_000_000, 400, false, false, now.get() + 2);
        now.addAndGet(10_000);
        m.tick(now.get()); // 10s window closes; written at the next tick (grace)
        assertEquals(0, out.lines().size());
        now.addAndGet(1_000);
        m.tick(now.get());
        Map<String, Map<String, Object>> got = byIpAndWindow();
        assertEquals(2, got.size(), got.keySet().toString());
        Map<String, Object> a = extra(got.get("203.0.113.7/10"));
        assertEquals(2L, a.get("requests"));
        assertEquals(1L, a.get("errors"));
        assertEquals(0L, a.get("bad_requests"));
        assertEquals(400L, a.get("bytes_in"));
        assertEquals(4000L, a.get("bytes_out"));
        assertEquals(200L, a.get("bytes_in_per_request"));
        assertEquals(0.006, (Double) a.get("handled_s"), 1e-9);
        assertEquals(0.003, (Double) a.get("handled_avg_s"), 1e-9);
        assertEquals(0.004, (Double) a.get("handled_max_s"), 1e-9);
        assertEquals(T0, a.get("first_seen_ms"));
        assertEquals(T0 + 1, a.get("last_seen_ms"));
        assertEquals(1L, extra(got.get("198.51.100.1/10")).get("bad_requests"));
        assertEquals(T0, got.get("203.0.113.7/10").get("x_timestamp_ms"), "stamped with the window start");

        out.clear();
        now.set(T0 + 60_000);
        m.tick(now.get());
        now.addAndGet(1_000);
        m.tick(now.get());
        got = byIpAndWindow();
        assertEquals(2L, extra(got.get("203.0.113.7/60")).get("requests"));
        assertEquals(1L, extra(got.get("198.51.100.1/60")).get("requests"));
    }

    @Test
    void aRequestAfterTheWindowsEndOpensTheNextWindowBeforeAnyTick() {
        IpStats ips = new IpStats(new long[] {10_000}, 100, now.get());
        MetricsRegistry m = new MetricsRegistry(100, 3_600_000, sink, ips, now::get);
        ips.record("203.0.113.7", 1, 1, 1, 200, false, false, T0 + 9_999);
        ips.record("203.0.113.7", 2, 2, 1, 200, false, false, T0 + 10_500); // no tick in between
        ips.record("203.0.113.7", 4, 4, 1, 200, false, false, T0 + 25_000); // skips a quiet window
        m.tick(T0 + 25_100); // sees both retired windows
        assertEquals(0, out.lines().size(), "written one tick after the roll");
        m.tick(T0 + 26_100);
        Map<Object, Object> inByStart = new HashMap<>();
        for (Map<String, Object> r : out.records()) {
            inByStart.put(r.get("x_timestamp_ms"), extra(r).get("bytes_in"));
        }
        assertEquals(Map.of(T0, 1L, T0 + 10_000, 2L), inByStart);
        out.clear();
        m.close(); // shutdown: the open window
        assertEquals(T0 + 20_000, out.records().get(0).get("x_timestamp_ms"));
        assertEquals(4L, extra(out.records().get(0)).get("bytes_in"));
    }

    @Test
    void aFloodOfDistinctIpsStaysBoundedAndFoldsIntoOtherExactly() {
        IpStats ips = new IpStats(new long[] {60_000}, 1000, now.get());
        MetricsRegistry m = new MetricsRegistry(100, 10_000, sink, ips, now::get);
        for (int i = 0; i < 100_000; i++) {
            ips.record("10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255), 1, 1, 1000, 200, false, false,
                    now.get());
        }
        m.close();
        List<Map<String, Object>> recs = out.records();
        assertEquals(1001, recs.size(), "1000 IPs and other");
        long total = 0;
        for (Map<String, Object> r : recs) {
            total += (Long) extra(r).get("requests");
        }
        assertEquals(100_000, total);
        assertEquals(99_000, ips.folded());
        assertEquals(99_000L, extra(byIpAndWindow().get("other/60")).get("requests"));
    }
}
