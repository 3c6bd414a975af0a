package io.rpctrace.it.dubbo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.testing.ChildJvm;
import io.rpctrace.testing.NoInstrumentationErrors;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.TraceRecord;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link Scenario} in a child JVM without the agent and with it: the application sees the same. */
@ExtendWith(NoInstrumentationErrors.class)
class SameResultsTest {
    private static final List<String> EXPECTED = List.of(
            "greet ada",
            "slow org.apache.dubbo.rpc.RpcException timeout=true",
            "fail java.lang.IllegalStateException out of stock: pear",
            "nowhere org.apache.dubbo.rpc.RpcException code=1",
            "async bob");

    @Test
    void theApplicationSeesTheSameWithAndWithoutTheAgent() throws Exception {
        // the two JVMs share nothing (each its own port and provider): they run side by side
        ChildJvm withoutAgent = ChildJvm.withoutAgent().main(Scenario.class, String.valueOf(freePort()));
        CompletableFuture<ChildJvm.Result> baseline = CompletableFuture.supplyAsync(withoutAgent::run);
        ChildJvm.Result with = ChildJvm.withAgent().agentArgs("service=dubbo-same")
                .main(Scenario.class, String.valueOf(freePort())).run().assertExitCode(0);
        ChildJvm.Result without = baseline.join().assertExitCode(0);
        assertEquals(EXPECTED, without.lines("RESULT "));
        assertEquals(EXPECTED, with.lines("RESULT "), "the application sees the same with the agent");
        assertFalse(with.stderr().contains("an instrumentation failed"), with.stderr());
        Records all = Records.of(with.records());
        assertEquals(2, all.named("dubbo.request").size(), all.toString());
        all.named("dubbo.request.error").where(r -> "timeout".equals(r.string("x_code"))).single();
        all.named("dubbo.request.error").where(r -> "biz".equals(r.string("x_code"))).single();
        // nothing listens on the port: the protocol invoker fails to send (RpcException code 1)
        all.named("dubbo.request.error").where(r -> "network".equals(r.string("x_code"))).single()
                .has("x_action", Greeter.class.getName() + ".greet");
    }

    @Test
    void theTripleProtocol() throws Exception {
        ChildJvm.Result with = ChildJvm.withAgent().agentArgs("service=dubbo-tri")
                .main(Scenario.class, String.valueOf(freePort()), "tri").run().assertExitCode(0);
        // Dubbo's Triple client reports the slow call's passed deadline either as a timeout or,
        // when the stream's cancel wins the race, as a plain RpcException — without the agent too
        // (seen on a quiet machine): the application sees one or the other, and so does the record
        List<String> lines = with.lines("RESULT ");
        assertEquals(EXPECTED.size(), lines.size(), lines.toString());
        boolean timedOut = lines.get(1).equals(EXPECTED.get(1));
        assertTrue(timedOut || lines.get(1).equals("slow org.apache.dubbo.rpc.RpcException timeout=false"), lines.get(1));
        for (int i = 0; i < EXPECTED.size(); i++) {
            if (i != 1) {
                assertEquals(EXPECTED.get(i), lines.get(i), with.stderr());
            }
        }
        assertFalse(with.stderr().contains("an instrumentation failed"), with.stderr());
        Records all = Records.of(with.records());
        // each call outside any scope starts a trace (0.1); the provider continues it (0.1.1)
        String trace = all.named("dubbo.request").where(r -> r.string("x_action").endsWith(".greet")).single()
                .hasRpcId("0.1").traceId();
        all.inTrace(trace).named("request.info").single().hasRpcId("0.1.1")
                .has("x_action", Greeter.class.getName() + ".greet");
        all.inTrace(trace).named("h2.request").single().hasRpcId("0.1.3");
        TraceRecord slow = all.named("dubbo.request.error")
                .where(r -> r.string("x_action").endsWith(".slow")).single().record();
        if (timedOut) {
            assertEquals("timeout", slow.string("x_code"), slow.toString());
        } else {
            assertNotNull(slow.string("x_code"), slow.toString());
        }
        String biz = all.named("dubbo.request.error").where(r -> "biz".equals(r.string("x_code"))).single().traceId();
        all.inTrace(biz).named("request.info.error").single().hasRpcId("0.1.1").has("x_code", "biz");
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
