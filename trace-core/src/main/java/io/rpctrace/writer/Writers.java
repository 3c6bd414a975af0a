package io.rpctrace.writer;

import io.rpctrace.config.Config;
import io.rpctrace.internal.Service;

/** Creates the configured writer for a service. */
public final class Writers {
    private Writers() {
    }

    /**
     * The ring writer for {@code <log.dir>/<service>.trace.log}, with the writer keys of
     * {@code config} ({@code flush.interval.ms}, {@code buffer.size}, {@code ring.size},
     * {@code writer.blocking}, {@code record.max.bytes}, {@code retention.days},
     * {@code file.max.bytes}, {@code file.roll.interval}, {@code dir.max.bytes}).
     */
    public static RecordWriter create(Config config, Service service) {
        return new RingFileWriter(WriterSettings.from(config, service.name(), service.department(),
                service.version(), service.pid()));
    }
}
