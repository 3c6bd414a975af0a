package io.rpctrace.it.dubbo;

import java.util.concurrent.CompletableFuture;

/** The service of the tests. */
public interface Greeter {
    /** Queries H2 and answers with {@code name}, then the trace id and RPCID the provider ran under. */
    String greet(String name);

    /** Sleeps {@code millis}, longer than the consumer's timeout. */
    String slow(long millis);

    /** Throws {@code IllegalStateException("out of stock: " + item)}: a business exception. */
    String fail(String item);

    /** {@link #greet} answered asynchronously. */
    CompletableFuture<String> greetAsync(String name);

    /** {@link #greet} answered after {@code millis} (within the 5 s timeout). */
    String greetSlowly(String name, long millis);

    /** {@link #greet} answered asynchronously after {@code millis}: the caller chains on it first. */
    CompletableFuture<String> greetLater(String name, long millis);

    /** The value of the attachment {@code name} the provider received, or null. */
    String attachment(String name);
}
