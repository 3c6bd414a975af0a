package io.rpctrace.it.coexistence;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rpctrace.Span;
import io.rpctrace.Trace;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.matcher.ElementMatchers;

/** Child-JVM main: an application with its own Byte Buddy and Jackson, older than the agent's. */
public final class OtherLibrariesScenario {
    public static void main(String[] args) throws Exception {
        System.out.println("bytebuddy=" + ByteBuddy.class.getProtectionDomain().getCodeSource().getLocation());
        System.out.println("jackson=" + new ObjectMapper().version());
        Class<?> generated = new ByteBuddy().subclass(Object.class)
                .method(ElementMatchers.named("toString")).intercept(FixedValue.value("made by the app's Byte Buddy"))
                .make().load(OtherLibrariesScenario.class.getClassLoader()).getLoaded();
        System.out.println("generated=" + generated.getDeclaredConstructor().newInstance());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Span req = Trace.enter(null, null)) {
            Callable<String> json = () -> new ObjectMapper().writeValueAsString(Map.of("rpc_id", Trace.rpcId()));
            System.out.println("json=" + pool.submit(json).get());
        }
        pool.shutdown();
    }
}
