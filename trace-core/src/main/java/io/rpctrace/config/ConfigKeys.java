package io.rpctrace.config;

/**
 * The configuration keys of docs/configuration.md and the issues, without the {@code rpctrace.}
 * prefix.
 */
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
    /** {@code x_module} of client calls: package prefixes of application code (comma or semicolon separated). */
    public static final String MODULE_PREFIX = "module.prefix";
    /** {@code x_module} of client calls: stack frames looked at, at most (0 turns it off). */
    public static final String MODULE_DEPTH = "module.depth";
    /** {@code x_instance_name} per JDBC URL: {@code name=urlPrefix;name2=urlPrefix2}. */
    public static final String JDBC_INSTANCE_NAMES = "jdbc.instance.names";
    /** Cap on {@code x_action} for SQL with {@code ?} placeholders. */
    public static final String JDBC_SQL_MAX_LENGTH = "jdbc.sql.max.length";
    /** Cap on {@code x_action} for SQL run as text (it may carry literal values). */
    public static final String JDBC_SQL_LITERAL_MAX_LENGTH = "jdbc.sql.literal.max.length";
    /** {@code x_instance_name} per Redis endpoint: {@code name=host:port;name2=host2:port}. */
    public static final String REDIS_INSTANCE_NAMES = "redis.instance.names";
    /** Application methods to trace: {@code com.shop.OrderService[place,cancel];com.shop.dao.*}. */
    public static final String METHODS = "methods";
    /** {@code false}: traced methods feed their metrics only, no record per call. */
    public static final String METHODS_RECORDS = "methods.records";

    private ConfigKeys() {
    }

    /** {@code instrumentation.<name>.enabled}. */
    public static String instrumentationEnabled(String name) {
        return "instrumentation." + name + ".enabled";
    }
}
