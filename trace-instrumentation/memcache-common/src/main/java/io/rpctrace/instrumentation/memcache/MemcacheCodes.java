package io.rpctrace.instrumentation.memcache;

import java.util.Locale;

/**
 * {@code x_code} of a memcached command. Outcomes that are part of normal cache use are not
 * failures: {@code 0} (a hit, stored, deleted), {@code miss} (the key was not there),
 * {@code not_stored} ({@code add} of a present key, {@code replace} of a missing one),
 * {@code exists} (a {@code cas} that lost). Everything else makes a
 * {@code memcache.request.error}: {@code timeout}, {@code cancelled}, {@code connection_lost}
 * (the server went away with the command in flight), {@code no_connection} (no server to send
 * to), {@code server_error}, {@code client_error}, or the server's status in lower case
 * ({@code 2big}, {@code no_mem}, ...).
 */
public final class MemcacheCodes {
    public static final String OK = "0";
    public static final String MISS = "miss";
    public static final String NOT_STORED = "not_stored";
    public static final String EXISTS = "exists";
    public static final String TIMEOUT = "timeout";
    public static final String CANCELLED = "cancelled";
    public static final String CONNECTION_LOST = "connection_lost";
    public static final String NO_CONNECTION = "no_connection";
    public static final String SERVER_ERROR = "server_error";
    public static final String CLIENT_ERROR = "client_error";
    public static final String CONNECT_FAILED = "connect_failed";

    private MemcacheCodes() {
    }

    /** True when {@code code} makes the record a {@code .error} one. */
    public static boolean failure(String code) {
        return !(OK.equals(code) || MISS.equals(code) || NOT_STORED.equals(code) || EXISTS.equals(code));
    }

    /**
     * The code of a client status by its name: spymemcached's {@code StatusCode}
     * ({@code SUCCESS}, {@code ERR_NOT_FOUND}, {@code TIMEDOUT}, ...).
     */
    public static String ofStatus(String name) {
        if (name == null || name.equals("SUCCESS")) {
            return OK;
        }
        switch (name) {
            case "ERR_NOT_FOUND":
                return MISS;
            case "ERR_EXISTS":
                return EXISTS;
            case "ERR_NOT_STORED":
                return NOT_STORED;
            case "TIMEDOUT":
                return TIMEOUT;
            case "ERR_INTERNAL":
                return SERVER_ERROR;
            case "ERR_CLIENT":
                return CLIENT_ERROR;
            default:
                return (name.startsWith("ERR_") ? name.substring(4) : name).toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The code of a command that ended with {@code result} (xmemcached): a get that found
     * nothing ({@code null}) is a {@code miss}; a {@code false} is a {@code miss} for
     * {@code delete}/{@code touch}/{@code incr}/{@code decr}, {@code exists} for {@code cas},
     * {@code not_stored} for the other stores.
     */
    public static String ofResult(String command, Object result) {
        if (result == null) {
            return command.startsWith("get") || command.equals("gat") ? MISS : OK;
        }
        if (Boolean.FALSE.equals(result)) {
            switch (command) {
                case "delete":
                case "touch":
                case "incr":
                case "decr":
                    return MISS;
                case "cas":
                    return EXISTS;
                case "set":
                case "add":
                case "replace":
                case "append":
                case "prepend":
                    return NOT_STORED;
                default:
                    return OK;
            }
        }
        return OK;
    }

    /** The code of a thrown or recorded exception. */
    public static String ofThrowable(Throwable t) {
        String type = t.getClass().getSimpleName();
        String msg = t.getMessage();
        if (type.contains("Timeout")) {
            return TIMEOUT;
        }
        if (type.equals("MemcachedServerException")) {
            return SERVER_ERROR;
        }
        if (type.equals("MemcachedClientException")) {
            return CLIENT_ERROR;
        }
        if (msg != null) {
            if (msg.contains("has been closed") || msg.contains("Connection reset") || msg.contains("Broken pipe")) {
                return CONNECTION_LOST;
            }
            if (msg.contains("no available connection") || msg.contains("is stopped") || msg.contains("Shutting down")) {
                return NO_CONNECTION;
            }
            if (msg.equalsIgnoreCase("cancelled")) {
                return CANCELLED;
            }
        }
        if (t instanceof java.util.concurrent.CancellationException) {
            return CANCELLED;
        }
        if (t instanceof java.net.ConnectException) {
            return CONNECT_FAILED;
        }
        return type;
    }
}
