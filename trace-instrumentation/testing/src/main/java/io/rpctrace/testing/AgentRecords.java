package io.rpctrace.testing;

import io.rpctrace.config.ConfigKeys;
import io.rpctrace.internal.Tracing;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * The records written by the agent attached to this test JVM (surefire {@code argLine
 * -javaagent:...trace-agent.jar}, see docs/writing-an-instrumentation.md).
 *
 * <pre>{@code
 * AgentRecords records = AgentRecords.start();   // in @BeforeEach: ignore earlier records
 * ... exercise the instrumented library ...
 * Records.of(records.flush()).named("mysql.request").single().hasRpcId("0.2");
 * }</pre>
 */
public final class AgentRecords {
    private final RecordFiles files;

    private AgentRecords(RecordFiles files) {
        this.files = files;
    }

    /** True when the rpctrace agent runs in this JVM. */
    public static boolean attached() {
        return System.getProperty("rpctrace.agent.installed") != null;
    }

    /** Starts collecting: only records written from now on are returned. Fails without the agent. */
    public static AgentRecords start() {
        if (!attached()) {
            throw new AssertionError("the rpctrace agent is not attached to this JVM: a module without main code gets"
                    + " -javaagent from trace-instrumentation/pom.xml unless it sets agent.javaagent empty"
                    + " (docs/writing-an-instrumentation.md)");
        }
        awaitInstalled();
        Tracing.get().writer().flush();
        return new AgentRecords(new RecordFiles(logDir()).mark());
    }

    /** Waits (up to 60 s) until the agent's instrumentation is installed ({@code agent.startup=async}). */
    public static void awaitInstalled() {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.getProperty("rpctrace.agent.ready") == null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the rpctrace agent did not finish installing in 60 s");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** The agent's {@code log.dir}. */
    public static Path logDir() {
        return Paths.get(Tracing.get().config().get(ConfigKeys.LOG_DIR, "./logs"));
    }

    /** Flushes the agent's writer and returns the records written since {@link #start()}. */
    public List<TraceRecord> flush() {
        Tracing.get().writer().flush();
        return files.read();
    }

    /** The number of errors the agent's advice caught so far in this JVM. */
    public static long internalErrors() {
        return Tracing.get().internalErrors().get();
    }
}
