package io.rpctrace.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test during which the agent's advice caught an error of its own
 * ({@code rpctrace_internal_errors} grew): the application never sees those, so a test that
 * only checks records could pass over a broken instrumentation.
 *
 * <pre>{@code
 * @ExtendWith(NoInstrumentationErrors.class)
 * class MyLibraryTest { ... }
 * }</pre>
 */
public final class NoInstrumentationErrors implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(NoInstrumentationErrors.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("before", AgentRecords.internalErrors());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        long before = context.getStore(NS).get("before", Long.class);
        assertEquals(before, AgentRecords.internalErrors(),
                "errors caught inside the instrumentation (rpctrace_internal_errors)");
    }
}
