package io.rpctrace.writer;

import io.rpctrace.config.Config;
import io.rpctrace.config.ConfigKeys;
import io.rpctrace.internal.Service;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Creates the configured writer for a service. */
public final class Writers {
    private Writers() {
    }

    /** The file writer for {@code <log.dir>/<service>.trace.log}. */
    public static RecordWriter create(Config config, Service service) {
        Path dir = Paths.get(config.get(ConfigKeys.LOG_DIR, "./logs"));
        int maxBytes = (int) config.getBytes(ConfigKeys.RECORD_MAX_BYTES, 64 * 1024, 1024, 64L << 20);
        long flushMs = config.getLong(ConfigKeys.FLUSH_INTERVAL_MS, 1000, 1, 2000);
        return new SimpleFileWriter(dir.resolve(service.name() + ".trace.log"), service.department(),
                service.version(), service.pid(), maxBytes, flushMs);
    }
}
