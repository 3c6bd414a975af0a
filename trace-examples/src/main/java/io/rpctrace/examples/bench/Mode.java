package io.rpctrace.examples.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a service JVM is started in the side-by-side benchmark: without an agent, with
 * rpctrace's packaged agent, or with the OpenTelemetry javaagent, either with every exporter
 * off (its instrumentation alone) or writing every span as OTLP JSON to standard output, which
 * the benchmark sends to a file: like rpctrace, a record of every call on disk.
 */
public enum Mode {
    BARE,
    RPCTRACE,
    OTEL_NONE,
    OTEL_FILE;

    /** The name on the command line and in the results: {@code bare}, {@code rpctrace}, {@code otel-none}, {@code otel-file}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The mode of a {@link #label()}. */
    public static Mode of(String label) {
        for (Mode m : values()) {
            if (m.label().equals(label)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown mode " + label + " (bare, rpctrace, otel-none, otel-file)");
    }

    /** True for the OpenTelemetry modes. */
    public boolean otel() {
        return this == OTEL_NONE || this == OTEL_FILE;
    }

    /**
     * The JVM options that attach this mode's agent to the service {@code service}.
     *
     * @param agents  where the two agents are
     * @param records rpctrace's {@code log.dir}
     */
    public List<String> jvmArgs(Agents agents, String service, Path records) {
        List<String> a = new ArrayList<>();
        switch (this) {
            case BARE -> { }
            case RPCTRACE -> a.add("-javaagent:" + agents.rpctrace() + "=service=" + service + ",log.dir=" + records);
            case OTEL_NONE, OTEL_FILE -> {
                a.add("-javaagent:" + agents.otel());
                a.add("-Dotel.service.name=" + service);
                a.add("-Dotel.traces.exporter=" + (this == OTEL_FILE ? "logging-otlp" : "none"));
                a.add("-Dotel.metrics.exporter=none");
                a.add("-Dotel.logs.exporter=none");
            }
        }
        return a;
    }

    /** The two agent jars. */
    public record Agents(Path rpctrace, Path otel) {
    }
}
