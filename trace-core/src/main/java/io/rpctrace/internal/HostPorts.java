package io.rpctrace.internal;

/**
 * {@code x_host} strings ({@code ip:port}, {@code [v6]:port}) made once per remote end rather
 * than once per call: a client talks to a handful of ends, and each call would otherwise build
 * the same string again (about 56 bytes).
 *
 * <pre>{@code
 * span.host(HostPorts.of("10.0.0.7", 9092));   // "10.0.0.7:9092", the same instance next time
 * }</pre>
 *
 * <p>Design note: a direct-mapped cache of {@value #SIZE} immutable entries, replaced on a
 * collision; entries are published by a plain array store, which is safe because their fields
 * are final (a reader sees a whole entry or the previous one). Bounded, lock-free, and a miss
 * costs what the concatenation cost before.
 */
public final class HostPorts {
    static final int SIZE = 64;
    private static final Entry[] CACHE = new Entry[SIZE];

    private HostPorts() {
    }

    /** {@code host:port}, with an IPv6 literal in brackets; null when {@code host} is null. */
    public static String of(String host, int port) {
        if (host == null) {
            return null;
        }
        int i = (host.hashCode() * 31 + port) & (SIZE - 1);
        Entry e = CACHE[i];
        if (e != null && e.port == port && e.host.equals(host)) {
            return e.value;
        }
        String value = host.indexOf(':') >= 0 ? '[' + host + "]:" + port : host + ':' + port;
        CACHE[i] = new Entry(host, port, value);
        return value;
    }

    private static final class Entry {
        final String host;
        final int port;
        final String value;

        Entry(String host, int port, String value) {
            this.host = host;
            this.port = port;
            this.value = value;
        }
    }
}
