package io.rpctrace.it.memcache;

import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.spy.memcached.ConnectionFactoryBuilder;
import net.spy.memcached.MemcachedClient;

/** spymemcached, its synchronous calls (futures awaited as applications do). */
final class SpyClient implements MemcacheClient {
    private final MemcachedClient client;

    SpyClient(String host, int port, long timeoutMs) throws Exception {
        client = new MemcachedClient(new ConnectionFactoryBuilder().setOpTimeout(timeoutMs).build(),
                Collections.singletonList(new InetSocketAddress(host, port)));
    }

    @Override
    public String jar() {
        return MemcachedClient.class.getProtectionDomain().getCodeSource().getLocation().getPath();
    }

    @Override
    public void set(String key, String value) throws Exception {
        if (!client.set(key, 0, value).get()) {
            throw new IllegalStateException("not stored");
        }
    }

    @Override
    public String get(String key) {
        return (String) client.get(key);
    }

    @Override
    public boolean delete(String key) throws Exception {
        return client.delete(key).get();
    }

    @Override
    public Map<String, Object> getMulti(List<String> keys) {
        return client.getBulk(keys);
    }

    @Override
    public void close() {
        client.shutdown(2, TimeUnit.SECONDS);
    }
}
