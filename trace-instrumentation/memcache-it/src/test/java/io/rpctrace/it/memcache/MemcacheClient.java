package io.rpctrace.it.memcache;

import java.util.List;
import java.util.Map;

/** What the scenarios do with a memcached client; one implementation per library. */
interface MemcacheClient extends AutoCloseable {
    /** The library's jar, to check which version runs. */
    String jar();

    void set(String key, String value) throws Exception;

    String get(String key) throws Exception;

    boolean delete(String key) throws Exception;

    Map<String, Object> getMulti(List<String> keys) throws Exception;

    @Override
    void close() throws Exception;

    /** A client of {@code kind} ({@code spymemcached} or {@code xmemcached}), operation timeout {@code timeoutMs}. */
    static MemcacheClient open(String kind, String host, int port, long timeoutMs) throws Exception {
        return kind.equals("spymemcached") ? new SpyClient(host, port, timeoutMs) : new XClient(host, port, timeoutMs);
    }
}
