package io.rpctrace.instrumentation.memcache;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;

/** {@code x_host} of a memcached server: {@code ip:port} of its socket address, cached per address. */
final class MemcacheEndpoints {
    private static final int MAX_CACHED = 1024;
    private static final ConcurrentHashMap<Object, String> TEXT = new ConcurrentHashMap<>();

    private MemcacheEndpoints() {
    }

    /** {@code ip:port} of an {@code InetSocketAddress} (a {@code String} as it is), or null. */
    static String of(Object address) {
        if (address == null) {
            return null;
        }
        if (address instanceof String) {
            return (String) address;
        }
        String s = TEXT.get(address);
        if (s != null) {
            return s;
        }
        if (address instanceof InetSocketAddress) {
            InetSocketAddress a = (InetSocketAddress) address;
            s = (a.getAddress() != null ? ip(a.getAddress()) : a.getHostString()) + ":" + a.getPort();
        } else {
            s = address.toString();
        }
        if (TEXT.size() < MAX_CACHED) {
            TEXT.put(address, s);
        }
        return s;
    }

    private static String ip(InetAddress a) {
        String ip = a.getHostAddress();
        return ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip;
    }
}
