package io.rpctrace.it.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.testing.ChildJvm;
import io.rpctrace.testing.Records;
import org.junit.jupiter.api.Test;

/**
 * An application that runs Micrometer Tracing with the OpenTelemetry SDK beside the agent: the
 * {@code traceparent} its client observation writes is the one the callee receives, so the
 * application's own spans keep their parents; rpctrace's ids travel beside it and its tree is
 * whole (docs/propagation.md#interop). Without the agent the application sees the same.
 */
class MicrometerTracingTest {
    private static final String[] CLIENTS = {"jdk", "url-connection", "webclient"};

    @Test
    void theApplicationsTraceparentReachesTheCalleeAndTheIdsTravelBesideIt() {
        ChildJvm.Result r = ChildJvm.withAgent().agentArgs("service=traced")
                .main(TracedApplication.class).timeoutSeconds(180).run().assertExitCode(0);
        Records all = Records.of(r.records());
        for (String client : CLIENTS) {
            String[] f = fields(r, client);
            String received = f[0];
            String rpcId = f[1];
            String clientSpan = f[2];
            String trace = f[3];
            assertTrue(clientSpan.startsWith("00-"), client + ": no client span of the application's: " + r.stdout());
            assertEquals(clientSpan, received, client + ": the callee's parent is the application's client span");
            Records t = all.inTrace(trace);
            String callId = t.named("http.get").single().rpcId();
            assertEquals(callId, rpcId, client);
            t.named("request.info").where(x -> x.rpcId().equals(callId + ".1")).single().has("x_code", "200");
            t.assertUniqueIds();
        }
    }

    @Test
    void withoutTheAgentTheApplicationSeesTheSame() {
        ChildJvm.Result r = ChildJvm.withoutAgent().main(TracedApplication.class).timeoutSeconds(180).run()
                .assertExitCode(0);
        for (String client : CLIENTS) {
            String[] f = fields(r, client);
            assertTrue(f[2].startsWith("00-"), r.stdout());
            assertEquals(f[2], f[0], client);
            assertEquals("null", f[1], client);
        }
    }

    /** The four fields of a client's RESULT line; fails with the application's output otherwise. */
    private static String[] fields(ChildJvm.Result r, String client) {
        String[] f = r.fields("RESULT " + client + " ");
        assertEquals(4, f.length, r.stdout() + "\n--- stderr\n" + r.stderr());
        return f;
    }
}
