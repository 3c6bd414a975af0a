package io.rpctrace.writer;

import io.rpctrace.config.Config;
import io.rpctrace.internal.Tracing;
import io.rpctrace.record.Record;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * The child JVM of {@link ChildJvmTest}: a service that writes records through the default
 * writer (with the JVM shutdown hook of {@link Tracing}) until it is signalled.
 *
 * <p>{@code term <dir> <n>}: writes n records, says "published" and waits.
 * {@code kill <dir>}: writes a record every half millisecond, forever.
 */
public final class ChildWriterMain {
    private ChildWriterMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean term = args[0].equals("term");
        Map<String, String> cfg = new HashMap<>();
        cfg.put("log.dir", args[1]);
        cfg.put("service", "child");
        cfg.put("flush.interval.ms", term ? "2000" : "200");
        cfg.put("buffer.size", term ? "8m" : "16m");
        cfg.put("writer.blocking", term ? "true" : "false");
        Tracing tracing = Tracing.start(Config.of(cfg), null);
        Record r = new Record();
        if (term) {
            int n = Integer.parseInt(args[2]);
            for (int i = 0; i < n; i++) {
                tracing.emit(fill(r, i));
            }
            System.out.println("published");
            System.out.flush();
            Thread.sleep(60_000);
            return;
        }
        for (long i = 0; ; i++) {
            tracing.emit(fill(r, i));
            if (i == 0) {
                System.out.println("started");
                System.out.flush();
            }
            LockSupport.parkNanos(500_000);
        }
    }

    private static Record fill(Record r, long seq) {
        return r.reset().name("child.rec").traceId("4bf92f3577b34da6a3ce929d0e0e4736").rpcId("0", 1)
                .timestampMs(System.currentTimeMillis()).module("child_main").threadId(1).extra("seq", seq);
    }
}
