package io.rpctrace.it.methods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.shop.ShopApp;
import io.rpctrace.testing.ChildJvm;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.TraceRecord;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** {@code @Traced} without configuration; recursion; a method that does not return. */
class AnnotationAndRecursionTest {
    @Test
    void theAnnotationAloneTracesWithoutConfiguration() {
        ChildJvm.Result run = ChildJvm.withAgent().agentArgs("service=shop").main(ShopApp.class, "annotated").run()
                .assertExitCode(0);
        assertEquals(List.of("daily ok", "invoice 70", "hot 2", "audit 6"), run.lines("RESULT "));
        Records r = Records.of(run.records());
        assertEquals(new TreeSet<>(List.of("shop_Reports_daily", "shop_billing_invoice", "shop_AuditLog_write")),
                MethodsTest.methodModules(r));
        r.named("method").module("shop_billing_invoice").single().hasRpcId("0.1")
                .has("x_action", "com.shop.annotated.Reports.invoice(int)");
        assertEquals(2, ((Number) MethodsTest.timer(r, "shop_Reports_hot").extra("count")).intValue());
    }

    @Test
    void recursiveCallsEachWriteTheirRecordWithNestedIds() {
        ChildJvm.Result run = ChildJvm.withAgent().agentArgs("service=shop,methods=com.shop.MathService[fib]")
                .main(ShopApp.class, "fib", "3").run().assertExitCode(0);
        run.assertLine("RESULT fib 2");
        Records r = Records.of(run.records()).named("method");
        // fib(3) -> fib(2) -> fib(1), fib(0); fib(1)
        assertEquals(5, r.size(), r.toString());
        String trace = r.where(t -> "0.1".equals(t.rpcId())).single().traceId();
        assertEquals(List.of("0.1", "0.1.2", "0.1.2.2", "0.1.2.3", "0.1.3"), r.inTrace(trace).rpcIds());
    }

    @Test
    void threadsCallingOneMethodAtOnceEachGetTheirOwnTraces() {
        ChildJvm.Result run = ChildJvm.withAgent()
                .agentArgs("service=shop,methods=com.shop.MathService[fib],writer.blocking=true")
                .main(ShopApp.class, "parallel", "8", "100").run().assertExitCode(0);
        run.assertLine("RESULT parallel 2400");
        Records r = Records.of(run.records());
        Records calls = r.named("method");
        assertEquals(800 * 9, calls.size());
        // every top-level fib(4) is a trace of its own (rule 6) with the same tree of nine calls
        List<String> tree = List.of("0.1", "0.1.2", "0.1.2.2", "0.1.2.2.2", "0.1.2.2.3", "0.1.2.3", "0.1.3", "0.1.3.2",
                "0.1.3.3");
        List<String> traces = calls.traceIds();
        assertEquals(800, traces.size());
        for (String trace : traces) {
            assertEquals(tree, calls.inTrace(trace).rpcIds(), trace);
        }
        TraceRecord timer = MethodsTest.timer(r, "shop_MathService_fib");
        assertEquals(7200, ((Number) timer.extra("count")).intValue());
    }

    @Test
    void deepRecursionNeverWritesAnInvalidId() {
        ChildJvm.Result run = ChildJvm.withAgent().agentArgs("service=shop,methods=com.shop.MathService[depth]")
                .main(ShopApp.class, "depth", "100").run().assertExitCode(0);
        run.assertLine("RESULT depth 100");
        Records r = Records.of(run.records());
        Records calls = r.named("method");
        // records while the ids fit the grammar (64 segments: the deepest record leaves room
        // for one call inside it), the deeper calls in the metrics only
        assertEquals(62, calls.size());
        int deepest = calls.list().stream().mapToInt(t -> t.rpcId().split("\\.").length).max().getAsInt();
        assertEquals(63, deepest);
        assertEquals(101, ((Number) MethodsTest.timer(r, "shop_MathService_depth").extra("count")).intValue());
    }

    @Test
    void aMethodThatDoesNotReturnHoldsNothingForItsCalls() {
        ChildJvm.Result run = ChildJvm.withAgent().agentArgs("service=shop,methods=com.shop.Worker")
                .jvmArg("-Xmx64m").main(ShopApp.class, "loop", "300000").run().assertExitCode(0);
        String[] f = run.fields("RESULT heap ");
        long before = Long.parseLong(f[0]);
        long after = Long.parseLong(f[1]);
        // 270,000 steps ran and were recorded between the two measures, all inside run()
        assertTrue(after - before < 4 << 20, "heap grew from " + before + " to " + after + " inside run()");
        Records steps = Records.of(run.records()).named("method").module("shop_Worker_step");
        assertTrue(steps.size() > 1000, "steps recorded: " + steps.size());
        TraceRecord first = steps.where(t -> "0.1.2".equals(t.rpcId())).single().record();
        assertEquals("com.shop.Worker.step(int)", first.string("x_action"));
    }
}
