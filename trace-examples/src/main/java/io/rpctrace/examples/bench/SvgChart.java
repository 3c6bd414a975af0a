package io.rpctrace.examples.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * Draws the side-by-side benchmark's CSV as an SVG: one panel per target, for each figure a
 * group of bars, one per agent mode, each the median of per-round ratios to the bare service
 * (a dashed line marks 1, the bare service; lower is better except for throughput).
 *
 * <pre>
 * java -cp "trace-examples/target/trace-examples.jar" io.rpctrace.examples.bench.SvgChart results.csv chart.svg ["quiet, 2026-12-05"]
 * </pre>
 */
public final class SvgChart {
    private static final String[] COLORS = {"#1f77b4", "#ff7f0e", "#d62728", "#2ca02c"};
    private static final int PANEL_W = 760;
    private static final int PANEL_H = 300;
    private static final int LEFT = 50;
    private static final int TOP = 40;
    private static final int PLOT_H = 190;

    private SvgChart() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2 && args.length != 3) {
            System.err.println("usage: SvgChart <results.csv> <chart.svg> [note: the run's date and conditions]");
            System.exit(2);
        }
        write(read(Paths.get(args[0])), Paths.get(args[1]), args.length == 3 ? args[2] : "");
    }

    /** The measurements of a CSV written by {@link SideBySide}. */
    public static List<Measurement> read(Path csv) throws IOException {
        return Files.readAllLines(csv, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("target,")).map(Measurement::parse).toList();
    }

    /** Writes the chart of {@code all} to {@code svg}; {@code note} (the run's date and conditions) goes under the title. */
    public static void write(List<Measurement> all, Path svg, String note) throws IOException {
        Summary s = new Summary(all);
        List<String> targets = s.targets();
        StringBuilder out = new StringBuilder();
        int height = PANEL_H * targets.size() + 30;
        out.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " font-family=\"sans-serif\" font-size=\"11\">%n", PANEL_W, height));
        out.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", PANEL_W, height));
        out.append("<text x=\"10\" y=\"18\" font-size=\"14\" font-weight=\"bold\">rpctrace side by side: ratio to the"
                + " bare service (median of per-round ratios; 1 = bare)</text>\n");
        if (!note.isEmpty()) {
            out.append("<text x=\"10\" y=\"32\" fill=\"#555\">").append(escape(note)).append("</text>\n");
        }
        for (int t = 0; t < targets.size(); t++) {
            panel(out, s, targets.get(t), 30 + t * PANEL_H);
        }
        out.append("</svg>\n");
        if (svg.getParent() != null) {
            Files.createDirectories(svg.getParent());
        }
        Files.writeString(svg, out, StandardCharsets.UTF_8);
    }

    private static void panel(StringBuilder out, Summary s, String target, int y0) {
        List<String> modes = s.modes(target).stream().filter(m -> !m.equals(Mode.BARE.label())).toList();
        List<Measurement.Metric> metrics = Measurement.METRICS;
        double max = 1.5;
        for (String mode : modes) {
            for (Measurement.Metric metric : metrics) {
                OptionalDouble r = s.ratio(target, mode, metric);
                if (r.isPresent()) {
                    max = Math.max(max, r.getAsDouble());
                }
            }
        }
        max = Math.ceil(max * 2) / 2;
        int top = y0 + TOP;
        int bottom = top + PLOT_H;
        out.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\" font-size=\"13\" font-weight=\"bold\">%s</text>%n",
                y0 + 22, escape(target)));
        double step = max <= 2 ? 0.25 : max <= 4 ? 0.5 : 1;   // every step divides 1: the bare line is a tick
        for (double tick = 0; tick <= max + 1e-9; tick += step) {
            int y = (int) Math.round(bottom - tick / max * PLOT_H);
            out.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\"%s/>%n",
                    LEFT, y, PANEL_W - 10, y, tick == 1.0 ? "#000" : "#ddd", tick == 1.0 ? " stroke-dasharray=\"5,3\"" : ""));
            out.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">×%.2f</text>%n",
                    LEFT - 4, y + 4, tick));
        }
        double groupW = (PANEL_W - LEFT - 10) / (double) metrics.size();
        double barW = (groupW - 16) / Math.max(1, modes.size());
        for (int g = 0; g < metrics.size(); g++) {
            Measurement.Metric metric = metrics.get(g);
            double gx = LEFT + g * groupW + 8;
            for (int b = 0; b < modes.size(); b++) {
                OptionalDouble r = s.ratio(target, modes.get(b), metric);
                if (r.isEmpty()) {
                    continue;
                }
                double h = r.getAsDouble() / max * PLOT_H;
                double x = gx + b * barW;
                out.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>%n",
                        x, bottom - h, barW - 2, h, COLORS[b % COLORS.length]));
                out.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"9\">%.2f</text>%n",
                        x + (barW - 2) / 2, bottom - h - 3, r.getAsDouble()));
            }
            out.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                    gx + (groupW - 16) / 2, bottom + 16, escape(shortTitle(metric))));
        }
        int lx = LEFT;
        for (int b = 0; b < modes.size(); b++) {
            out.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"%d\">%s</text>%n", lx, bottom + 28, COLORS[b % COLORS.length], lx + 14, bottom + 37,
                    escape(modes.get(b))));
            lx += 110;
        }
    }

    private static String shortTitle(Measurement.Metric m) {
        return switch (m.key()) {
            case "cpu" -> "CPU/request";
            case "p50" -> "p50";
            case "p99" -> "p99";
            case "throughput" -> "throughput";
            case "startup" -> "start-up";
            case "startup_cpu" -> "start-up CPU";
            case "rss" -> "RSS";
            default -> m.key();
        };
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
