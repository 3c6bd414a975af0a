package io.rpctrace.instrumentation.dubbo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CompletionException;
import org.apache.dubbo.remoting.TimeoutException;
import org.apache.dubbo.rpc.RpcException;
import org.junit.jupiter.api.Test;

class DubboCallsTest {
    @Test
    void actionIsServiceDotMethod() {
        assertEquals("demo.Greeter.greet", DubboCalls.action("demo.Greeter", "greet"));
        assertEquals("demo.Greeter", DubboCalls.action("demo.Greeter", null));
        assertEquals("greet", DubboCalls.action(null, "greet"));
    }

    @Test
    void rpcExceptionCodesAreNamed() {
        assertEquals("timeout", DubboCalls.code(new RpcException(RpcException.TIMEOUT_EXCEPTION, "slow")));
        assertEquals("no_provider", DubboCalls.code(new RpcException(RpcException.NO_INVOKER_AVAILABLE_AFTER_FILTER, "none")));
        assertEquals("forbidden", DubboCalls.code(new RpcException(RpcException.FORBIDDEN_EXCEPTION, "none")));
        assertEquals("network", DubboCalls.code(new RpcException(RpcException.NETWORK_EXCEPTION, "down")));
        assertEquals("biz", DubboCalls.code(new RpcException(RpcException.BIZ_EXCEPTION, "x")));
        assertEquals("rpc_99", DubboCalls.rpcCode(99));
    }

    @Test
    void remotingTimeoutAndBusinessExceptions() {
        TimeoutException timeout = new TimeoutException(false, null, null, "waited 100 ms");
        assertEquals("timeout", DubboCalls.code(new CompletionException(timeout)));
        assertEquals("biz", DubboCalls.code(new IllegalStateException("no stock")));
    }
}
