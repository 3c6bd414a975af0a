package io.rpctrace.it.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.testing.ChildJvm;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Advice that throws, and advice that cannot be applied, do not change the application. */
class SafetyTest {
    private static final String TEST_CLASSES = Paths.get("target", "test-classes").toAbsolutePath().toString();

    @Test
    void throwingAdviceIsCaughtAndCounted() {
        ChildJvm.Result r = ChildJvm.withAgent()
                .agentArgs("agent.extensions=" + TEST_CLASSES + ",instrumentation.failing-test.enabled=true")
                .main(SafetyScenario.class).run().assertExitCode(0);
        assertEquals(List.of("42"), r.lines("result="));
        assertEquals(List.of("java.io.IOException: from the application"), r.lines("caught="));
        assertEquals(List.of("0.2.1"), r.lines("task="));
        assertEquals(4, Long.parseLong(r.lines("errors=").get(0)), "2 calls x (enter + exit) counted");
        assertTrue(java.util.regex.Pattern.compile("instrumentations: executors, threads(, [\\w-]+)*, failing-test")
                .matcher(r.stderr()).find(), r.stderr());
        assertEquals(1, r.stderr().lines().filter(l -> l.contains("an instrumentation failed inside the application")).count(),
                "reported once: " + r.stderr());
    }

    @Test
    void adviceThatCannotBeAppliedIsReportedOnceAndSkipped() {
        ChildJvm.Result r = ChildJvm.withAgent()
                .agentArgs("agent.extensions=" + TEST_CLASSES + ",instrumentation.broken-test.enabled=true")
                .main(SafetyScenario.class).run().assertExitCode(0);
        assertEquals(List.of("42"), r.lines("result="));
        assertEquals(List.of("0.2.1"), r.lines("task="));
        assertEquals(1, r.stderr().lines().filter(l -> l.startsWith("rpctrace: instrumentation broken-test cannot be applied")).count(),
                r.stderr());
    }

    @Test
    void testModulesAreOffByDefault() {
        ChildJvm.Result r = ChildJvm.withAgent()
                .agentArgs("agent.extensions=" + TEST_CLASSES)
                .main(SafetyScenario.class).run().assertExitCode(0);
        assertEquals(List.of("0"), r.lines("errors="));
        assertTrue(r.stderr().contains("disabled: failing-test, broken-test"), r.stderr());
    }
}
