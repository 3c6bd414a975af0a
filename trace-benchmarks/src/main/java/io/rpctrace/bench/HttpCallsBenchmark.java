package io.rpctrace.bench;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.config.Config;
import io.rpctrace.context.TraceId;
import io.rpctrace.instrumentation.http.HttpClientCalls;
import io.rpctrace.instrumentation.http.HttpServerCalls;
import io.rpctrace.internal.Tracing;
import io.rpctrace.record.Record;
import io.rpctrace.writer.RecordWriter;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 5, the part of {@link HttpBenchmark} a loaded machine cannot resolve: what the HTTP
 * advice runs per served request and per outgoing call, in process, without the network
 * The records are claimed and published like in production, into a writer that encodes
 * nothing: on two loaded cores the real writer thread falls behind a loop that writes
 * millions of records a second, and the loop then measures the writer, not the advice.
 *
 * <ul>
 *   <li>{@code servedRequest}: {@code HttpServerCalls.start} from the header array the advice
 *       reads (caller ids, User-Agent, X-Forwarded-For), then {@code end}: rule 1, the
 *       {@code request.info} fields, URL masking, the record, per-IP metrics.</li>
 *   <li>{@code clientCall}: {@code HttpClientCalls.start}, the headers to inject (ids,
 *       {@code traceparent}), {@code end} with an IP-literal host: rule 2 and the record.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Drpctrace.log.dir=target/bench-logs", "-Drpctrace.service=bench"})
@State(Scope.Thread)
public class HttpCallsBenchmark {
    private final String[] headers = new String[HttpServerCalls.HEADERS.length];
    private Span request;

    @Setup(Level.Trial)
    public void setUp() {
        Tracing.start(Config.load(null), new DiscardingWriter());
        put("X-Trace-Id", TraceId.generate());
        put("X-Rpc-Id", "0.3");
        put("User-Agent", "okhttp/4.12.0");
        put("X-Forwarded-For", "203.0.113.9");
        request = Trace.enter(TraceId.generate(), "0.1");
    }

    private void put(String name, String value) {
        headers[Arrays.asList(HttpServerCalls.HEADERS).indexOf(name)] = value;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        request.close();
    }

    @Benchmark
    public Span servedRequest() {
        Span s = HttpServerCalls.start(headers, "GET", "http://127.0.0.1:8080/orders?id=7", "id=7", "127.0.0.1",
                "127.0.0.1:8080");
        String traceIdHeader = s.traceId();
        HttpServerCalls.end(s, 200, 2, null);
        return traceIdHeader == null ? null : s;
    }

    @Benchmark
    public String[] clientCall() {
        Span call = HttpClientCalls.start("GET", "http://127.0.0.1:8080/orders?id=7");
        String[] h = HttpClientCalls.headers(call);
        HttpClientCalls.end(call, 200, 2, HttpClientCalls.host("127.0.0.1", 8080));
        return h;
    }

    /** Hands out one reusable record per thread and drops what is published. */
    static final class DiscardingWriter implements RecordWriter {
        private final ThreadLocal<Record> slot = ThreadLocal.withInitial(Record::new);
        private long published;

        @Override
        public Record claim() {
            return slot.get().reset();
        }

        @Override
        public void publish(Record record) {
            published++;
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        @Override
        public long dropped() {
            return 0;
        }

        @Override
        public long written() {
            return published;
        }
    }
}
