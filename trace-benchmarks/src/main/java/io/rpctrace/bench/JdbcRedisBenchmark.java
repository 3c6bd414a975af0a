package io.rpctrace.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.rpctrace.internal.Tracing;
import io.rpctrace.record.Record;
import io.rpctrace.writer.RecordWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
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
import redis.clients.jedis.Jedis;

/**
 * What the jdbc and jedis instrumentations add to a call (issue 6, target ≤ 1 µs): H2 in
 * memory {@code select 1} through a prepared statement, and a Jedis {@code GET} on the local
 * Redis, without the agent here and with it in {@link WithAgent} (same run, same JVM flags
 * otherwise). Run from the repository root after packaging trace-agent (docs/benchmarks.md).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JdbcRedisBenchmark {

    @State(org.openjdk.jmh.annotations.Scope.Thread)
    public static class H2 {
        Connection connection;
        PreparedStatement select1;

        @Setup
        public void open() throws SQLException {
            connection = DriverManager.getConnection("jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1", "sa", "");
            select1 = connection.prepareStatement("select 1");
        }

        @TearDown
        public void close() throws SQLException {
            select1.close();
            connection.close();
        }
    }

    /** H2 in memory behind HikariCP: every borrow hands out a new connection proxy. */
    @State(org.openjdk.jmh.annotations.Scope.Thread)
    public static class Pool {
        HikariDataSource ds;

        @Setup
        public void open() {
            HikariConfig c = new HikariConfig();
            c.setJdbcUrl("jdbc:h2:mem:benchpool;DB_CLOSE_DELAY=-1");
            c.setUsername("sa");
            c.setPassword("");
            c.setMaximumPoolSize(1);
            ds = new HikariDataSource(c);
        }

        @TearDown
        public void close() {
            ds.close();
        }
    }

    @State(org.openjdk.jmh.annotations.Scope.Thread)
    public static class Redis {
        Jedis jedis;

        @Setup
        public void open() {
            jedis = new Jedis("127.0.0.1", 6379);
            jedis.set("rpct:bench", "value");
        }

        @TearDown
        public void close() {
            jedis.close();
        }
    }

    /** {@code executeQuery} of a statement prepared once: the per-query cost. */
    @Benchmark
    public int h2PreparedSelect1(H2 h2) throws SQLException {
        return select1(h2);
    }

    static int select1(H2 h2) throws SQLException {
        try (ResultSet rs = h2.select1.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Prepare, execute and close per query (what an application without a statement cache does). */
    @Benchmark
    public int h2PrepareExecuteClose(H2 h2) throws SQLException {
        try (PreparedStatement ps = h2.connection.prepareStatement("select 1"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * The light service's query (trace-benchmarks/light-service): borrow a pooled connection,
     * prepare, bind, execute and close, all on one thread.
     */
    @Benchmark
    public int hikariPrepareExecuteClose(Pool pool) throws SQLException {
        return borrowPrepareExecute(pool);
    }

    static int borrowPrepareExecute(Pool pool) throws SQLException {
        try (Connection c = pool.ds.getConnection(); PreparedStatement ps = c.prepareStatement("select ? + 1")) {
            ps.setInt(1, 41);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** One {@code GET} round trip to the local Redis. */
    @Benchmark
    public String jedisGet(Redis redis) {
        return redis.jedis.get("rpct:bench");
    }

    /**
     * The same benchmarks with the packaged agent (records to a temporary directory, capped;
     * x_module on, capture.param off: the defaults).
     */
    @Fork(value = 1, jvmArgsAppend = {
        "-javaagent:trace-agent/target/trace-agent.jar=log.dir=/tmp/rpctrace-bench,service=bench,dir.max.bytes=256m"})
    public static class WithAgent extends JdbcRedisBenchmark {
    }

    /**
     * With the agent, its records handed to a writer that drops them: what the instrumentation
     * itself adds on the application thread (advice, state lookup, span, record copy, module
     * timer), without the JSON encoding and file I/O, which the writer does.
     */
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
                Tracing.start(Tracing.get().config(), new Dropping());
            }
        }

        @Benchmark
        public int h2PreparedSelect1NoWrite(H2 h2, DroppingWriter w) throws SQLException {
            return select1(h2);
        }

        @Benchmark
        public int hikariPrepareExecuteCloseNoWrite(Pool pool, DroppingWriter w) throws SQLException {
            return borrowPrepareExecute(pool);
        }

        @Benchmark
        public String jedisGetNoWrite(Redis redis, DroppingWriter w) {
            return redis.jedis.get("rpct:bench");
        }
    }

    /** Hands out one record and forgets what is published. */
    static final class Dropping implements RecordWriter {
        private final ThreadLocal<Record> slot = ThreadLocal.withInitial(Record::new);
        private long written;

        @Override public Record claim() { return slot.get().reset(); }
        @Override public void publish(Record record) { written++; }
        @Override public void flush() { }
        @Override public void close() { }
        @Override public long dropped() { return 0; }
        @Override public long written() { return written; }
    }
}
