package io.rpctrace.examples.bench;

import java.util.List;
import java.util.Locale;

/**
 * One measurement of one target in one mode: a line of the benchmark's CSV.
 *
 * @param startupS      seconds from starting the JVM(s) to the first request served
 * @param startupCpuS   CPU seconds the service JVMs used by then
 * @param rssMb         resident memory of the service JVMs after the load, MB (10^6 bytes)
 * @param throughput    requests per second of the closed loop
 * @param cpuUsPerReq   CPU time of the service JVMs over the closed loop per request, µs
 * @param p50Ms         open loop latency, ms; also p99Ms, p999Ms
 * @param samples       requests of the open loop
 * @param errors        failed requests (both loops)
 * @param bytesPerReq   bytes the agent wrote (records, or OTLP JSON) per request over both loops
 */
public record Measurement(String target, String mode, int round, double startupS, double startupCpuS, double rssMb,
        double throughput, double cpuUsPerReq, double p50Ms, double p99Ms, double p999Ms, long samples, long errors,
        double bytesPerReq) {

    /** The CSV header line. */
    public static final String HEADER = "target,mode,round,startup_s,startup_cpu_s,rss_mb,throughput_rps,cpu_us_per_req,"
            + "p50_ms,p99_ms,p999_ms,samples,errors,bytes_per_req";

    /** This measurement as a CSV line. */
    public String csv() {
        return String.format(Locale.ROOT, "%s,%s,%d,%.3f,%.3f,%.1f,%.1f,%.1f,%.3f,%.3f,%.3f,%d,%d,%.0f", target, mode, round,
                startupS, startupCpuS, rssMb, throughput, cpuUsPerReq, p50Ms, p99Ms, p999Ms, samples, errors, bytesPerReq);
    }

    /** A CSV line back (as {@link #csv()} wrote it). */
    public static Measurement parse(String line) {
        String[] f = line.split(",");
        return new Measurement(f[0], f[1], Integer.parseInt(f[2]), d(f[3]), d(f[4]), d(f[5]), d(f[6]), d(f[7]), d(f[8]),
                d(f[9]), d(f[10]), Long.parseLong(f[11]), Long.parseLong(f[12]), d(f[13]));
    }

    /** One line for the console. */
    public String line() {
        return String.format(Locale.ROOT, "%-5s %-9s round %d: start-up %5.2f s (%5.2f CPU-s), %6.1f req/s, CPU %7.1f µs/req,"
                        + " p50 %6.2f ms, p99 %7.2f ms, p99.9 %7.2f ms (%d samples), RSS %4.0f MB, %5.0f B written/req, %d errors",
                target, mode, round, startupS, startupCpuS, throughput, cpuUsPerReq, p50Ms, p99Ms, p999Ms, samples, rssMb,
                bytesPerReq, errors);
    }

    /** The figures the summary compares, in its order. */
    public static final List<Metric> METRICS = List.of(
            new Metric("cpu", "CPU per request (µs)", true, Measurement::cpuUsPerReq),
            new Metric("p50", "p50 latency (ms)", true, Measurement::p50Ms),
            new Metric("p99", "p99 latency (ms)", true, Measurement::p99Ms),
            new Metric("throughput", "throughput (req/s)", false, Measurement::throughput),
            new Metric("startup", "start-up to first request (s)", true, Measurement::startupS),
            new Metric("startup_cpu", "CPU-s at first request", true, Measurement::startupCpuS),
            new Metric("rss", "RSS after load (MB)", true, Measurement::rssMb));

    /** A figure of a measurement; {@code lowerIsBetter} for all but throughput. */
    public record Metric(String key, String title, boolean lowerIsBetter, java.util.function.ToDoubleFunction<Measurement> of) {
    }

    private static double d(String s) {
        return Double.parseDouble(s);
    }
}
