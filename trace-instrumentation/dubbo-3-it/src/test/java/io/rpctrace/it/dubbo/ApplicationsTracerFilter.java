package io.rpctrace.it.dubbo;

import org.apache.dubbo.common.constants.CommonConstants;
import org.apache.dubbo.common.extension.Activate;
import org.apache.dubbo.rpc.Filter;
import org.apache.dubbo.rpc.Invocation;
import org.apache.dubbo.rpc.Invoker;
import org.apache.dubbo.rpc.Result;
import org.apache.dubbo.rpc.RpcException;

/**
 * What the application's own tracer does on the consumer (Dubbo's observation filter with
 * Micrometer Tracing): it puts its {@code traceparent} on the invocation, here {@link #TRACEPARENT},
 * while {@link #ON} is set.
 */
@Activate(group = CommonConstants.CONSUMER)
public class ApplicationsTracerFilter implements Filter {
    static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    /** Whether the application's tracer writes its traceparent (set by the test that wants it). */
    static final ThreadLocal<Boolean> ON = ThreadLocal.withInitial(() -> false);

    @Override
    public Result invoke(Invoker<?> invoker, Invocation invocation) throws RpcException {
        if (ON.get()) {
            invocation.setObjectAttachment("traceparent", TRACEPARENT);
        }
        return invoker.invoke(invocation);
    }
}
