package io.rpctrace.instrumentation.spymemcached;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import net.spy.memcached.OperationFactory;
import net.spy.memcached.ops.ConcatenationType;
import net.spy.memcached.ops.GetOperation;
import net.spy.memcached.ops.Mutator;
import net.spy.memcached.ops.DeleteOperation;
import net.spy.memcached.ops.OperationStatus;
import net.spy.memcached.ops.StoreOperation;
import net.spy.memcached.ops.StoreType;
import net.spy.memcached.protocol.ascii.AsciiOperationFactory;
import net.spy.memcached.protocol.binary.BinaryOperationFactory;
import org.junit.jupiter.api.Test;

/** The verbs of spymemcached's real operation objects, for both protocols (no server needed). */
class SpyOperationsTest {
    private static final GetOperation.Callback GET = new GetOperation.Callback() {
        @Override public void gotData(String key, int flags, byte[] data) { }
        @Override public void receivedStatus(OperationStatus status) { }
        @Override public void complete() { }
    };
    private static final Callback CB = new Callback();

    /** Stands for every kind of callback the factories want. */
    private static final class Callback implements StoreOperation.Callback, DeleteOperation.Callback {
        @Override public void gotData(String key, long cas) { }
        @Override public void gotData(long cas) { }
        @Override public void receivedStatus(OperationStatus status) { }
        @Override public void complete() { }
    }

    @Test
    void asciiVerbs() {
        verbs(new AsciiOperationFactory());
    }

    @Test
    void binaryVerbs() {
        verbs(new BinaryOperationFactory());
    }

    private static void verbs(OperationFactory f) {
        assertEquals("get", SpyOperations.command(f.get("k", GET)));
        assertEquals("get", SpyOperations.command(f.get(Arrays.asList("a", "b"), GET)));
        assertEquals("set", SpyOperations.command(f.store(StoreType.set, "k", 0, 0, new byte[1], CB)));
        assertEquals("add", SpyOperations.command(f.store(StoreType.add, "k", 0, 0, new byte[1], CB)));
        assertEquals("replace", SpyOperations.command(f.store(StoreType.replace, "k", 0, 0, new byte[1], CB)));
        assertEquals("prepend", SpyOperations.command(f.cat(ConcatenationType.prepend, 0, "k", new byte[1], CB)));
        assertEquals("decr", SpyOperations.command(f.mutate(Mutator.decr, "k", 1, 0, 0, CB)));
        assertEquals("incr", SpyOperations.command(f.mutate(Mutator.incr, "k", 1, 0, 0, CB)));
        assertEquals("delete", SpyOperations.command(f.delete("k", CB)));
        assertEquals("touch", SpyOperations.command(f.touch("k", 10, CB)));
    }
}
