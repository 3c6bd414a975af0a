package io.rpctrace.instrumentation.dubbo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.CollectingWriter;
import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.context.Scope;
import io.rpctrace.internal.concurrent.Continuations;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.dubbo.remoting.TimeoutException;
import org.apache.dubbo.rpc.AppResponse;
import org.apache.dubbo.rpc.RpcException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Dubbo-agnostic half of the Dubbo instrumentation: calls, attachments, codes, served scopes. */
class DubboCallsTest {
    private CollectingWriter writer;

    @BeforeEach
    void start() {
        writer = CollectingWriter.startTracing("debug.token", "s3cret");
    }

    @Test
    void actionIsServiceDotMethod() {
        assertEquals("demo.Greeter.greet", DubboActions.action("demo.Greeter", "greet"));
        assertEquals("demo.Greeter", DubboActions.action("demo.Greeter", null));
        assertEquals("greet", DubboActions.action(null, "greet"));
    }

    @Test
    void aGenericCallIsNamedAfterTheServiceAndMethodItInvokes() {
        assertEquals("demo.Greeter", DubboCalls.service(org.apache.dubbo.rpc.service.GenericService.class, "demo.Greeter"));
        assertEquals("java.lang.Runnable", DubboCalls.service(Runnable.class, "demo.Greeter"));
        assertEquals("demo.Greeter", DubboCalls.service(null, "demo.Greeter"));
        assertEquals("greet", DubboCalls.method("$invokeAsync", new Object[] {"greet", new String[0], new Object[0]}));
        assertEquals("greet", DubboCalls.method("$invoke", new Object[] {"greet", null, null}));
        assertEquals("$invoke", DubboCalls.method("$invoke", new Object[0]));
        assertEquals("greet", DubboCalls.method("greet", new Object[] {"ada"}));
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
    void aCodeLessRpcExceptionIsCodedByItsCodedCause() {
        // what a synchronous Triple call throws when the provider answers PERMISSION_DENIED
        RpcException denied = new RpcException(RpcException.FORBIDDEN_EXCEPTION, "PERMISSION_DENIED");
        RpcException wrapped = new RpcException(new java.util.concurrent.ExecutionException(denied));
        assertEquals("forbidden", DubboCalls.code(wrapped));
        assertEquals("unknown", DubboCalls.code(new RpcException("plain", new IllegalStateException("x"))));
        assertEquals("unknown", DubboCalls.code(new RpcException("plain")));
        DubboCalls.end(DubboCalls.call("demo.Greeter", "greet", null), wrapped, wrapped.getCode());
        assertEquals("forbidden", writer.named("dubbo.request.error").get(0).get("x_code"));
    }

    @Test
    void remotingTimeoutAndBusinessExceptions() {
        TimeoutException timeout = new TimeoutException(false, null, null, "waited 100 ms");
        assertEquals("timeout", DubboCalls.code(new CompletionException(timeout)));
        assertEquals("biz", DubboCalls.code(new IllegalStateException("no stock")));
    }

    @Test
    void aCallCarriesItsIdsAndTheBoundDebugTokenNeverTheSecret() {
        String traceId;
        String[] sent;
        try (Span req = Trace.enter(null, null)) {
            traceId = req.traceId();
            Span call = DubboCalls.call("demo.Greeter", "greet", "10.0.0.7:20880");
            sent = DubboCalls.attachments(call);
            DubboCalls.end(call, null, -1);
        }
        Map<String, String> att = new HashMap<>();
        for (int i = 0; i < sent.length && sent[i] != null; i += 2) {
            att.put(sent[i], sent[i + 1]);
        }
        assertEquals(traceId, att.get("x-trace-id"));
        assertEquals("0.2", att.get("x-rpc-id"));
        assertFalse(att.containsKey("x-debug"));
        Map<String, Object> r = writer.named("dubbo.request").get(0);
        assertEquals("0.2", r.get("x_rpc_id"));
        assertEquals("demo.Greeter.greet", r.get("x_action"));
        assertEquals("10.0.0.7:20880", r.get("x_host"));

        // served in debug mode: the provider verifies the bound token and is in debug mode too
        try (Span req = Trace.enter(traceId, "0.4")) {
            Map<String, Object> in = new HashMap<>();
            in.put("x-trace-id", traceId);
            in.put("x-rpc-id", "0.4.2");
            in.put("x-debug", "1");
            in.put("x-debug-token", "s3cret");   // the entry service is given the secret itself
            Span served = DubboCalls.serve(in, "demo.Greeter", "greet");
            assertTrue(served.debug());
            Span call = DubboCalls.call("demo.Stock", "take", null);
            sent = DubboCalls.attachments(call);
            DubboCalls.end(call, null, -1);
            DubboCalls.served(served, null);
        }
        String joined = String.join(",", sent);
        assertTrue(joined.contains("x-debug,1"), joined);
        assertFalse(joined.contains("s3cret"), joined);
    }

    @Test
    void aServedInvocationContinuesTheCallersIds() {
        Map<String, Object> in = new HashMap<>();
        in.put("x-trace-id", "4bf92f3577b34da6a3ce929d0e0e4736");
        in.put("X-Rpc-Id", "0.3");   // any case
        Span span = DubboCalls.serve(in, "demo.Greeter", "fail");
        assertEquals("0.3.2", Trace.call("h2.request").rpcId());
        DubboCalls.served(span, new IllegalStateException("out of stock"));
        Map<String, Object> r = writer.named("request.info.error").get(0);
        assertEquals("0.3.1", r.get("x_rpc_id"));
        assertEquals("biz", r.get("x_code"));
        assertEquals("demo.Greeter.fail", r.get("x_action"));
        assertEquals("", Trace.traceId());
    }

    @Test
    void anAsyncCallEndsWhenItsFutureCompletes() {
        CompletableFuture<AppResponse> ok = new CompletableFuture<>();
        CompletableFuture<AppResponse> biz = new CompletableFuture<>();
        ok.whenComplete(DubboCalls.completion(DubboCalls.call("demo.Greeter", "greet", null)));
        biz.whenComplete(DubboCalls.completion(DubboCalls.call("demo.Greeter", "fail", null)));
        assertTrue(writer.records().isEmpty());
        ok.complete(new AppResponse("hi"));
        AppResponse failed = new AppResponse();
        failed.setException(new IllegalStateException("out of stock"));
        biz.complete(failed);
        assertEquals(1, writer.named("dubbo.request").size());
        assertEquals("biz", writer.named("dubbo.request.error").get(0).get("x_code"));
    }

    @Test
    void theRequestFutureOfAnAsyncCallContinuesInTheCallersScope() {
        Object future = new Object();
        Object made = new Object();
        String traceId;
        try (Span req = Trace.enter(null, null)) {
            traceId = req.traceId();
            Span call = DubboCalls.call("demo.Greeter", "greetLater", null);   // 0.2
            DubboCalls.calling(call);
            DubboCalls.continueInCallersScope(future);
            DubboCalls.calling(null);
            DubboCalls.continueInCallersScope(made);   // not inside a call: nothing kept
            DubboCalls.end(call, null, -1);
        }
        assertEquals(1, Continuations.size());
        assertEquals("", Trace.traceId());
        // later, on Dubbo's thread, around the future's completion
        Scope previous = Continuations.enter(future);
        assertEquals(traceId, Trace.traceId());
        assertEquals("0.3", Trace.call("h2.request").rpcId(), "the caller's next id");
        Continuations.exit(previous);
        assertEquals("", Trace.traceId());
        assertEquals(0, Continuations.size(), "once");
    }

    @Test
    void anAsyncCallOutsideAnyScopeContinuesItsOwnTrace() {
        Object future = new Object();
        Span call = DubboCalls.call("demo.Greeter", "greetLater", null);   // a trace of its own: 0.1
        DubboCalls.calling(call);
        DubboCalls.continueInCallersScope(future);
        DubboCalls.calling(null);
        DubboCalls.end(call, null, -1);
        Scope previous = Continuations.enter(future);
        assertEquals(call.traceId(), Trace.traceId());
        assertEquals("0.2", Trace.call("h2.request").rpcId());
        Continuations.exit(previous);
    }

    @Test
    void aCallThatReachedNoProviderIsWrittenByTheCluster() {
        long before = DubboCalls.calls();
        DubboCalls.end(DubboCalls.call("demo.Greeter", "greet", null), null, -1);
        assertEquals(before + 1, DubboCalls.calls());
        DubboCalls.unreached("demo.Greeter", "greet",
                new RpcException(RpcException.NO_INVOKER_AVAILABLE_AFTER_FILTER, "No provider available"), 6);
        Map<String, Object> r = writer.named("dubbo.request.error").get(0);
        assertEquals("no_provider", r.get("x_code"));
        assertFalse(r.containsKey("x_host"));
    }

    @Test
    void theAttachmentsAreThisThreadsPairsClearedOnceSet() {
        try (Span req = Trace.enter(null, null)) {
            Span call = DubboCalls.call("demo.Greeter", "greet", null);
            String[] sent = DubboCalls.attachments(call);
            assertEquals("x-trace-id", sent[0]);
            assertEquals(req.traceId(), sent[1]);
            assertEquals("x-rpc-id", sent[2]);
            assertEquals("traceparent", sent[4]);
            assertNull(sent[6]);   // the pairs end with a null
            DubboCalls.calling(call, "invocation");
            for (String s : sent) {
                assertNull(s);   // set on the invocation: the thread's array keeps no strings
            }
            DubboCalls.calling(null, null);
            Span next = DubboCalls.call("demo.Greeter", "greet", null);
            assertSame(sent, DubboCalls.attachments(next));
            assertEquals(req.traceId(), sent[1]);
            DubboCalls.end(next, null, -1);
            DubboCalls.end(call, null, -1);
        }
    }

    @Test
    void aMethodsActionIsMadeOnce() {
        String action = DubboActions.of("demo.Greeter", "greet");
        assertEquals("demo.Greeter.greet", action);
        assertSame(action, DubboActions.of("demo.Greeter", new String("greet")));
        assertEquals("greet", DubboActions.of(null, "greet"));
        assertEquals("demo.Greeter", DubboActions.of("demo.Greeter", null));
        for (int i = 0; i <= DubboActions.MAX_KEYS; i++) {
            DubboActions.of("demo.Generic", "m" + i);   // ever new method names: the table starts over
        }
        assertNotSame(action, DubboActions.of("demo.Greeter", "greet"));
        assertEquals(action, DubboActions.of("demo.Greeter", "greet"));
    }
}
