package io.rpctrace.it.dubbo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.testing.AgentRecords;
import io.rpctrace.testing.AwaitRecords;
import io.rpctrace.testing.NoInstrumentationErrors;
import io.rpctrace.testing.Records;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.dubbo.config.bootstrap.DubboBootstrap;
import org.apache.dubbo.rpc.RpcContext;
import org.apache.dubbo.rpc.service.GenericService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Asynchronous Dubbo calls with the packaged agent (docs/instrumentation/dubbo.md): the
 * {@code dubbo.request} record is written once, when the result completes, and the callbacks
 * the caller chains on the future ({@code thenApply}, {@code whenComplete}) run on Dubbo's
 * thread in the caller's scope: a call made in a callback takes the caller's next id.
 * The provider answers after 300 ms, so the callbacks are chained before the answer arrives.
 * On the dubbo protocol here (and in the floor run); {@link TripleTest} runs the same tests on Triple.
 */
@ExtendWith(NoInstrumentationErrors.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DubboAsyncTest {
    static final String SERVICE = Greeter.class.getName();
    private static final long LATER = 300;
    DubboBootstrap bootstrap;
    Greeter greeter;
    GenericService generic;
    String provider;

    /** The protocol of the provider and the references: {@code dubbo} here, {@code tri} in {@link TripleTest}. */
    String protocol() {
        return "dubbo";
    }

    @BeforeAll
    void start() throws Exception {
        Scenario scenario = Scenario.startOnAFreePort(protocol());
        bootstrap = scenario.bootstrap;
        greeter = scenario.greeter;
        provider = scenario.provider;
        generic = Scenario.generic(bootstrap, protocol(), provider);
        greeter.greet("warm-up");   // the provider's first call loads H2 and more: not inside a test's timing
    }

    @AfterAll
    void stop() {
        if (bootstrap != null) {
            bootstrap.stop();
        }
    }

    @Test
    void callbacksOfAnAsyncMethodRunInTheCallersScope() throws Exception {
        AgentRecords agent = AgentRecords.start();
        Thread caller = Thread.currentThread();
        AtomicReference<Thread> callbackThread = new AtomicReference<>();
        AtomicReference<String> whenCompleteIds = new AtomicReference<>();
        String traceId;
        String answer;
        String after;
        try (Span s = Trace.enter(null, null)) {   // request.info 0.1, calls from 0.2
            traceId = s.traceId();
            CompletableFuture<String> later = greeter.greetLater("bob", LATER);             // 0.2
            CompletableFuture<String> chained = later.thenApply(v -> {
                callbackThread.set(Thread.currentThread());
                return greeter.greet("cb").split(" ")[2] + " " + Trace.rpcId();              // 0.3
            });
            later.whenComplete((v, t) -> whenCompleteIds.compareAndSet(null, Trace.traceId()));
            answer = chained.get(10, TimeUnit.SECONDS);
            after = greeter.greet("after").split(" ")[2];                                    // 0.4
        }
        assertNotSame(caller, callbackThread.get(), "the callback ran on Dubbo's thread, after the answer came");
        assertEquals(traceId, whenCompleteIds.get(), "whenComplete ran in the caller's trace");
        // the provider's last id under 0.3 is its H2 query, 0.3.3; the callback's own last id is its call
        assertEquals("0.3.3 0.3", answer);
        assertEquals("0.4.3", after);

        Records trace = AwaitRecords.until(agent, r -> r.inTrace(traceId).named("dubbo.request").size() >= 3
                && r.inTrace(traceId).named("request.info").size() >= 4).inTrace(traceId);
        trace.named("dubbo.request").where(r -> "0.2".equals(r.rpcId())).single()
                .has("x_action", SERVICE + ".greetLater").has("x_host", provider);
        trace.named("dubbo.request").where(r -> "0.3".equals(r.rpcId())).single().has("x_action", SERVICE + ".greet");
        trace.named("dubbo.request").where(r -> "0.4".equals(r.rpcId())).single().has("x_action", SERVICE + ".greet");
        trace.named("request.info").where(r -> "0.2.1".equals(r.rpcId())).single()
                .has("x_action", SERVICE + ".greetLater");
        trace.named("request.info").where(r -> "0.3.1".equals(r.rpcId())).single();
        assertEquals(3, trace.named("dubbo.request").size(), "each call written once: " + trace);
        assertEquals(0, trace.named("dubbo.request.error").size(), trace.toString());
        assertCoversTheWait(trace.named("dubbo.request").where(r -> "0.2".equals(r.rpcId())));
        trace.assertUniqueIds();
    }

    @Test
    void invokeAsyncOfAGenericReference() throws Exception {
        AgentRecords agent = AgentRecords.start();
        String traceId;
        String answer;
        try (Span s = Trace.enter(null, null)) {
            traceId = s.traceId();
            answer = generic.$invokeAsync("greetLater", new String[] {"java.lang.String", "long"},
                            new Object[] {"eve", LATER})
                    .thenApply(v -> v.toString().split(" ")[0] + " " + greeter.greet("cb").split(" ")[2])  // 0.3
                    .get(10, TimeUnit.SECONDS);
        }
        assertEquals("eve 0.3.3", answer);
        Records trace = AwaitRecords.until(agent, r -> r.inTrace(traceId).named("dubbo.request").size() >= 2
                && r.inTrace(traceId).named("request.info").size() >= 3).inTrace(traceId);
        trace.named("dubbo.request").where(r -> "0.2".equals(r.rpcId())).single()
                .has("x_action", SERVICE + ".greetLater").has("x_host", provider);
        trace.named("request.info").where(r -> "0.2.1".equals(r.rpcId())).single()
                .has("x_action", SERVICE + ".greetLater");
        trace.named("dubbo.request").where(r -> "0.3".equals(r.rpcId())).single().has("x_action", SERVICE + ".greet");
        assertEquals(2, trace.named("dubbo.request").size(), trace.toString());
    }

    @Test
    void rpcContextAsyncCall() throws Exception {
        AgentRecords agent = AgentRecords.start();
        String traceId;
        String answer;
        try (Span s = Trace.enter(null, null)) {
            traceId = s.traceId();
            // a synchronous method called asynchronously
            CompletableFuture<String> f = RpcContext.getContext().asyncCall(() -> greeter.greetSlowly("amy", LATER)); // 0.2
            answer = f.thenApply(v -> v.split(" ")[2] + " " + greeter.greet("cb").split(" ")[2])    // 0.3
                    .get(10, TimeUnit.SECONDS);
        }
        assertEquals("0.2.3 0.3.3", answer);
        Records trace = AwaitRecords.until(agent, r -> r.inTrace(traceId).named("dubbo.request").size() >= 2)
                .inTrace(traceId);
        trace.named("dubbo.request").where(r -> "0.2".equals(r.rpcId())).single()
                .has("x_action", SERVICE + ".greetSlowly");
        trace.named("dubbo.request").where(r -> "0.3".equals(r.rpcId())).single().has("x_action", SERVICE + ".greet");
    }

    @Test
    void anAsyncBusinessExceptionIsCodedAndTheCallerSeesIt() throws Exception {
        AgentRecords agent = AgentRecords.start();
        String traceId;
        Throwable seen;
        try (Span s = Trace.enter(null, null)) {
            traceId = s.traceId();
            CompletableFuture<String> f = RpcContext.getContext().asyncCall(() -> greeter.fail("plum"));   // 0.2
            seen = f.handle((v, t) -> t).get(10, TimeUnit.SECONDS);
        }
        assertTrue(seen instanceof IllegalStateException
                || seen != null && seen.getCause() instanceof IllegalStateException, String.valueOf(seen));
        AwaitRecords.until(agent, r -> r.inTrace(traceId).named("dubbo.request.error").size() >= 1).inTrace(traceId)
                .named("dubbo.request.error").single().hasRpcId("0.2").has("x_action", SERVICE + ".fail")
                .has("x_code", "biz");
    }

    /** {@code x_duration} (seconds) of an asynchronous call covers the provider's {@value #LATER} ms. */
    private static void assertCoversTheWait(Records one) {
        Object d = one.single().record().fields().get("x_duration");
        assertTrue(d instanceof Number && ((Number) d).doubleValue() >= LATER * 0.9 / 1000,
                "x_duration " + d + " should cover the " + LATER + " ms wait: " + one);
    }
}
