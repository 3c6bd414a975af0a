package io.rpctrace.it.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.testing.ChildJvm;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The agent attached to a running JVM that already uses Reactor (agentmain, docs/configuration.md):
 * operators assembled after the attach carry the request's scope to a signal from another thread, as with
 * {@code -javaagent} from the start.
 */
class AttachedAgentTest {
    @Test
    void aChainAssembledAfterTheAttachKeepsTheRequestsScopeAcrossAThreadHop() {
        ChildJvm.Result r = ChildJvm.withoutAgent()
                .jvmArg("-Djdk.attach.allowAttachSelf=true", "-XX:+EnableDynamicAgentLoading")
                .main(AttachScenario.class, ChildJvm.agentJar().toString(), "service=attached")
                .run().assertExitCode(0);
        assertTrue(r.stderr().contains("rpctrace: agent "), r.stderr());
        assertEquals(List.of("[2, 4, 6]"), r.lines("before="));
        // the call after the boundary, on the emitting thread, is the request's next call
        assertEquals(List.of("0.2 on emitter"), r.lines("hop="), r.stdout() + r.stderr());
    }
}
