package io.rpctrace.bench;

import io.rpctrace.context.Scope;
import io.rpctrace.context.TraceId;
import io.rpctrace.record.Record;
import io.rpctrace.record.RecordEncoder;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The hot path of trace-core (issue 2): id generation, one outgoing-call increment, and
 * encoding a typical {@code mysql.request} record. Run with {@code -prof gc} for allocation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CoreBenchmark {

    @State(org.openjdk.jmh.annotations.Scope.Thread)
    public static class EncodeState {
        final RecordEncoder encoder = new RecordEncoder(null, "java-order-1.4", "12345", 64 * 1024);
        final Record record = new Record();
        final String traceId = TraceId.generate();

        @Setup
        public void fill() {
            record.reset().name("mysql.request").traceId(traceId).rpcId("0", 2)
                    .timestampMs(1763800000123L).durationNanos(731_000).module("order_dao_find")
                    .threadId(17).host("127.0.0.1:3306").db("shop").code("0")
                    .action("select * from orders where id = ?").responseLen(1);
        }
    }

    /**
     * The same record, but every string is a fresh instance each time (1,024 copies in turn),
     * so the encoder's identity cache never hits: the cost of values seen for the first time.
     */
    @State(org.openjdk.jmh.annotations.Scope.Thread)
    public static class FreshStringsState {
        static final int N = 1024;
        final RecordEncoder encoder = new RecordEncoder(null, "java-order-1.4", "12345", 64 * 1024);
        final Record[] records = new Record[N];
        int next;

        @Setup
        public void fill() {
            for (int i = 0; i < N; i++) {
                records[i] = new Record().name(new String("mysql.request")).traceId(TraceId.generate())
                        .rpcId("0", 2).timestampMs(1763800000123L).durationNanos(731_000)
                        .module(new String("order_dao_find")).threadId(17).host(new String("127.0.0.1:3306"))
                        .db(new String("shop")).code(new String("0"))
                        .action(new String("select * from orders where id = ?")).responseLen(1);
            }
        }
    }

    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class ScopeState {
        final Scope scope = Scope.enter(TraceId.generate(), "0.3", false);
    }

    /** A new 128-bit trace id as 32 hex characters. */
    @Benchmark
    public String traceIdGenerate() {
        return TraceId.generate();
    }

    /** Rule 2: one atomic increment of the scope counter (the id string is built by the encoder). */
    @Benchmark
    public int outgoingCallIncrement(ScopeState s) {
        return s.scope.nextCall();
    }

    /** Rule 2 with the id string built, as needed when the id is sent downstream. */
    @Benchmark
    public String outgoingCallIdString(ScopeState s) {
        return s.scope.nextCallId();
    }

    /** Encoding one typical mysql.request record to a JSON line (reused buffers). */
    @Benchmark
    public int encodeMysqlRequest(EncodeState s) {
        return s.encoder.encode(s.record);
    }

    /** The same record with strings the encoder has not seen before (worst case for its cache). */
    @Benchmark
    public int encodeMysqlRequestFreshStrings(FreshStringsState s) {
        int i = s.next;
        s.next = (i + 1) & (FreshStringsState.N - 1);
        return s.encoder.encode(s.records[i]);
    }
}
