package io.rpctrace.testing;

import java.util.function.Predicate;

/**
 * Server records are written after the response went out, so a client can see the response
 * before the record exists: poll until the records a test expects are in.
 *
 * <pre>{@code
 * Records t = AwaitRecords.until(agent, r -> r.inTrace(trace).size() >= 3).inTrace(trace);
 * }</pre>
 */
public final class AwaitRecords {
    private AwaitRecords() {
    }

    /** The records since {@code agent} started, once {@code done} holds (or after 5 s, as they are). */
    public static Records until(AgentRecords agent, Predicate<Records> done) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            Records r = Records.of(agent.flush());
            if (done.test(r) || System.nanoTime() > deadline) {
                return r;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return r;
            }
        }
    }
}
