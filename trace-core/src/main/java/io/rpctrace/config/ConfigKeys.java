package io.rpctrace.config;

/** The configuration keys of SPEC §5 and the issues, without the {@code rpctrace.} prefix. */
public final class ConfigKeys {
    public static final String SERVICE = "service";
    public static final String DEPARTMENT = "department";
    public static final String VERSION = "version";
    public static final String LOG_DIR = "log.dir";
    public static final String FLUSH_INTERVAL_MS = "flush.interval.ms";
    public static final String BUFFER_SIZE = "buffer.size";
    public static final String RING_SIZE = "ring.size";
    public static final String WRITER_BLOCKING = "writer.blocking";
    public static final String RECORD_MAX_BYTES = "record.max.bytes";
    public static final String RETENTION_DAYS = "retention.days";
    public static final String FILE_MAX_BYTES = "file.max.bytes";
    public static final String FILE_ROLL_INTERVAL = "file.roll.interval";
    public static final String DIR_MAX_BYTES = "dir.max.bytes";
    public static final String DEBUG_TOKEN = "debug.token";
    public static final String CAPTURE_PARAM = "capture.param";
    public static final String CAPTURE_RESPONSE = "capture.response";
    public static final String LOGS_LEVEL = "logs.level";
    public static final String DEBUG_LEVEL = "debug.level";
    public static final String METRICS_INTERVAL_S = "metrics.interval.s";
    public static final String METRICS_MAX_SERIES = "metrics.max.series";
    public static final String IPSTATS_WINDOWS = "ipstats.windows";
    public static final String IPSTATS_MAX_IPS = "ipstats.max.ips";

    private ConfigKeys() {
    }

    /** {@code instrumentation.<name>.enabled}. */
    public static String instrumentationEnabled(String name) {
        return "instrumentation." + name + ".enabled";
    }
}
