package io.rpctrace.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The side-by-side benchmark's arithmetic: per-round ratios, targets, the CSV and the chart. */
class SummaryTest {
    private static final Measurement.Metric CPU = metric("cpu");
    private static final Measurement.Metric RSS = metric("rss");
    private static final Measurement.Metric P99 = metric("p99");

    private static Measurement m(String mode, int round, double cpu, double p99, double rss) {
        return new Measurement("light", mode, round, 5.0, 4.0, rss, 1000, cpu, 1.0, p99, 3.0, 4000, 0, 100);
    }

    private static final List<Measurement> RUN = List.of(
            m("bare", 1, 100, 2.0, 300), m("rpctrace", 1, 104, 2.4, 330), m("otel-file", 1, 150, 2.2, 400),
            m("bare", 2, 200, 2.0, 310), m("rpctrace", 2, 220, 2.1, 360), m("otel-file", 2, 260, 2.2, 420),
            m("bare", 3, 100, 2.0, 300), m("rpctrace", 3, 103, 2.1, 320), m("otel-file", 3, 160, 2.2, 390));

    @Test
    void ratiosAreMediansOfPerRoundRatiosToBare() {
        Summary s = new Summary(RUN);
        assertEquals(List.of("bare", "rpctrace", "otel-file"), s.modes("light"));
        assertEquals(1.04, s.ratio("light", "rpctrace", CPU).getAsDouble(), 1e-9);   // 1.04, 1.10, 1.03
        assertEquals(1.05, s.ratio("light", "rpctrace", P99).getAsDouble(), 1e-9);   // 1.20, 1.05, 1.05
        assertEquals(30, s.difference("light", "rpctrace", RSS).getAsDouble(), 1e-9); // 30, 50, 20
        assertEquals(104, s.median("light", "rpctrace", CPU).getAsDouble(), 1e-9);
        assertEquals(12000, s.samples("light", "rpctrace"));
    }

    @Test
    void rpctraceIsCheckedAgainstItsTargets() {
        Summary s = new Summary(RUN);
        assertEquals("met", s.check("light", CPU)[1]);   // ×1.04 and below otel-file's 160 µs
        assertEquals("met", s.check("light", P99)[1]);   // ×1.05 ≤ ×1.10
        assertEquals("met", s.check("light", RSS)[1]);   // +30 MB ≤ +40 MB
        Summary slow = new Summary(List.of(m("bare", 1, 100, 2.0, 300), m("rpctrace", 1, 120, 3.0, 400),
                m("otel-file", 1, 110, 2.0, 300)));
        assertEquals("**missed** (not below otel-file)", slow.check("light", CPU)[1]);
        assertEquals("**missed**", slow.check("light", P99)[1]);
        assertEquals("**missed**", slow.check("light", RSS)[1]);
        assertTrue(slow.markdown().contains("| CPU per request (µs) | 100 | 120 (×1.20) | 110 (×1.10) |"), slow.markdown());
    }

    @Test
    void theCsvReadsBackAndDrawsOneBarPerModeAndFigure(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("run.csv");
        StringBuilder text = new StringBuilder(Measurement.HEADER).append('\n');
        RUN.forEach(m -> text.append(m.csv()).append('\n'));
        Files.writeString(csv, text);
        List<Measurement> back = SvgChart.read(csv);
        assertEquals(RUN, back);
        Path svg = dir.resolve("chart.svg");
        SvgChart.main(new String[] {csv.toString(), svg.toString()});
        String drawn = Files.readString(svg);
        assertTrue(drawn.startsWith("<svg "), drawn);
        // one bar per agent mode (rpctrace, otel-file) and figure, plus the white background and two legend keys
        assertEquals(2 * Measurement.METRICS.size() + 1 + 2, drawn.split("<rect ", -1).length - 1, drawn);
        assertTrue(drawn.contains(">1.04</text>"), drawn);   // rpctrace's CPU ratio, labelled on its bar
    }

    private static Measurement.Metric metric(String key) {
        return Measurement.METRICS.stream().filter(x -> x.key().equals(key)).findFirst().orElseThrow();
    }
}
