package io.rpctrace.examples.bench;

import java.nio.file.Path;
import java.util.List;

/** A service (one JVM or several) that the side-by-side benchmark starts, loads and stops. */
public interface Target {
    /** Its name in the results ({@code light}, {@code shop}). */
    String name();

    /**
     * Starts it with {@code mode}'s agent, its files under {@code dir} (emptied first), and
     * returns once it served its first request.
     */
    Running start(Mode mode, Mode.Agents agents, Path dir) throws Exception;

    /** A started target. Closing it stops every JVM it started. */
    interface Running extends AutoCloseable {
        /** The service JVMs whose CPU time and memory count (not infrastructure such as a broker). */
        List<Long> pids();

        /** One request of the kind the benchmark measures. */
        HttpLoad.Request request();

        /** Seconds from starting the first JVM to the first request served. */
        double startupSeconds();

        /** Where the agent writes its records or spans (rpctrace's log directory, the OTLP output file). */
        Path written();

        @Override
        void close();
    }
}
