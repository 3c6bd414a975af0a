package io.rpctrace.bench;

import io.rpctrace.record.Record;
import io.rpctrace.writer.RecordWriter;

/**
 * A writer that costs the application thread what a ring hand-off costs at least: claim
 * resets a per-thread slot, publish is one volatile store. It keeps the logging benchmarks
 * about the logging integration; the writer's own cost is measured with the writer.
 */
final class HandOffWriter implements RecordWriter {
    private final ThreadLocal<Record> slots = ThreadLocal.withInitial(Record::new);
    private volatile Record last;
    private long published;

    @Override
    public Record claim() {
        return slots.get().reset();
    }

    @Override
    public void publish(Record record) {
        last = record;
        published++;
    }

    @Override public void flush() { }
    @Override public void close() { }
    @Override public long dropped() { return 0; }
    @Override public long written() { return published; }
}
