package io.rpctrace.it.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.testing.ChildJvm;
import io.rpctrace.testing.Records;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * docs/logging.md (correlation, capture, debug for one request) with the packaged agent on an
 * application that names nothing of rpctrace (root INFO, a console pattern with
 * {@code %X{x_trace_id}}), on Logback 1.5 and 1.2 (through SLF4J) and on Log4j2 latest and 2.17
 * (its own API).
 */
class LoggingAgentTest {
    static final String AGENT_ARGS = "service=shop,debug.token=s3cret,writer.blocking=true";
    private static final Map<String, ChildJvm.Result> CHAIN_RUNS = new ConcurrentHashMap<>();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"logback-1.5", "logback-1.2", "log4j2-latest", "log4j2-2.17"})
    void debugRequestLogsAtDebugInBothServicesOnlyForItself(String framework) {
        ChildJvm.Result r = chain(framework);
        List<String> out = r.stdout().lines().collect(Collectors.toList());
        String[] debug = r.fields("RESULT debug ");
        String[] plain = r.fields("RESULT plain ");
        String[] wrong = r.fields("RESULT wrong ");
        // isDebugEnabled() answered true in both services for the debug request only
        assertEquals("debug,debug", debug[0], r.stdout());
        assertEquals("plain,plain", plain[0], r.stdout());
        assertEquals("plain,plain", wrong[0], r.stdout());
        Records all = Records.of(r.records());
        Records dbg = all.inTrace(debug[1]);
        dbg.named("log.debug").module("shop.orders").single().hasRpcId("0.1").has("x_msg", "order debug 7");
        dbg.named("log.debug").module("shop.stock").single().hasRpcId("0.2.1").has("x_msg", "stock debug 42");
        dbg.named("log.info").module("shop.stock").single().hasRpcId("0.2.1");
        dbg.named("request.info").where(x -> "0.2.1".equals(x.rpcId())).single();
        // the application's own output, both services, with the ids
        r.assertLine("LOG DEBUG shop.orders [" + debug[1] + "|0.1] order debug 7");
        r.assertLine("LOG DEBUG shop.stock [" + debug[1] + "|0.2.1] stock debug 42");
        for (String[] other : Arrays.asList(plain, wrong)) {
            Records t = all.inTrace(other[1]);
            assertEquals(0, t.named("log.debug").size(), t.toString());
            t.named("log.info").module("shop.orders").single().hasRpcId("0.1").has("x_msg", "order info");
            t.named("log.info").module("shop.stock").single().hasRpcId("0.2.1");
            assertTrue(out.stream().noneMatch(l -> l.contains(other[1]) && l.startsWith("LOG DEBUG")), r.stdout());
            r.assertLine("LOG INFO  shop.orders [" + other[1] + "|0.1] order info");
            r.assertLine("LOG INFO  shop.stock [" + other[1] + "|0.2.1] stock info");
        }
        assertEquals(3, out.stream().filter(l -> l.startsWith("LOG DEBUG")).count(), r.stdout());
        // the headers the application logged at DEBUG because of debug mode: the entry service's
        // X-Debug-Token is the raw secret, masked in its own log and in the record
        assertTrue(out.stream().anyMatch(l -> l.startsWith("LOG DEBUG shop.headers [" + debug[1] + "|0.1] request headers {")
                && l.contains("=[***]")), r.stdout());
        dbg.named("log.debug").module("shop.headers").single().hasRpcId("0.1");
        assertTrue(out.stream().noneMatch(l -> l.contains("s3cret")), r.stdout());
        assertTrue(r.records().stream().noneMatch(x -> x.line().contains("s3cret")), all.toString());
        // %X{x_trace_id} is empty outside a request; INFO outside a trace is not captured
        r.assertLine("LOG INFO  shop.main [|] outside before");
        r.assertLine("LOG INFO  shop.main [|] outside after");
        assertEquals(0, all.module("shop.main").size(), all.toString());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"logback-1.5", "logback-1.2", "log4j2-latest", "log4j2-2.17"})
    void warnErrorAndExceptionBecomeRecords(String framework) {
        ChildJvm.Result r = chain(framework);
        String[] fail = r.fields("RESULT fail ");
        Records t = Records.of(r.records()).inTrace(fail[1]);
        t.named("log.warn").single().hasRpcId("0.1").has("x_module", "shop.orders").has("x_msg", "careful with order-9");
        Records.RecordAssert error = t.named("log.error").single().hasRpcId("0.1").has("x_msg", "payment refused");
        assertEquals("9", String.valueOf(error.record().extra("order")), error.record().line());
        Records.RecordAssert ex = t.named("log.exception").single().hasRpcId("0.1").has("x_msg", "payment crashed");
        assertTrue(ex.record().string("x_backtrace").contains("IllegalStateException: card expired"), ex.record().line());
        r.assertLine("LOG ERROR shop.orders [" + fail[1] + "|0.1] payment refused");
    }

    @Test
    void anApplicationThatNamesTraceLogbackItselfGetsEachPieceOnce() {
        String cp = System.getProperty("java.class.path") + File.pathSeparator + System.getProperty("trace.logback.classes");
        ChildJvm.Result r = ChildJvm.withAgent().agentArgs(AGENT_ARGS).classPath(cp)
                .jvmArg("-Dlogback.configurationFile=" + Paths.get("target/test-classes/logback-with-rpctrace.xml").toAbsolutePath())
                .main(ChainApp.class, "logback").run().assertExitCode(0);
        assertEquals("debug,debug", r.fields("RESULT debug ")[0], r.stdout());
        assertEquals("plain,plain", r.fields("RESULT plain ")[0], r.stdout());
        String fail = r.fields("RESULT fail ")[1];
        Records t = Records.of(r.records()).inTrace(fail);
        t.named("log.warn").single().hasRpcId("0.1");        // one appender captured it, not two
        t.named("log.exception").single();
        r.assertLine("LOG ERROR shop.orders [" + fail + "|0.1] payment refused");
    }

    // the latest versions only: the filter is the same code on the floor versions, which the
    // chain above covers (keeps the CI run short)
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"logback-1.5", "log4j2-latest"})
    void alternatingDebugAndPlainRequestsNeverLeak(String framework) {
        ChildJvm.Result r = ChildJvm.withAgent().agentArgs(AGENT_ARGS).classPath(classPath(framework))
                .main(LeakApp.class, framework.split("-")[0]).timeoutSeconds(300).run().assertExitCode(0);
        assertEquals(List.of("leaks=0 missed=0"), r.lines("RESULT "));
        List<String> out = r.stdout().lines().collect(Collectors.toList());
        assertEquals(0, out.stream().filter(l -> l.contains("leak plain")).count());
        assertEquals(LeakApp.PER_THREAD, out.stream().filter(l -> l.contains("leak dbg")
                && l.matches("LOG DEBUG shop\\.leak \\[[0-9a-f]{32}\\|0\\.1\\] leak dbg \\d+")).count());
        Records debugRecords = Records.of(r.records()).named("log.debug");
        assertEquals(LeakApp.PER_THREAD, debugRecords.size()); // 2 threads, every other request in debug
        assertEquals(0, debugRecords.where(x -> x.string("x_msg").contains("plain")).size());
    }

    /** One run of {@link ChainApp} per framework, shared by the tests that read it. */
    private static ChildJvm.Result chain(String framework) {
        return CHAIN_RUNS.computeIfAbsent(framework, f -> ChildJvm.withAgent().agentArgs(AGENT_ARGS)
                .classPath(classPath(f)).main(ChainApp.class, f.split("-")[0]).run().assertExitCode(0));
    }

    /**
     * This JVM's class path (Logback 1.5, Log4j2 latest), or with the floor versions copied by
     * the build in place of those: Logback 1.2 + SLF4J 1.7, Log4j2 2.17.
     */
    static String classPath(String framework) {
        String cp = System.getProperty("java.class.path");
        List<String> replaced;
        Path dir;
        if (framework.equals("logback-1.2")) {
            replaced = List.of("logback-classic", "logback-core", "slf4j-api");
            dir = Paths.get(System.getProperty("logback12.dir"));
        } else if (framework.equals("log4j2-2.17")) {
            replaced = List.of("log4j-core", "log4j-api");
            dir = Paths.get(System.getProperty("log4j217.dir"));
        } else {
            return cp;
        }
        Stream<String> own = Arrays.stream(cp.split(File.pathSeparator))
                .filter(e -> replaced.stream().noneMatch(e::contains));
        try (Stream<Path> jars = Files.list(dir)) {
            return Stream.concat(jars.map(Path::toString).sorted(), own).collect(Collectors.joining(File.pathSeparator));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
