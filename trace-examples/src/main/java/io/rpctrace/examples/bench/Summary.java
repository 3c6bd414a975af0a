package io.rpctrace.examples.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The measurements of one run summed up: per target and mode the median of each figure, and its
 * ratio to the bare service as the median of the per-round ratios (a round measures every mode
 * one after the other, so a ratio within a round shares the machine's state of the moment),
 * and rpctrace's figures against the targets of docs/benchmarks.md.
 */
public final class Summary {
    private final List<Measurement> all;

    public Summary(List<Measurement> all) {
        this.all = List.copyOf(all);
    }

    /** The targets measured, in order of first measurement. */
    public List<String> targets() {
        return all.stream().map(Measurement::target).distinct().toList();
    }

    /** The modes measured on {@code target}, bare first. */
    public List<String> modes(String target) {
        LinkedHashSet<String> m = new LinkedHashSet<>();
        for (Mode mode : Mode.values()) {
            if (all.stream().anyMatch(x -> x.target().equals(target) && x.mode().equals(mode.label()))) {
                m.add(mode.label());
            }
        }
        return new ArrayList<>(m);
    }

    /** The median of {@code metric} over the rounds of {@code target} in {@code mode}. */
    public OptionalDouble median(String target, String mode, Measurement.Metric metric) {
        return medianOf(of(target, mode).stream().mapToDouble(metric.of()).toArray());
    }

    /** The median over rounds of {@code mode}'s figure divided by bare's of the same round. */
    public OptionalDouble ratio(String target, String mode, Measurement.Metric metric) {
        return perRound(target, mode, metric, true);
    }

    /** The median over rounds of {@code mode}'s figure minus bare's of the same round. */
    public OptionalDouble difference(String target, String mode, Measurement.Metric metric) {
        return perRound(target, mode, metric, false);
    }

    private OptionalDouble perRound(String target, String mode, Measurement.Metric metric, boolean ratio) {
        List<Double> v = new ArrayList<>();
        for (Measurement m : of(target, mode)) {
            for (Measurement b : of(target, Mode.BARE.label())) {
                if (b.round() == m.round()) {
                    double x = metric.of().applyAsDouble(m);
                    double base = metric.of().applyAsDouble(b);
                    v.add(ratio ? x / base : x - base);
                }
            }
        }
        return medianOf(v.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Requests behind the latency figures of {@code target} in {@code mode} (all rounds). */
    public long samples(String target, String mode) {
        return of(target, mode).stream().mapToLong(Measurement::samples).sum();
    }

    /** The summary as Markdown: one table per target, rpctrace's figures against their targets. */
    public String markdown() {
        StringBuilder sb = new StringBuilder();
        for (String target : targets()) {
            List<String> modes = modes(target);
            long rounds = of(target, Mode.BARE.label()).size();
            sb.append(String.format(Locale.ROOT, "%n%s: medians of %d rounds; (×) the median of per-round ratios to bare%n%n",
                    target, rounds));
            sb.append("| ").append(target).append(" | ").append(String.join(" | ", modes)).append(" | target (rpctrace) | |\n");
            sb.append("|---|").append("---|".repeat(modes.size())).append("---|---|\n");
            for (Measurement.Metric metric : Measurement.METRICS) {
                sb.append("| ").append(metric.title());
                for (String mode : modes) {
                    sb.append(" | ").append(cell(target, mode, metric));
                }
                String[] check = check(target, metric);
                sb.append(" | ").append(check[0]).append(" | ").append(check[1]).append(" |\n");
            }
            sb.append("| latency samples (all rounds)");
            for (String mode : modes) {
                sb.append(" | ").append(samples(target, mode));
            }
            sb.append(" | | |\n");
            sb.append("| bytes written per request");
            for (String mode : modes) {
                sb.append(" | ").append(fmt(medianOf(of(target, mode).stream().mapToDouble(Measurement::bytesPerReq)
                        .toArray()).orElse(0), 0));
            }
            sb.append(" | | |\n");
        }
        return sb.toString();
    }

    private String cell(String target, String mode, Measurement.Metric metric) {
        OptionalDouble v = median(target, mode, metric);
        if (v.isEmpty()) {
            return "—";
        }
        int decimals = v.getAsDouble() >= 100 ? 0 : v.getAsDouble() >= 10 ? 1 : 2;
        String s = fmt(v.getAsDouble(), decimals);
        if (mode.equals(Mode.BARE.label())) {
            return s;
        }
        if (metric.key().equals("rss")) {
            OptionalDouble d = difference(target, mode, metric);
            return d.isPresent() ? s + String.format(Locale.ROOT, " (%+.0f)", d.getAsDouble()) : s;
        }
        OptionalDouble r = ratio(target, mode, metric);
        return r.isPresent() ? s + String.format(Locale.ROOT, " (×%.2f)", r.getAsDouble()) : s;
    }

    /** rpctrace's target for {@code metric} (issue 20) and whether the run met it. */
    String[] check(String target, Measurement.Metric metric) {
        String rpc = Mode.RPCTRACE.label();
        OptionalDouble r = ratio(target, rpc, metric);
        if (r.isEmpty()) {
            return new String[] {"", ""};
        }
        double x = r.getAsDouble();
        return switch (metric.key()) {
            case "cpu" -> {
                OptionalDouble otel = median(target, Mode.OTEL_FILE.label(), metric);
                boolean belowOtel = otel.isEmpty() || median(target, rpc, metric).getAsDouble() < otel.getAsDouble();
                yield new String[] {"≤ ×1.05, below otel-file", x <= 1.05 && belowOtel ? "met"
                        : "**missed**" + (belowOtel ? "" : " (not below otel-file)")};
            }
            case "p50" -> new String[] {"≤ ×1.05", x <= 1.05 ? "met" : "**missed**"};
            case "p99" -> new String[] {"≤ ×1.10", x <= 1.10 ? "met" : "**missed**"};
            case "throughput" -> new String[] {"≥ ×0.97 (≤ 3 % loss)", x >= 0.97 ? "met" : "**missed**"};
            case "startup" -> new String[] {"≤ ×1.10", x <= 1.10 ? "met" : "**missed**"};
            case "rss" -> {
                double d = difference(target, rpc, metric).getAsDouble();
                yield new String[] {"≤ +40 MB", d <= 40 ? "met" : "**missed**"};
            }
            default -> new String[] {"", ""};
        };
    }

    private List<Measurement> of(String target, String mode) {
        return all.stream().filter(m -> m.target().equals(target) && m.mode().equals(mode)).toList();
    }

    static OptionalDouble medianOf(double[] v) {
        if (v.length == 0) {
            return OptionalDouble.empty();
        }
        double[] s = v.clone();
        Arrays.sort(s);
        return OptionalDouble.of(s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2);
    }

    private static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
