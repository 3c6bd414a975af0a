package io.rpctrace.bench.viewer;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Writes a log directory of realistic records for the trace viewer's benchmark: four
 * services, each a live {@code <service>.trace.log} and rolled {@code <service>.trace.log.N}
 * files of 64 MiB, interleaved traces of 10-40 records (request.info, SQL, Redis, HTTP
 * calls and their callees, logs) with random 32-hex ids. One trace, {@link #NEEDLE_TRACE},
 * is planted with 24 records spread over the files: the one the benchmark looks for.
 *
 * <pre>
 * java -cp trace-benchmarks/target/benchmarks.jar io.rpctrace.bench.viewer.LogDirGenerator /tmp/rpctrace-1g 1g
 * </pre>
 *
 * Deterministic: the same size gives the same bytes.
 */
public final class LogDirGenerator {
    /** The planted trace. */
    public static final String NEEDLE_TRACE = "5ca1ab1e0ddba11c0ffee0123456789a";
    private static final String[] SERVICES = {"java-gateway-3.2", "java-order-1.4", "java-inventory-2.0", "java-payment-1.1"};
    private static final long FILE_BYTES = 64L << 20;
    private static final long T0 = 1763800000000L;
    private static final String[] SQL = {
        "select * from orders where id = ?", "update stock set qty = qty - ? where sku = ?",
        "insert into payments (order_id, amount, currency) values (?, ?, ?)", "select id, name, price from sku where id in (?, ?, ?)",
    };
    private static final String[] REDIS = {"GET session:%x", "HGETALL price:sku-%d", "DECRBY stock:%d 1", "SETEX lock:%x 30 1"};
    private static final String[] URLS = {"POST /api/checkout", "GET /api/orders/%d", "POST /reserve", "POST /charge"};

    private LogDirGenerator() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: LogDirGenerator <dir> <size, e.g. 1g or 256m>");
            System.exit(2);
        }
        long size = parseSize(args[1]);
        long t = System.nanoTime();
        long written = generate(Paths.get(args[0]), size);
        System.err.printf(Locale.ROOT, "wrote %.2f GiB in %.1f s; planted trace %s%n",
                written / (double) (1L << 30), (System.nanoTime() - t) / 1e9, NEEDLE_TRACE);
    }

    /** Fills {@code dir} with about {@code totalBytes} of records, unless it already holds that much. */
    public static long generate(Path dir, long totalBytes) throws IOException {
        Path done = dir.resolve(".generated-" + totalBytes);
        if (Files.exists(done)) {
            return totalBytes;
        }
        Files.createDirectories(dir);
        long perService = totalBytes / SERVICES.length;
        long written = 0;
        SplittableRandom rnd = new SplittableRandom(20261123);
        for (int s = 0; s < SERVICES.length; s++) {
            String name = SERVICES[s].substring(5, SERVICES[s].lastIndexOf('-'));
            int rolls = (int) Math.max(1, (perService + FILE_BYTES - 1) / FILE_BYTES);
            for (int f = 0; f < rolls; f++) {
                String file = name + ".trace.log" + (f == rolls - 1 ? "" : "." + (rolls - 1 - f));
                long bytes = Math.min(FILE_BYTES, perService - f * FILE_BYTES);
                written += writeFile(dir.resolve(file), bytes, s, f, rolls, rnd);
            }
        }
        Files.write(done, new byte[0]);
        return written;
    }

    private static long writeFile(Path file, long bytes, int service, int fileIndex, int rolls, SplittableRandom rnd)
            throws IOException {
        StringBuilder sb = new StringBuilder(1 << 16);
        long n = 0;
        long ts = T0 + (long) fileIndex * 3_600_000L;
        int plantEvery = (int) Math.max(1, bytes / 400 / 6); // ~6 planted records per file of the last rolls
        boolean plantHere = fileIndex >= rolls - 2;
        int line = 0;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            while (n < bytes) {
                String trace = hex(rnd.nextLong()) + hex(rnd.nextLong());
                int records = 10 + rnd.nextInt(30);
                for (int r = 0; r < records && n < bytes; r++) {
                    boolean planted = plantHere && ++line % plantEvery == 0;
                    sb.setLength(0);
                    record(sb, planted ? NEEDLE_TRACE : trace, r, service, ts, rnd);
                    ts += rnd.nextInt(3);
                    byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
                    out.write(b);
                    n += b.length;
                }
            }
        }
        return n;
    }

    private static void record(StringBuilder sb, String trace, int r, int service, long ts, SplittableRandom rnd) {
        String rpcId;
        String name;
        String action;
        String code = "0";
        double dur = rnd.nextInt(200_000) / 1e6;
        switch (r == 0 ? 0 : 1 + rnd.nextInt(5)) {
            case 0:
                name = "request.info";
                rpcId = service == 0 ? "0.1" : "0." + (2 + rnd.nextInt(6)) + ".1";
                action = String.format(Locale.ROOT, URLS[service], rnd.nextInt(100000));
                code = "200";
                break;
            case 1:
                name = "mysql.request";
                rpcId = "0." + (2 + r);
                action = SQL[rnd.nextInt(SQL.length)];
                break;
            case 2:
                name = "redis.request";
                rpcId = "0." + (2 + r);
                action = String.format(Locale.ROOT, REDIS[rnd.nextInt(REDIS.length)], rnd.nextInt(1 << 20));
                code = "OK";
                break;
            case 3:
                name = "http.post";
                rpcId = "0." + (2 + r);
                action = "http://inventory.svc:8080/reserve?sku=" + rnd.nextInt(100000);
                code = "200";
                break;
            default:
                name = "log.info";
                rpcId = "0." + (1 + r);
                action = null;
                dur = -1;
        }
        sb.append("{\"x_name\":\"").append(name).append("\",\"x_trace_id\":\"").append(trace)
                .append("\",\"x_rpc_id\":\"").append(rpcId).append("\",\"x_version\":\"").append(SERVICES[service])
                .append("\",\"x_timestamp\":").append(ts / 1000).append(",\"x_timestamp_ms\":").append(ts);
        if (dur >= 0) {
            sb.append(",\"x_duration\":").append(String.format(Locale.ROOT, "%.6f", dur));
        }
        sb.append(",\"x_module\":\"order_api_checkout\",\"x_pid\":\"4242-").append(17 + rnd.nextInt(200))
                .append("\",\"x_server_ip\":\"10.0.").append(service).append(".21:8080\"");
        if (action != null) {
            sb.append(",\"x_host\":\"10.0.3.").append(rnd.nextInt(250)).append(":3306\",\"x_code\":\"").append(code)
                    .append("\",\"x_action\":\"").append(action).append('"');
        } else {
            sb.append(",\"x_msg\":\"cart priced: ").append(rnd.nextInt(1000)).append(" items, total ")
                    .append(rnd.nextInt(100000)).append(" cents\",\"x_file\":\"CheckoutService.java\",\"x_line\":\"")
                    .append(100 + rnd.nextInt(300)).append('"');
        }
        sb.append("}\n");
        if (rnd.nextInt(2000) == 0 && action != null) { // a failed call now and then, for `errors`
            int at = sb.indexOf("\",\"x_trace_id\"");
            sb.insert(at, ".error");
            sb.insert(sb.length() - 2, ",\"x_msg\":\"Deadlock found when trying to get lock\"");
        }
    }

    private static String hex(long v) {
        String h = Long.toHexString(v);
        return "0000000000000000".substring(h.length()) + h;
    }

    static long parseSize(String s) {
        String v = s.trim().toLowerCase(Locale.ROOT);
        long mult = 1;
        if (v.endsWith("g")) {
            mult = 1L << 30;
        } else if (v.endsWith("m")) {
            mult = 1L << 20;
        } else if (v.endsWith("k")) {
            mult = 1L << 10;
        }
        if (mult > 1) {
            v = v.substring(0, v.length() - 1);
        }
        return Long.parseLong(v) * mult;
    }
}
