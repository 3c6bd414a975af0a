package io.rpctrace.bench;

import io.rpctrace.instrumentation.memcache.MemcacheCalls;
import io.rpctrace.internal.Tracing;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.concurrent.TimeUnit;
import net.rubyeye.xmemcached.XMemcachedClient;
import net.spy.memcached.MemcachedClient;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the spymemcached and xmemcached instrumentations add to a memcache {@code get} (issue
 * 18, target ≤ 2 µs): a hit on the local memcached (127.0.0.1:11211) through each client,
 * without the agent here, with it in {@link WithAgent} and with its records dropped in
 * {@link WithAgentNoWrite} (same run, same JVM flags otherwise). A loopback round trip swings
 * by more than the target, so {@link InProcess} runs what the advice runs for one get
 * (memcache-common's {@code MemcacheCalls}: start, placement, value, completion, record) with
 * no network. With {@code -prof io.rpctrace.bench.cpu.ThreadCpuProfiler}, {@code cpu.app} is the
 * CPU time of the calling thread per get (the application thread; the clients complete a get on
 * their I/O thread, which {@code cpu.process} includes). Run from the repository root after
 * packaging trace-agent (docs/benchmarks.md).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MemcacheBenchmark {
    static final String KEY = "rpct:bench:item:42";

    @State(org.openjdk.jmh.annotations.Scope.Thread)
    public static class Clients {
        MemcachedClient spy;
        XMemcachedClient x;

        @Setup
        public void open() throws Exception {
            // xmemcached logs every read at DEBUG, and the benchmark jar's Logback has no configuration
            org.slf4j.Logger root = org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            if (root instanceof ch.qos.logback.classic.Logger) {
                ((ch.qos.logback.classic.Logger) root).setLevel(ch.qos.logback.classic.Level.WARN);
            }
            spy = new MemcachedClient(Collections.singletonList(new InetSocketAddress("127.0.0.1", 11211)));
            x = new XMemcachedClient("127.0.0.1", 11211);
            x.set(KEY, 0, "a cached value of some forty bytes......");
        }

        @TearDown
        public void close() throws Exception {
            spy.shutdown(1, TimeUnit.SECONDS);
            x.shutdown();
        }
    }

    /** One {@code get} hit through spymemcached ({@code get} waits on the operation's future). */
    @Benchmark
    public Object spymemcachedGet(Clients c) {
        return c.spy.get(KEY);
    }

    /** One {@code get} hit through xmemcached. */
    @Benchmark
    public Object xmemcachedGet(Clients c) throws Exception {
        return c.x.get(KEY);
    }

    /** The same with the packaged agent (records to a temporary directory; the defaults otherwise). */
    @Fork(value = 1, jvmArgsAppend = {
        "-javaagent:trace-agent/target/trace-agent.jar=log.dir=/tmp/rpctrace-bench,service=bench,dir.max.bytes=256m"})
    public static class WithAgent extends MemcacheBenchmark {
    }

    /** With the agent, its records handed to a writer that drops them (no encoding, no file I/O). */
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    @Fork(value = 1, jvmArgsAppend = {"-javaagent:trace-agent/target/trace-agent.jar=log.dir=/tmp/rpctrace-bench,service=bench"})
    public static class WithAgentNoWrite {

        @State(org.openjdk.jmh.annotations.Scope.Benchmark)
        public static class DroppingWriter {
            @Setup
            public void install() {
                Tracing.start(Tracing.get().config(), new JdbcRedisBenchmark.Dropping());
            }
        }

        @Benchmark
        public Object spymemcachedGetNoWrite(Clients c, DroppingWriter w) {
            return c.spy.get(KEY);
        }

        @Benchmark
        public Object xmemcachedGetNoWrite(Clients c, DroppingWriter w) throws Exception {
            return c.x.get(KEY);
        }
    }

    /**
     * What the advice runs for one hit, in process, no agent: records dropped
     * ({@code getHitDropped}) or encoded by rpctrace's writer to a file ({@code getHit}).
     */
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @Warmup(iterations = 3, time = 1)
    @Measurement(iterations = 5, time = 1)
    @Fork(1)
    @State(org.openjdk.jmh.annotations.Scope.Thread)
    public static class InProcess {
        private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 11211);
        private final byte[] value = "a cached value of some forty bytes......".getBytes(StandardCharsets.UTF_8);

        @Setup
        public void dropRecords() {
            Tracing.start(Tracing.get().config(), new JdbcRedisBenchmark.Dropping());
        }

        /** start (caller), sent (caller), value and complete (I/O thread in the clients; here one thread). */
        @Benchmark
        public Object getHitDropped() {
            Object handle = new Object();
            MemcacheCalls.start(handle, "get", KEY);
            MemcacheCalls.sent(handle, SERVER, null);
            MemcacheCalls.value(handle, value);
            MemcacheCalls.complete(handle);
            return handle;
        }

        /** The baseline of the same method: the handle alone. */
        @Benchmark
        public Object baseline() {
            return new Object();
        }
    }
}
