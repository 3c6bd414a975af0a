package io.rpctrace.it.dubbo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.testing.AgentRecords;
import io.rpctrace.testing.AwaitRecords;
import io.rpctrace.testing.Records;
import org.apache.dubbo.rpc.RpcException;
import org.junit.jupiter.api.Test;

/**
 * The Triple protocol ({@code tri}, a Java interface) with the packaged agent: every
 * asynchronous test of {@link DubboAsyncTest} (callbacks on Dubbo's thread in the caller's
 * scope, exact ids, a callback's own calls numbered in the caller's scope), and a call the
 * provider forbids (a wrong token: Dubbo's {@code TokenHeaderFilter} answers
 * {@code PERMISSION_DENIED}, which the consumer reads as {@code RpcException} code 4).
 * Dubbo 3.3 only (not in the floor run).
 */
class TripleTest extends DubboAsyncTest {
    @Override
    String protocol() {
        return "tri";
    }

    @Test
    void aCallTheProviderForbidsIsCodedForbidden() throws Exception {
        Greeter wrong = Scenario.guarded(bootstrap, protocol(), provider, "t0ken", "wrong");
        AgentRecords agent = AgentRecords.start();
        String traceId;
        RpcException thrown;
        try (Span s = Trace.enter(null, null)) {   // request.info 0.1
            traceId = s.traceId();
            thrown = assertThrows(RpcException.class, () -> wrong.greet("mallory"));   // 0.2
        }
        // Dubbo's wait for a synchronous call wraps the client's coded exception in a code-less
        // one: the application sees code 0 with PERMISSION_DENIED (code 4) as its cause
        assertEquals(RpcException.FORBIDDEN_EXCEPTION, codedCause(thrown), String.valueOf(thrown));
        Records trace = AwaitRecords.until(agent, r -> r.inTrace(traceId).named("dubbo.request.error").size() >= 1
                && r.inTrace(traceId).named("request.info").size() >= 1).inTrace(traceId);
        trace.named("dubbo.request.error").single().hasRpcId("0.2").has("x_action", SERVICE + ".greet")
                .has("x_host", provider).has("x_code", "forbidden");
        // the provider refused it before its implementation: only the caller's request.info
        trace.named("request.info").single().hasRpcId("0.1");
        assertEquals(0, trace.named("h2.request").size(), trace.toString());
    }

    /** The code of the first {@code RpcException} with one, {@code thrown} or among its causes. */
    private static int codedCause(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof RpcException && ((RpcException) t).getCode() != 0) {
                return ((RpcException) t).getCode();
            }
        }
        return 0;
    }
}
