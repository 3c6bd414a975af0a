package io.rpctrace.record;

/**
 * Every record type name of docs/record.md#record-types ({@code x_name}). Failed operations append
 * {@link #ERROR_SUFFIX}.
 */
public final class RecordNames {
    /** Appended to the name of a failed operation: {@code mysql.request.error}. */
    public static final String ERROR_SUFFIX = ".error";

    public static final String REQUEST_INFO = "request.info";

    public static final String MYSQL_CONNECT = "mysql.connect";
    public static final String MYSQL_REQUEST = "mysql.request";
    public static final String POSTGRESQL_CONNECT = "postgresql.connect";
    public static final String POSTGRESQL_REQUEST = "postgresql.request";
    public static final String H2_CONNECT = "h2.connect";
    public static final String H2_REQUEST = "h2.request";
    /** Suffix of {@code <db>.connect} for any JDBC sub-protocol. */
    public static final String CONNECT_SUFFIX = ".connect";
    /** Suffix of {@code <db>.request} for any JDBC sub-protocol. */
    public static final String REQUEST_SUFFIX = ".request";

    public static final String REDIS_CONNECT = "redis.connect";
    public static final String REDIS_REQUEST = "redis.request";
    public static final String MEMCACHE_CONNECT = "memcache.connect";
    public static final String MEMCACHE_REQUEST = "memcache.request";

    public static final String HTTP_GET = "http.get";
    public static final String HTTP_POST = "http.post";
    public static final String HTTP_PUT = "http.put";
    public static final String HTTP_DELETE = "http.delete";
    public static final String HTTP_PATCH = "http.patch";
    public static final String HTTP_HEAD = "http.head";

    public static final String GRPC_REQUEST = "grpc.request";
    public static final String KAFKA_PRODUCE = "kafka.produce";
    public static final String KAFKA_CONSUME = "kafka.consume";
    public static final String RABBITMQ_PRODUCE = "rabbitmq.produce";
    public static final String RABBITMQ_CONSUME = "rabbitmq.consume";

    /** An application method traced by configuration ({@code methods}) or {@code @Traced}. */
    public static final String METHOD = "method";

    public static final String LOG_TRACE = "log.trace";
    public static final String LOG_DEBUG = "log.debug";
    public static final String LOG_INFO = "log.info";
    public static final String LOG_NOTICE = "log.notice";
    public static final String LOG_WARN = "log.warn";
    public static final String LOG_ERROR = "log.error";
    public static final String LOG_ALARM = "log.alarm";
    public static final String LOG_EXCEPTION = "log.exception";

    public static final String METRIC_COUNTER = "metric.counter";
    public static final String METRIC_TIMER = "metric.timer";
    public static final String METRIC_IP = "metric.ip";

    private RecordNames() {
    }

    /** {@code http.<method>} for an HTTP method in any case; unknown methods keep their lower-cased name. */
    public static String http(String method) {
        if (method == null) {
            return HTTP_GET;
        }
        switch (method) {
            case "GET": return HTTP_GET;
            case "POST": return HTTP_POST;
            case "PUT": return HTTP_PUT;
            case "DELETE": return HTTP_DELETE;
            case "PATCH": return HTTP_PATCH;
            case "HEAD": return HTTP_HEAD;
            default: return "http." + method.toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The name of the failed form of {@code name}: {@code name + ".error"} (idempotent). */
    public static String error(String name) {
        return name.endsWith(ERROR_SUFFIX) ? name : name + ERROR_SUFFIX;
    }
}
