package io.rpctrace.it.memcache;

/** spymemcached (2.12.3, and 2.12.0 in the "floor" run) against the local memcached. */
class SpymemcachedTest extends MemcacheContract {
    @Override
    String kind() {
        return "spymemcached";
    }
}
