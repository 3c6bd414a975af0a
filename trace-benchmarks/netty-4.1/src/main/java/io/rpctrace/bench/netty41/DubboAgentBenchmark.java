package io.rpctrace.bench.netty41;

import io.rpctrace.bench.cpu.ListenerCpu;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.dubbo.config.ApplicationConfig;
import org.apache.dubbo.config.ProtocolConfig;
import org.apache.dubbo.config.ReferenceConfig;
import org.apache.dubbo.config.RegistryConfig;
import org.apache.dubbo.config.ServiceConfig;
import org.apache.dubbo.config.bootstrap.DubboBootstrap;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Issue 18: what the packaged agent adds per Apache Dubbo 3 call end to end, against the same
 * code without the agent in one JMH run (this class: no agent; {@link WithAgent}:
 * {@code -javaagent:trace-agent/target/trace-agent.jar}, ring writer, records to
 * {@code /tmp/rpctrace-bench}). Plain Dubbo code: a provider of {@link Echo} exported on the
 * dubbo protocol on a free port of 127.0.0.1 and a consumer referring to it by a direct URL (no
 * registry), in this JVM; no rpctrace code besides the served request around the calls.
 *
 * <p>Dubbo generates its adaptive extension classes with {@code ClassLoader.defineClass}: the
 * forks open {@code java.lang} to it (as an application on JDK 17 must).
 *
 * <p>{@code call}: one synchronous call inside a served request, over loopback through both
 * sides' Netty: with the agent, a {@code dubbo.request} on the consumer with the ids in the
 * invocation's attachments and a {@code request.info} on the provider's thread. With
 * {@code -prof io.rpctrace.bench.cpu.ThreadCpuProfiler}: the CPU time per call of the calling
 * thread ({@code cpu.app}) and of the provider's handler threads ({@code cpu.provider}), which a
 * loopback round trip's wall time cannot resolve to a microsecond.
 *
 * <p>Run from the repository root after
 * {@code mvn -B -q -pl trace-agent,trace-benchmarks/netty-4.1 -am -DskipTests package}:
 * {@code java -cp "trace-benchmarks/netty-4.1/target/classes:$(cat trace-benchmarks/netty-4.1/target/bench.classpath)" org.openjdk.jmh.Main DubboAgentBenchmark -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 8, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "--add-opens", "java.base/java.lang=ALL-UNNAMED"})
public class DubboAgentBenchmark {
    static final int IN_FLIGHT = 8;
    /** The provider's handler threads: {@code cpu.provider} per served invocation. */
    static final ListenerCpu PROVIDER_THREADS = ListenerCpu.named("provider");

    /** The service: answers its argument. */
    public interface Echo {
        /** {@code text}, as it came. */
        String echo(String text);

        /** The same, answered through a future (a Dubbo asynchronous call). */
        CompletableFuture<String> echoAsync(String text);
    }

    /** The provider's implementation. */
    public static final class EchoImpl implements Echo {
        @Override
        public String echo(String text) {
            PROVIDER_THREADS.count();
            return text;
        }

        @Override
        public CompletableFuture<String> echoAsync(String text) {
            PROVIDER_THREADS.count();
            return CompletableFuture.completedFuture(text);
        }
    }

    /** The provider and the consumer's reference, in this JVM. */
    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class Dubbo {
        DubboBootstrap bootstrap;
        Echo echo;

        @Setup
        public void start() throws IOException {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            ApplicationConfig app = new ApplicationConfig("dubbo-bench");
            app.setQosEnable(false);
            ServiceConfig<Echo> service = new ServiceConfig<>();
            service.setInterface(Echo.class);
            service.setRef(new EchoImpl());
            ProtocolConfig protocol = new ProtocolConfig("dubbo", port);
            protocol.setHost("127.0.0.1");
            ReferenceConfig<Echo> reference = new ReferenceConfig<>();
            reference.setInterface(Echo.class);
            reference.setUrl("dubbo://127.0.0.1:" + port);
            reference.setScope("remote");
            reference.setTimeout(5000);
            reference.setRetries(0);
            bootstrap = DubboBootstrap.newInstance();
            bootstrap.application(app).registry(new RegistryConfig(RegistryConfig.NO_AVAILABLE)).protocol(protocol)
                    .service(service).reference(reference).start();
            echo = reference.get();
        }

        @TearDown
        public void stop() {
            PROVIDER_THREADS.freeze(); // before the handler threads end
            bootstrap.stop();
        }
    }

    /** One synchronous call in a served request: consumer, loopback, provider and back. */
    @Benchmark
    public String call(Dubbo d, ServedRequest r) {
        return d.echo.echo("order-42");
    }

    /**
     * {@value #IN_FLIGHT} asynchronous calls in a served request, then their answers: the calling
     * thread blocks once per {@value #IN_FLIGHT} calls rather than per call, so its CPU time per call
     * is the calls' own work more than the wake-ups (whose CPU cost moves with the machine's load).
     */
    @Benchmark
    @OperationsPerInvocation(IN_FLIGHT)
    public void callsInFlight(Dubbo d, ServedRequest r, Blackhole bh) {
        CompletableFuture<?>[] calls = new CompletableFuture<?>[IN_FLIGHT];
        for (int i = 0; i < IN_FLIGHT; i++) {
            calls[i] = d.echo.echoAsync("order-42");
        }
        for (CompletableFuture<?> c : calls) {
            bh.consume(c.join());
        }
    }

    /** The same benchmark with the packaged agent attached (its defaults: ring writer, x_module on). */
    @Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
        "-javaagent:trace-agent/target/trace-agent.jar=log.dir=/tmp/rpctrace-bench,service=bench,dir.max.bytes=256m"})
    public static class WithAgent extends DubboAgentBenchmark {
    }
}
