package io.rpctrace.it.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.testing.ChildJvm;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jar users attach: self-contained, everything foreign relocated, trace-core at its top level. */
class AgentJarLayoutTest {
    @Test
    void theJarRunsTheTraceViewer(@TempDir Path dir) throws Exception {
        String id = "4bf92f3577b34da6a3ce929d0e0e4736";
        Files.write(dir.resolve("order.trace.log"), Arrays.asList(
                "{\"x_name\":\"request.info\",\"x_trace_id\":\"" + id + "\",\"x_rpc_id\":\"0.1\","
                        + "\"x_version\":\"java-order-1.4\",\"x_timestamp\":1763800000,"
                        + "\"x_timestamp_ms\":1763800000000,\"x_duration\":0.012,\"x_action\":\"/orders\"}",
                "{\"x_name\":\"mysql.request\",\"x_trace_id\":\"" + id + "\",\"x_rpc_id\":\"0.2\","
                        + "\"x_version\":\"java-order-1.4\",\"x_timestamp\":1763800000,"
                        + "\"x_timestamp_ms\":1763800000002,\"x_duration\":0.001,\"x_action\":\"select 1\"}",
                "not json"));
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-jar", ChildJvm.agentJar().toString(), "trace", id, dir.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("request.info") && out.contains("mysql.request") && out.contains("select 1"), out);
    }

    @Test
    void layout() throws Exception {
        try (JarFile jar = new JarFile(ChildJvm.agentJar().toFile())) {
            List<String> names = jar.stream().map(ZipEntry::getName).toList();
            for (String n : names) {
                boolean ok = n.startsWith("META-INF/") || n.startsWith("io/rpctrace/")
                        || n.equals("io/")
                        // trace-grpc's interceptors: defined next to the application's gRPC at run time
                        || n.startsWith("rpctrace-helpers/");
                assertTrue(ok, "unexpected entry (foreign code is relocated under io/rpctrace/internal/shaded/): " + n);
            }
            // one jar for the bootstrap class path: trace-core is not nested (the JVM warns once per append)
            assertTrue(names.stream().noneMatch(n -> n.endsWith(".jar")), "a nested jar");
            assertNotNull(jar.getEntry("io/rpctrace/internal/Tracing.class"), "trace-core is at the top level");
            assertNotNull(jar.getEntry("io/rpctrace/Trace.class"), "the manual API too");
            assertTrue(names.stream().anyMatch(n -> n.startsWith("io/rpctrace/internal/shaded/jackson/")),
                    "trace-core's jackson, relocated");
            assertNotNull(jar.getEntry("io/rpctrace/viewer/ViewerMain.class"), "the viewer is bundled");
            assertTrue(names.stream().anyMatch(n -> n.startsWith("io/rpctrace/internal/shaded/bytebuddy/")));
            Attributes m = jar.getManifest().getMainAttributes();
            assertEquals("io.rpctrace.agent.RpcTraceAgent", m.getValue("Premain-Class"));
            assertEquals("io.rpctrace.agent.RpcTraceAgent", m.getValue("Agent-Class"));
            assertEquals("io.rpctrace.agent.Main", m.getValue("Main-Class"));
            assertEquals("true", m.getValue("Can-Retransform-Classes"));
        }
    }
}
