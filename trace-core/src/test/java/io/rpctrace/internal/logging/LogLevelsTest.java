package io.rpctrace.internal.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.CollectingWriter;
import io.rpctrace.config.Config;
import io.rpctrace.context.Scope;
import io.rpctrace.internal.Tracing;
import io.rpctrace.record.Level;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Level mapping and thresholds (docs/logging.md#capture). */
class LogLevelsTest {

    private static Tracing start(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return Tracing.start(Config.of(m), new CollectingWriter());
    }

    @Test
    void logbackLevelsMap() {
        assertEquals(Level.TRACE, LogLevels.fromLogback(5000));
        assertEquals(Level.DEBUG, LogLevels.fromLogback(10000));
        assertEquals(Level.INFO, LogLevels.fromLogback(20000));
        assertEquals(Level.WARN, LogLevels.fromLogback(30000));
        assertEquals(Level.ERROR, LogLevels.fromLogback(40000));
        assertEquals(Level.DEBUG, LogLevels.fromLogback(15000), "custom values fall into the band below");
    }

    @Test
    void log4jLevelsMap() {
        assertEquals(Level.TRACE, LogLevels.fromLog4j(600));
        assertEquals(Level.DEBUG, LogLevels.fromLog4j(500));
        assertEquals(Level.INFO, LogLevels.fromLog4j(400));
        assertEquals(Level.WARN, LogLevels.fromLog4j(300));
        assertEquals(Level.ERROR, LogLevels.fromLog4j(200));
        assertEquals(Level.ERROR, LogLevels.fromLog4j(100), "FATAL is log.error");
        assertEquals(Level.INFO, LogLevels.fromLog4j(350), "a custom level between WARN and INFO");
    }

    @Test
    void insideATraceAtOrAboveLogsLevel() {
        Tracing t = start();
        assertTrue(LogLevels.captures(t, Level.INFO, true, false));
        assertTrue(LogLevels.captures(t, Level.ERROR, true, false));
        assertFalse(LogLevels.captures(t, Level.DEBUG, true, false));
        t = start("logs.level", "WARN");
        assertFalse(LogLevels.captures(t, Level.INFO, true, false));
        assertTrue(LogLevels.captures(t, Level.WARN, true, false));
    }

    @Test
    void debugModeAddsDebugLevel() {
        Tracing t = start();
        assertTrue(LogLevels.captures(t, Level.DEBUG, true, true));
        assertFalse(LogLevels.captures(t, Level.TRACE, true, true));
        t = start("debug.level", "TRACE");
        assertTrue(LogLevels.captures(t, Level.TRACE, true, true));
    }

    @Test
    void outsideATraceOnlyWarnAndAbove() {
        Tracing t = start();
        assertFalse(LogLevels.captures(t, Level.INFO, false, false));
        assertTrue(LogLevels.captures(t, Level.WARN, false, false));
        assertTrue(LogLevels.captures(t, Level.ERROR, false, false));
        t = start("logs.level", "ERROR");
        assertFalse(LogLevels.captures(t, Level.WARN, false, false));
    }

    @Test
    void offDisablesCaptureEvenInDebugMode() {
        Tracing t = start("logs.level", "OFF");
        assertFalse(LogLevels.captures(t, Level.ERROR, true, false));
        assertFalse(LogLevels.captures(t, Level.DEBUG, true, true));
        assertFalse(LogLevels.captures(t, Level.ERROR, false, false));
    }

    @Test
    void debugEnablesOnlyDebugScopes() {
        start();
        Scope plain = Scope.enter(null, null, false);
        Scope debug = Scope.enter(null, null, true);
        assertFalse(LogLevels.debugEnables(null, Level.DEBUG));
        assertFalse(LogLevels.debugEnables(plain, Level.DEBUG));
        assertTrue(LogLevels.debugEnables(debug, Level.DEBUG));
        assertTrue(LogLevels.debugEnables(debug, Level.WARN));
        assertFalse(LogLevels.debugEnables(debug, Level.TRACE));
        start("debug.level", "TRACE");
        assertTrue(LogLevels.debugEnables(debug, Level.TRACE));
    }
}
