package io.rpctrace.it.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.rpctrace.testing.ChildJvm;
import io.rpctrace.testing.Records;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/propagation.md#debug-mode: a debug trace captures bound values although capture.param is
 * off, secrets masked.
 */
class DebugParamTest {
    @Test
    void aDebugRequestCapturesBindValuesMaskedAPlainOneDoesNot() {
        ChildJvm.Result r = ChildJvm.withAgent().agentArgs("debug.token=s3cret")
                .main(DebugParamScenario.class).run().assertExitCode(0);
        List<String> debug = r.lines("TRACE debug ");
        List<String> plain = r.lines("TRACE plain ");
        assertEquals(1, debug.size(), r.stdout() + r.stderr());
        Records all = Records.of(r.records());
        all.inTrace(debug.get(0)).named("h2.request").single().has("x_param", "[\"ann-debug\",\"***\"]");
        assertNull(all.inTrace(plain.get(0)).named("h2.request").single().record().string("x_param"));
    }
}
