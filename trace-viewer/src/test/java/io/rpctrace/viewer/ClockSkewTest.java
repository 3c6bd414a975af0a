package io.rpctrace.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A callee whose host clock is off is drawn inside the call that reached it. */
class ClockSkewTest {
    static final String T = "c10c5c3e0000400080000000000000aa";
    static final long T0 = 1763800000000L;

    @TempDir
    Path dir;

    @Test
    void aCalleeWithASlowClockIsCentredInItsCall() throws Exception {
        Viewer.write(dir.resolve("a.trace.log"), Arrays.asList(
                Rec.of("request.info", T, "0.1").version("java-a-1.0").at(T0, 0.200).line(),
                Rec.of("http.post", T, "0.2").version("java-a-1.0").at(T0 + 10, 0.100).line()));
        // B's clock is 500 ms behind A's; C (called by B) is 300 ms ahead of A's
        Viewer.write(dir.resolve("b.trace.log"), Arrays.asList(
                Rec.of("request.info", T, "0.2.1").version("java-b-1.0").at(T0 - 490, 0.080).line(),
                Rec.of("http.get", T, "0.2.2").version("java-b-1.0").at(T0 - 485, 0.050).line(),
                Rec.of("log.info", T, "0.2.1").version("java-b-1.0").at(T0 - 430, -1).msg("done").line()));
        Viewer.write(dir.resolve("c.trace.log"), Arrays.asList(
                Rec.of("request.info", T, "0.2.2.1").version("java-c-1.0").at(T0 + 300 + 30, 0.040).line()));

        Viewer v = Viewer.run("trace", T, dir.toString());

        assertEquals(0, v.status, v.err);
        String out = v.out;
        // B: request.info centred in the 100 ms call at +10: (100 - 80) / 2 = +20, shifted by +510
        assertTrue(out.contains("     +20ms     80.0ms    0.2.1 request.info  java-b-1.0  <- http.post 0.2 (java-a-1.0)  (clock +510ms)"), out);
        assertTrue(out.contains("     +25ms     50.0ms    0.2.2 http.get  java-b-1.0  -> java-c-1.0 0.2.2.1, network 10.0ms  (clock +510ms)"), out);
        assertTrue(out.contains("     +80ms          -    0.2.1 log.info  java-b-1.0  \"done\"  (clock +510ms)"), out);
        // C: centred in B's corrected call (+25, 50 ms): +30
        assertTrue(out.contains("     +30ms     40.0ms      0.2.2.1 request.info  java-c-1.0  <- http.get 0.2.2 (java-b-1.0)  (clock -300ms)"), out);
        assertTrue(out.startsWith("trace " + T + "  started 2025-11-22 08:26:40.000 UTC  took 200.0ms"), out);
        assertTrue(out.contains("\nservices: java-a-1.0, java-b-1.0, java-c-1.0\n"), "in corrected order: " + out);

        Viewer json = Viewer.run("trace", T, dir.toString(), "--json");
        assertTrue(json.out.contains("\"offset_ms\":20,\"clock_skew_ms\":510,"), json.out);
    }

    @Test
    void callsThatAlreadyFitAreLeftAlone() throws Exception {
        Viewer.write(dir.resolve("a.trace.log"), Arrays.asList(
                Rec.of("http.post", T, "0.2").version("java-a-1.0").at(T0, 0.100).line(),
                Rec.of("request.info", T, "0.2.1").version("java-b-1.0").at(T0 + 3, 0.0905).line(), // ends 0.5 ms late: truncation
                Rec.of("kafka.produce", T, "0.3").version("java-a-1.0").at(T0 + 100, 0.002).line(),
                Rec.of("kafka.consume", T, "0.3.1").version("java-c-1.0").at(T0 + 5000, 0.010).line()));

        Viewer v = Viewer.run("trace", T, dir.toString());

        assertTrue(!v.out.contains("(clock"), v.out);
        assertTrue(v.out.contains("consumed after 4.900s"), v.out);
    }
}
