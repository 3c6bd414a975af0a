package io.rpctrace.it.memcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.testing.ChildJvm;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.Servers;
import io.rpctrace.testing.TraceRecord;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A private memcached killed mid-run (FaultScenario, in child JVMs): the application sees the
 * same results with and without the agent, and the calls made after the kill are
 * {@code memcache.request.error} records with a code that says what happened.
 */
class FaultTest {
    /** Codes a call to a dead server may end with, by client: spymemcached waits and times out
     *  (its default failure mode retries the node), xmemcached fails at once. */
    private static final Set<String> DEAD_SERVER_CODES = Set.of("timeout", "cancelled", "connection_lost", "no_connection");

    @BeforeAll
    static void memcached() {
        if (!Files.isExecutable(Paths.get(FaultScenario.MEMCACHED))) {
            String reason = FaultScenario.MEMCACHED + " is missing (Debian's memcached package; .ci/run installs it)";
            if (Servers.inCi()) {
                throw new AssertionError(reason + "; CI=true requires it");
            }
            Assumptions.abort(reason);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"spymemcached", "xmemcached"})
    void aServerKilledMidRunGivesErrorCodesAndTheSameResults(String kind) {
        ChildJvm.Result with = ChildJvm.withAgent().main(FaultScenario.class, kind).run().assertExitCode(0);
        ChildJvm.Result without = ChildJvm.withoutAgent().main(FaultScenario.class, kind).run().assertExitCode(0);
        List<String> saw = with.lines("SAW ");
        assertEquals(without.lines("SAW "), saw, with.stdout());
        assertEquals("get returned v1", saw.get(1));
        Records trace = Records.of(with.records()).inTrace(with.lines("TRACE ").get(0)).assertUniqueIds();
        trace.named("memcache.connect").single().hasRpcId("0.2").has("x_code", "0");
        trace.named("memcache.request").where(r -> "0.3".equals(r.rpcId())).single().has("x_action", "set fault:k");
        trace.named("memcache.request").where(r -> "0.4".equals(r.rpcId())).single().has("x_action", "get fault:k");
        Records errors = trace.named("memcache.request.error");
        assertEquals(2, errors.size(), trace.toString() + "\n" + with.stdout());
        for (TraceRecord e : errors.list()) {
            assertTrue(DEAD_SERVER_CODES.contains(e.string("x_code")), e.line());
            assertTrue(e.string("x_msg") != null && !e.string("x_msg").isEmpty(), e.line());
        }
    }
}
