package io.rpctrace.it.gatewaymvc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.rpctrace.testing.RawHttp;
import io.rpctrace.testing.ServiceProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same services and requests as {@link GatewayMvcChainTest} without the agent: the
 * applications answer exactly as they do with it (the agent adds only {@code X-Trace-Id} and, in
 * a debug trace, replaces the secret by the bound token upstream).
 */
class GatewayMvcWithoutAgentTest {
    private static GatewayMvcChain chain;

    @BeforeAll
    static void start() {
        chain = GatewayMvcChain.start(false);
    }

    @AfterAll
    static void stop() {
        if (chain != null) {
            chain.close();
        }
    }

    @Test
    void theApplicationsAnswerTheSame() {
        RawHttp.Response plain = chain.stock("a1");
        assertEquals(200, plain.status(), plain.toString());
        assertEquals(GatewayMvcChain.STOCK_A1, plain.body());
        assertNull(plain.header("X-Trace-Id"), plain.toString());

        // without the agent nothing turns debug mode on; the gateway passes the caller's headers on as they came
        RawHttp.Response debug = chain.stock("b2", "X-Debug: 1", "X-Debug-Token: " + ServiceProperties.DEBUG_SECRET);
        assertEquals(200, debug.status(), debug.toString());
        assertEquals("stock b2 plain token=" + ServiceProperties.DEBUG_SECRET, debug.body());
    }
}
