package io.rpctrace.it.memcache;

/** xmemcached (2.4.8, and 2.4.0 in the "floor" run) against the local memcached. */
class XmemcachedTest extends MemcacheContract {
    @Override
    String kind() {
        return "xmemcached";
    }
}
