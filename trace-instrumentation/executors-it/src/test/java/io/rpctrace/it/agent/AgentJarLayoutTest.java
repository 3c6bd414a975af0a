package io.rpctrace.it.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.testing.ChildJvm;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/** The jar users attach: self-contained, everything foreign relocated, trace-core nested. */
class AgentJarLayoutTest {
    @Test
    void layout() throws Exception {
        try (JarFile jar = new JarFile(ChildJvm.agentJar().toFile())) {
            List<String> names = jar.stream().map(ZipEntry::getName).toList();
            for (String n : names) {
                boolean ok = n.startsWith("META-INF/") || n.startsWith("rpctrace-bootstrap/")
                        || n.startsWith("io/rpctrace/agent/") || n.startsWith("io/rpctrace/instrumentation/")
                        || n.startsWith("io/rpctrace/internal/shaded/") || n.equals("io/") || n.equals("io/rpctrace/")
                        || n.equals("io/rpctrace/internal/")
                        // trace-grpc's interceptors: defined next to the application's gRPC at run time
                        || n.startsWith("io/rpctrace/grpc/");
                assertTrue(ok, "unexpected entry (trace-core belongs in the nested jar, foreign code relocated): " + n);
            }
            assertNotNull(jar.getEntry("rpctrace-bootstrap/trace-core.jar"));
            assertTrue(names.stream().anyMatch(n -> n.startsWith("io/rpctrace/internal/shaded/bytebuddy/")));
            Attributes m = jar.getManifest().getMainAttributes();
            assertEquals("io.rpctrace.agent.RpcTraceAgent", m.getValue("Premain-Class"));
            assertEquals("io.rpctrace.agent.RpcTraceAgent", m.getValue("Agent-Class"));
            assertEquals("io.rpctrace.agent.Main", m.getValue("Main-Class"));
            assertEquals("true", m.getValue("Can-Retransform-Classes"));
        }
    }
}
