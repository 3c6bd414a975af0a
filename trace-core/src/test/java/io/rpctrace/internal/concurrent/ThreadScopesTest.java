package io.rpctrace.internal.concurrent;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ThreadScopesTest {
    private static StackTraceElement frame(String cls) {
        return new StackTraceElement(cls, "m", "F.java", 1);
    }

    @Test
    void threadsStartedFromLibraryCodeTakeNoScope() {
        assertTrue(ThreadScopes.startedByLibrary(new StackTraceElement[] {
            frame("java.lang.Thread"), frame("io.netty.util.concurrent.ThreadPerTaskExecutor"),
            frame("com.shop.OrderService"),
        }), "a Netty event loop started lazily during a request");
        assertTrue(ThreadScopes.startedByLibrary(new StackTraceElement[] {
            frame("java.lang.Thread"), frame("io.grpc.netty.shaded.io.netty.util.concurrent.SingleThreadEventExecutor"),
        }));
        assertTrue(ThreadScopes.startedByLibrary(new StackTraceElement[] {
            frame("java.lang.Thread"), frame("org.apache.kafka.clients.producer.KafkaProducer"),
            frame("com.shop.OrderService"),
        }), "Kafka's I/O thread");
        assertFalse(ThreadScopes.startedByLibrary(new StackTraceElement[] {
            frame("java.lang.Thread"), frame("com.shop.OrderService"), frame("org.apache.catalina.core.StandardWrapperValve"),
            frame("jdk.internal.reflect.NativeMethodAccessorImpl"),
        }), "the application's own new Thread(task).start(), inside a container's request");
        assertTrue(ThreadScopes.isLibrary("io.netty.util.concurrent.FastThreadLocalThread"));
        assertFalse(ThreadScopes.isLibrary("com.shop.Worker"));
    }
}
