package io.rpctrace.it.coexistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.testing.ChildJvm;
import io.rpctrace.testing.Records;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** rpctrace in the same JVM as other versions of its libraries, and as another agent. */
class CoexistenceTest {
    private static final Path JARS = Paths.get(System.getProperty("rpctrace.coexistence.dir"));

    private static String classPath(String... jarPrefixes) throws Exception {
        try (Stream<Path> s = Files.list(JARS)) {
            List<String> jars = s.filter(p -> Stream.of(jarPrefixes).anyMatch(x -> p.getFileName().toString().startsWith(x)))
                    .map(Path::toString).collect(Collectors.toList());
            jars.add(0, Paths.get("target", "test-classes").toAbsolutePath().toString());
            jars.add(System.getProperty("rpctrace.core.jar"));
            return String.join(File.pathSeparator, jars);
        }
    }

    @Test
    void anApplicationWithAnotherByteBuddyAndJacksonRunsUnchanged() throws Exception {
        ChildJvm.Result r = ChildJvm.withAgent()
                .classPath(classPath("byte-buddy-1.14.12", "jackson-"))
                .main(OtherLibrariesScenario.class).run().assertExitCode(0);
        assertTrue(r.lines("bytebuddy=").get(0).endsWith("byte-buddy-1.14.12.jar"), r.stdout());
        assertEquals(List.of("2.17.2"), r.lines("jackson="));
        assertEquals(List.of("made by the app's Byte Buddy"), r.lines("generated="));
        assertEquals(List.of("{\"rpc_id\":\"0.2.1\"}"), r.lines("json="));
        Records.of(r.records()).named("request.info").single().hasRpcId("0.1");
    }

    @Test
    void withTheOpenTelemetryAgentBothRecord() throws Exception {
        ChildJvm.Result r = ChildJvm.withAgent()
                .javaagent(JARS.resolve("opentelemetry-javaagent.jar"),
                        "-Dotel.traces.exporter=logging", "-Dotel.metrics.exporter=none", "-Dotel.logs.exporter=none",
                        "-Dotel.service.name=coexistence")
                .classPath(classPath("none"))
                .timeoutSeconds(180)
                .main(OtelScenario.class).run().assertExitCode(0);
        assertEquals(List.of("200 hello"), r.lines("answer="));
        assertEquals(List.of("0.3.1"), r.lines("task_id="));
        String otel = r.stdout() + r.stderr();
        assertTrue(otel.contains("LoggingSpanExporter") && otel.contains("CLIENT"),
                "OpenTelemetry exported its client span:\n" + r.stderr());
        Records ours = Records.of(r.records());
        // the scenario's manual request (the JDK HttpServer's own request.info has an x_action)
        String trace = ours.named("request.info").where(x -> x.string("x_action") == null).single().hasRpcId("0.1")
                .traceId();
        ours.inTrace(trace).named("log.info").module("otel-task").single().hasRpcId("0.2.1");
        // both agents instrument HttpURLConnection and the JDK HttpServer: ours still joins the call
        ours.inTrace(trace).named("http.get").single().hasRpcId("0.2.2").has("x_code", "200");
        ours.inTrace(trace).named("request.info").where(x -> "0.2.2.1".equals(x.rpcId())).single();
    }
}
