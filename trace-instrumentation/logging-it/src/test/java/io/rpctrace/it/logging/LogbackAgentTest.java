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
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SPEC §6 with the packaged agent on an application that names nothing of rpctrace (root INFO,
 * a console pattern with {@code %X{x_trace_id}}), on Logback 1.5 and on Logback 1.2.
 */
class LogbackAgentTest {
    static final String AGENT_ARGS = "service=shop,debug.token=s3cret,writer.blocking=true";

    @ParameterizedTest(name = "logback {0}")
    @ValueSource(strings = {"1.5", "1.2"})
    void debugRequestLogsAtDebugInBothServicesOnlyForItself(String logback) {
        ChildJvm.Result r = ChildJvm.withAgent().agentArgs(AGENT_ARGS).classPath(classPath(logback))
                .main(ChainApp.class).run().assertExitCode(0);
        List<String> out = r.stdout().lines().collect(Collectors.toList());
        String[] debug = result(r, "debug");
        String[] plain = result(r, "plain");
        String[] wrong = result(r, "wrong");
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
        assertLine(out, "LOG DEBUG shop.orders [" + debug[1] + "|0.1] order debug 7");
        assertLine(out, "LOG DEBUG shop.stock [" + debug[1] + "|0.2.1] stock debug 42");
        for (String[] other : Arrays.asList(plain, wrong)) {
            Records t = all.inTrace(other[1]);
            assertEquals(0, t.named("log.debug").size(), t.toString());
            t.named("log.info").module("shop.orders").single().hasRpcId("0.1").has("x_msg", "order info");
            t.named("log.info").module("shop.stock").single().hasRpcId("0.2.1");
            assertTrue(out.stream().noneMatch(l -> l.contains(other[1]) && l.startsWith("LOG DEBUG")), r.stdout());
            assertLine(out, "LOG INFO  shop.orders [" + other[1] + "|0.1] order info");
            assertLine(out, "LOG INFO  shop.stock [" + other[1] + "|0.2.1] stock info");
        }
        assertEquals(2, out.stream().filter(l -> l.startsWith("LOG DEBUG")).count(), r.stdout());
        // %X{x_trace_id} is empty outside a request; INFO outside a trace is not captured
        assertLine(out, "LOG INFO  shop.main [|] outside before");
        assertLine(out, "LOG INFO  shop.main [|] outside after");
        assertEquals(0, all.module("shop.main").size(), all.toString());
    }

    @ParameterizedTest(name = "logback {0}")
    @ValueSource(strings = {"1.5", "1.2"})
    void warnErrorAndExceptionBecomeRecords(String logback) {
        ChildJvm.Result r = ChildJvm.withAgent().agentArgs(AGENT_ARGS).classPath(classPath(logback))
                .main(ChainApp.class).run().assertExitCode(0);
        String[] fail = result(r, "fail");
        Records t = Records.of(r.records()).inTrace(fail[1]);
        t.named("log.warn").single().hasRpcId("0.1").has("x_module", "shop.orders").has("x_msg", "careful with order-9");
        Records.RecordAssert error = t.named("log.error").single().hasRpcId("0.1").has("x_msg", "payment refused");
        assertEquals("9", String.valueOf(error.record().extra("order")), error.record().line());
        Records.RecordAssert ex = t.named("log.exception").single().hasRpcId("0.1").has("x_msg", "payment crashed");
        assertTrue(ex.record().string("x_backtrace").contains("IllegalStateException: card expired"), ex.record().line());
        assertLine(r.stdout().lines().collect(Collectors.toList()),
                "LOG ERROR shop.orders [" + fail[1] + "|0.1] payment refused");
    }

    @ParameterizedTest(name = "logback {0}")
    @ValueSource(strings = {"1.5", "1.2"})
    void alternatingDebugAndPlainRequestsNeverLeak(String logback) {
        ChildJvm.Result r = ChildJvm.withAgent().agentArgs(AGENT_ARGS).classPath(classPath(logback))
                .main(LeakApp.class).timeoutSeconds(300).run().assertExitCode(0);
        assertEquals(List.of("leaks=0 missed=0"), r.lines("RESULT "));
        List<String> out = r.stdout().lines().collect(Collectors.toList());
        assertEquals(0, out.stream().filter(l -> l.contains("leak plain")).count());
        assertEquals(LeakApp.PER_THREAD, out.stream().filter(l -> l.contains("leak dbg")
                && l.matches("LOG DEBUG shop\\.leak \\[[0-9a-f]{32}\\|0\\.1\\] leak dbg \\d+")).count());
        Records debugRecords = Records.of(r.records()).named("log.debug");
        assertEquals(LeakApp.PER_THREAD, debugRecords.size()); // 2 threads, every other request in debug
        assertEquals(0, debugRecords.where(x -> x.string("x_msg").contains("plain")).size());
    }

    private static String[] result(ChildJvm.Result r, String name) {
        List<String> l = r.lines("RESULT " + name + " ");
        assertEquals(1, l.size(), r.stdout() + "\n" + r.stderr());
        return l.get(0).split(" ");
    }

    private static void assertLine(List<String> out, String line) {
        assertTrue(out.contains(line), "no line\n" + line + "\nin\n" + String.join("\n", out));
    }

    /** This JVM's class path, or with Logback 1.2 + SLF4J 1.7 in place of 1.5 + 2.0. */
    static String classPath(String logback) {
        String cp = System.getProperty("java.class.path");
        if (logback.equals("1.5")) {
            return cp;
        }
        Path dir = Paths.get(System.getProperty("logback12.dir"));
        Stream<String> own = Arrays.stream(cp.split(File.pathSeparator))
                .filter(e -> !e.contains("logback-classic") && !e.contains("logback-core") && !e.contains("slf4j-api"));
        try (Stream<Path> jars = Files.list(dir)) {
            return Stream.concat(jars.map(Path::toString).sorted(), own).collect(Collectors.joining(File.pathSeparator));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
