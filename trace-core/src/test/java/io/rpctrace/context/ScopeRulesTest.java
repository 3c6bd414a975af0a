package io.rpctrace.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** docs/model.md#ids (rules 1 to 6) on {@link Scope}, as tables of expected ids. */
class ScopeRulesTest {
    private static final String TID = "4bf92f3577b34da6a3ce929d0e0e4736";

    private static Arguments row(String rule, String situation, Supplier<String> actual, String expected) {
        return Arguments.of(rule, situation, actual, expected);
    }

    private static Scope enter(String callerId) {
        return Scope.enter(TID, callerId, false);
    }

    static Stream<Arguments> rules() {
        return Stream.of(
                row("1", "served without a caller id: current id", () -> enter(null).currentId(), "0.1"),
                row("1", "served with caller id 0.3: current id", () -> enter("0.3").currentId(), "0.3.1"),
                row("1", "served with caller id 0.3: prefix", () -> enter("0.3").prefix(), "0.3"),
                row("1", "invalid caller id 0.03 is absent", () -> enter("0.03").currentId(), "0.1"),
                row("2", "first outgoing call", () -> enter(null).nextCallId(), "0.2"),
                row("2", "third outgoing call under 0.3", () -> {
                    Scope s = enter("0.3");
                    s.nextCall();
                    s.nextCall();
                    return s.nextCallId();
                }, "0.3.4"),
                row("2", "call number n is prefix.n", () -> enter("0.5").callId(12), "0.5.12"),
                row("3", "a log before any call", () -> enter("0.3").currentId(), "0.3.1"),
                row("3", "a log after two calls", () -> {
                    Scope s = enter(null);
                    s.nextCall();
                    s.nextCall();
                    return s.currentId();
                }, "0.3"),
                row("3", "reading the current id does not increment", () -> {
                    Scope s = enter(null);
                    s.currentId();
                    s.currentId();
                    return s.nextCallId();
                }, "0.2"),
                row("4", "first child of a served request: prefix", () -> enter(null).child().prefix(), "0.2"),
                row("4", "first child: its current id", () -> enter(null).child().currentId(), "0.2.1"),
                row("4", "first child: its first call", () -> enter(null).child().nextCallId(), "0.2.2"),
                row("4", "parent's call after a child that wrote nothing: the child took no number", () -> {
                    Scope s = enter(null);
                    s.child();
                    return s.nextCallId();
                }, "0.2"),
                row("4", "parent's call after a child that made a call", () -> {
                    Scope s = enter(null);
                    s.child().nextCall();
                    return s.nextCallId();
                }, "0.3"),
                row("4", "grandchild", () -> enter("0.3").child().child().prefix(), "0.3.2.2"),
                row("6", "outside any scope: first call", () -> Scope.newRoot().nextCallId(), "0.1"),
                row("6", "outside any scope: a local span", () -> Scope.newRoot().child().prefix(), "0.1"),
                row("6", "outside any scope: a callee continues it", () ->
                        Scope.enter(TID, Scope.newRoot().nextCallId(), false).currentId(), "0.1.1"));
    }

    @ParameterizedTest(name = "rule {0}: {1} -> {3}")
    @MethodSource("rules")
    void rule(String rule, String situation, Supplier<String> actual, String expected) {
        assertEquals(expected, actual.get(), "rule " + rule + ": " + situation);
    }

    /** The worked example of docs/model.md#ids, step by step in the order it happens. */
    @Test
    void workedExample() {
        List<String> got = new ArrayList<>();
        Scope a = Scope.enter(null, null, false);                 // A serves a request
        got.add("A request.info " + a.currentId());
        got.add("A mysql.request " + a.nextCallId());
        String toB = a.nextCallId();
        got.add("A http.post " + toB);
        Scope b = Scope.enter(a.traceId(), toB, false);           // B receives X-Rpc-Id
        got.add("B request.info " + b.currentId());
        got.add("B log.info " + b.currentId());
        got.add("B redis.request " + b.nextCallId());
        got.add("A log.info " + a.currentId());
        Scope task1 = a.child();
        Scope task2 = a.child();
        got.add("A task 1 prefix " + task1.prefix() + " mysql.request " + task1.nextCallId());
        got.add("A task 2 prefix " + task2.prefix() + " mysql.request " + task2.nextCallId());

        String[] expected = {
            "A request.info 0.1",
            "A mysql.request 0.2",
            "A http.post 0.3",
            "B request.info 0.3.1",
            "B log.info 0.3.1",
            "B redis.request 0.3.2",
            "A log.info 0.3",
            "A task 1 prefix 0.4 mysql.request 0.4.2",
            "A task 2 prefix 0.5 mysql.request 0.5.2",
        };
        assertEquals(List.of(expected), got);
        assertEquals(a.traceId(), b.traceId(), "B continues A's trace");
    }

    @Test
    void childScopesKeepTraceDebugAndForwardedHeaders() {
        Forwarded fwd = new Forwarded("k=v", null, null, null, "req-1");
        Scope s = Scope.enter(TID, "0.3", true, fwd);
        Scope c = s.child().child();
        assertEquals(TID, c.traceId());
        assertTrue(c.debug());
        assertEquals("req-1", c.forwarded().requestId());
        assertFalse(Scope.enter(TID, null, false).child().debug());
    }

    @Test
    void everyRootOutsideAScopeIsANewTrace() {
        assertNotEquals(Scope.newRoot().traceId(), Scope.newRoot().traceId());
    }

    /** Rule 5: 8 threads x 100k outgoing calls on one scope give 800k distinct ids. */
    @Test
    void concurrentCallsNeverShareAnId() throws Exception {
        Scope scope = enter("0.3");
        int threads = 8;
        int perThread = 100_000;
        int[][] got = new int[threads][perThread];
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int[] mine = got[t];
            Thread w = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    mine[i] = scope.nextCall();
                }
            });
            workers.add(w);
            w.start();
        }
        go.countDown();
        for (Thread w : workers) {
            w.join();
        }
        BitSet seen = new BitSet();
        int distinct = 0;
        for (int[] mine : got) {
            for (int n : mine) {
                assertFalse(seen.get(n), "id 0.3." + n + " handed out twice");
                seen.set(n);
                distinct++;
            }
        }
        assertEquals(threads * perThread, distinct);
        assertEquals(2, seen.nextSetBit(0), "the first call is 0.3.2");
        assertEquals(threads * perThread + 1, seen.length() - 1, "no gaps: ids 0.3.2 .. 0.3.800001");
        assertEquals("0.3.800001", scope.currentId());
    }

    /** Rules 4 and 5: 1,000 child scopes made in parallel get 1,000 distinct prefixes. */
    @Test
    void parallelChildScopesGetDistinctPrefixes() throws Exception {
        Scope scope = enter(null);
        Set<String> prefixes = ConcurrentHashMap.newKeySet();
        int threads = 8;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 125; i++) {
                    prefixes.add(scope.child().prefix());
                }
            });
            workers.add(w);
            w.start();
        }
        go.countDown();
        for (Thread w : workers) {
            w.join();
        }
        assertEquals(1000, prefixes.size());
        for (int n = 2; n <= 1001; n++) {
            assertTrue(prefixes.contains("0." + n), "0." + n);
        }
    }
}
