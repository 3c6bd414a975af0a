package io.rpctrace.it.memcache;

import java.util.List;
import java.util.Map;
import net.rubyeye.xmemcached.XMemcachedClient;

/** xmemcached, its synchronous API. */
final class XClient implements MemcacheClient {
    private final XMemcachedClient client;

    XClient(String host, int port, long timeoutMs) throws Exception {
        client = new XMemcachedClient(host, port);
        client.setOpTimeout(timeoutMs);
    }

    @Override
    public String jar() {
        return XMemcachedClient.class.getProtectionDomain().getCodeSource().getLocation().getPath();
    }

    @Override
    public void set(String key, String value) throws Exception {
        if (!client.set(key, 0, value)) {
            throw new IllegalStateException("not stored");
        }
    }

    @Override
    public String get(String key) throws Exception {
        return client.get(key);
    }

    @Override
    public boolean delete(String key) throws Exception {
        return client.delete(key);
    }

    @Override
    public Map<String, Object> getMulti(List<String> keys) throws Exception {
        return client.get(keys);
    }

    @Override
    public void close() throws Exception {
        client.shutdown();
    }
}
