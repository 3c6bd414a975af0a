package io.rpctrace.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.CollectingWriter;
import io.rpctrace.internal.Tracing;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/configuration.md: agent args > system property > environment > file > default; bad values
 * reported once.
 */
class ConfigTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final PrintStream diagnostics = new PrintStream(out, true);
    private final Map<String, String> env = new HashMap<>();
    private final Properties props = new Properties();
    private Path file;

    @BeforeEach
    void writeFile() throws IOException {
        file = dir.resolve("rpctrace.properties");
        Files.write(file, Arrays.asList(
                "# a comment",
                "log.dir=/from/file",
                "rpctrace.service=file-service",
                "retention.days = 3 "), StandardCharsets.UTF_8);
    }

    private Config load(String agentArgs) {
        return Config.load(agentArgs, env, props, diagnostics);
    }

    private List<String> diagnosticLines() {
        String s = new String(out.toByteArray(), StandardCharsets.UTF_8);
        return s.isEmpty() ? List.of() : Arrays.stream(s.split("\n")).collect(Collectors.toList());
    }

    @Test
    void precedenceAgentArgsThenSystemPropertyThenEnvironmentThenFileThenDefault() {
        props.setProperty("rpctrace.config", file.toString());
        props.setProperty("rpctrace.log.dir", "/from/property");
        env.put("RPCTRACE_LOG_DIR", "/from/env");
        String args = "log.dir=/from/agent";

        assertEquals("/from/agent", load(args).get(ConfigKeys.LOG_DIR, "./logs"));
        assertEquals("/from/property", load(null).get(ConfigKeys.LOG_DIR, "./logs"));
        props.remove("rpctrace.log.dir");
        assertEquals("/from/env", load(null).get(ConfigKeys.LOG_DIR, "./logs"));
        env.remove("RPCTRACE_LOG_DIR");
        assertEquals("/from/file", load(null).get(ConfigKeys.LOG_DIR, "./logs"));
        props.remove("rpctrace.config");
        assertEquals("./logs", load(null).get(ConfigKeys.LOG_DIR, "./logs"));
        assertTrue(diagnosticLines().isEmpty(), "nothing to report: " + diagnosticLines());
    }

    @Test
    void sourcesAreNamed() {
        props.setProperty("rpctrace.config", file.toString());
        props.setProperty("rpctrace.department", "ops");
        env.put("RPCTRACE_VERSION", "v9");
        Config c = load("service=agent-service");
        assertEquals("agent argument", c.sourceOf("service"));
        assertEquals("system property rpctrace.department", c.sourceOf("department"));
        assertEquals("environment RPCTRACE_VERSION", c.sourceOf("version"));
        assertEquals("file " + file, c.sourceOf("log.dir"));
        assertEquals("default", c.sourceOf("buffer.size"));
    }

    @Test
    void theFileCanBeNamedByAgentArgumentPropertyOrEnvironment() {
        assertEquals("file-service", load("config=" + file).get("service", null));
        env.put("RPCTRACE_CONFIG", file.toString());
        assertEquals("file-service", load(null).get("service", null), "keys may carry the rpctrace. prefix");
        assertEquals(3, load(null).getInt(ConfigKeys.RETENTION_DAYS, 7, 1, 3650), "values are trimmed");
    }

    @Test
    void commasInsideBracketsStayInTheValue() {
        Config c = load("methods=com.shop.A[place,cancel];com.shop.dao.*,service=shop");
        assertEquals("com.shop.A[place,cancel];com.shop.dao.*", c.get(ConfigKeys.METHODS, null));
        assertEquals("shop", c.get(ConfigKeys.SERVICE, null));
    }

    @Test
    void agentArgumentsMayCarryThePrefix() {
        Config c = load("rpctrace.service=a, log.dir = /x ");
        assertEquals("a", c.get("service", null));
        assertEquals("/x", c.get("log.dir", null));
    }

    @Test
    void environmentNames() {
        assertEquals("RPCTRACE_LOG_DIR", Config.envName("log.dir"));
        assertEquals("RPCTRACE_RECORD_MAX_BYTES", Config.envName("record.max.bytes"));
        assertEquals("RPCTRACE_INSTRUMENTATION_JDBC_ENABLED",
                Config.envName(ConfigKeys.instrumentationEnabled("jdbc")));
        assertEquals("RPCTRACE_INSTRUMENTATION_OKHTTP_3_ENABLED", Config.envName("instrumentation.okhttp-3.enabled"));
    }

    @Test
    void anEmptyValueMeansTheDefault() {
        env.put("RPCTRACE_SERVICE", "");
        assertEquals("app", load(null).get("service", "app"));
        assertNull(load(null).get("department", null));
    }

    @Test
    void aBadNumberIsReportedOnceWithKeyReasonAndTheDefaultUsed() {
        props.setProperty("rpctrace.flush.interval.ms", "soon");
        Config c = load(null);
        assertEquals(1000, c.getLong(ConfigKeys.FLUSH_INTERVAL_MS, 1000, 1, 2000));
        assertEquals(1000, c.getLong(ConfigKeys.FLUSH_INTERVAL_MS, 1000, 1, 2000));
        assertEquals(List.of("rpctrace: config flush.interval.ms=soon (system property rpctrace.flush.interval.ms)"
                + " is not a whole number; using 1000"), diagnosticLines());
    }

    @Test
    void outOfRangeValues() {
        env.put("RPCTRACE_FLUSH_INTERVAL_MS", "5000");
        Config c = load(null);
        assertEquals(1000, c.getLong(ConfigKeys.FLUSH_INTERVAL_MS, 1000, 1, 2000));
        assertEquals(List.of("rpctrace: config flush.interval.ms=5000 (environment RPCTRACE_FLUSH_INTERVAL_MS)"
                + " is outside [1, 2000]; using 1000"), diagnosticLines());
    }

    @Test
    void eachBadKeyIsReportedOnItsOwnLine() {
        Config c = load("capture.param=maybe,record.max.bytes=12q,metrics.interval.s=-3,ipstats.windows=5 minutes");
        assertTrue(c.getBoolean(ConfigKeys.CAPTURE_PARAM, true));
        assertEquals(65536, c.getBytes(ConfigKeys.RECORD_MAX_BYTES, 65536, 1024, 64L << 20));
        assertEquals(10, c.getLong(ConfigKeys.METRICS_INTERVAL_S, 10, 1, 3600));
        assertEquals(300_000, c.getDurationMs(ConfigKeys.IPSTATS_WINDOWS, 300_000, 1000, 1000, 86_400_000));
        List<String> lines = diagnosticLines();
        assertEquals(4, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("rpctrace: config capture.param=maybe (agent argument) is not a boolean"));
        assertTrue(lines.get(1).startsWith("rpctrace: config record.max.bytes=12q (agent argument) is not a size"));
        assertTrue(lines.get(1).endsWith("; using 65536"));
        assertTrue(lines.get(2).contains("metrics.interval.s=-3") && lines.get(2).contains("outside [1, 3600]"));
        assertTrue(lines.get(3).contains("ipstats.windows=5 minutes") && lines.get(3).contains("not a duration"));
    }

    @Test
    void aHostileValueIsReportedOnOneLine() {
        env.put("RPCTRACE_BUFFER_SIZE", "12\nrpctrace: forged line" + "x".repeat(500));
        load(null).getBytes(ConfigKeys.BUFFER_SIZE, 1 << 20, 1024, 1 << 30);
        List<String> lines = diagnosticLines();
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains("buffer.size=12\\u000arpctrace: forged line"), lines.get(0));
        assertTrue(lines.get(0).length() < 300, "long values are cut");
    }

    @Test
    void goodValuesInEveryUnit() {
        Config c = load("a=64k,b=1m,c=2g,d=65536,e=500ms,f=10s,g=5m,h=1h,i=7d,j=yes,k=off,l=1_000");
        assertEquals(64 * 1024, c.getBytes("a", 0, 0, Long.MAX_VALUE));
        assertEquals(1 << 20, c.getBytes("b", 0, 0, Long.MAX_VALUE));
        assertEquals(2L << 30, c.getBytes("c", 0, 0, Long.MAX_VALUE));
        assertEquals(65536, c.getBytes("d", 0, 0, Long.MAX_VALUE));
        assertEquals(500, c.getDurationMs("e", 0, 1000, 0, Long.MAX_VALUE));
        assertEquals(10_000, c.getDurationMs("f", 0, 1000, 0, Long.MAX_VALUE));
        assertEquals(300_000, c.getDurationMs("g", 0, 1000, 0, Long.MAX_VALUE));
        assertEquals(3_600_000, c.getDurationMs("h", 0, 1000, 0, Long.MAX_VALUE));
        assertEquals(7 * 86_400_000L, c.getDurationMs("i", 0, 1000, 0, Long.MAX_VALUE));
        assertTrue(c.getBoolean("j", false));
        assertFalse(c.getBoolean("k", true));
        assertEquals(1000, c.getLong("l", 0, 0, 10_000));
        assertTrue(diagnosticLines().isEmpty(), diagnosticLines().toString());
    }

    @Test
    void anUnreadableFileIsReportedAndTheRestStillWorks() {
        props.setProperty("rpctrace.config", dir.resolve("missing.properties").toString());
        env.put("RPCTRACE_SERVICE", "orders");
        Config c = load(null);
        assertEquals("orders", c.get("service", null));
        List<String> lines = diagnosticLines();
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).startsWith("rpctrace: config file " + dir.resolve("missing.properties")), lines.get(0));
        assertTrue(lines.get(0).endsWith("continuing without it"));
    }

    @Test
    void aMalformedAgentArgumentIsReportedOnTheDiagnosticsStream() {
        Config c = load("service=orders,verbose,log.dir=/x");
        assertEquals("orders", c.get("service", null));
        assertEquals("/x", c.get("log.dir", null));
        assertEquals(List.of("rpctrace: agent argument 'verbose' is not key=value; ignored"), diagnosticLines());
    }

    @Test
    void theTracerReportsBadLevelsAndStillStarts() {
        Config c = load("logs.level=LOUD,debug.level=INFO,metrics.max.series=0");
        Tracing t = Tracing.start(c, new CollectingWriter());
        assertTrue(Tracing.started());
        List<String> lines = diagnosticLines();
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("rpctrace: config logs.level=LOUD (agent argument) is not a level"));
        assertTrue(lines.get(0).endsWith("; using INFO"));
        assertTrue(lines.get(1).startsWith("rpctrace: config debug.level=INFO (agent argument) must be DEBUG or TRACE"));
        assertTrue(lines.get(2).contains("metrics.max.series=0") && lines.get(2).endsWith("; using 2000"));
        assertEquals(c, t.config());
    }
}
