package io.rpctrace.it.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.rpctrace.testing.RawHttp;
import io.rpctrace.testing.ServiceProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same services and requests as {@link GatewayChainTest} without the agent: the applications
 * answer exactly as they do with it (the agent adds only {@code X-Trace-Id} and, in a debug
 * trace, replaces the secret by the bound token downstream).
 */
class GatewayWithoutAgentTest {
    private static GatewayChain chain;

    @BeforeAll
    static void start() {
        chain = GatewayChain.start(false);
    }

    @AfterAll
    static void stop() {
        if (chain != null) {
            chain.close();
        }
    }

    @Test
    void theApplicationsAnswerTheSame() {
        RawHttp.Response item = chain.item("a1");
        assertEquals(200, item.status(), item.toString());
        assertEquals(GatewayChain.ITEM_A1, item.body());
        assertNull(item.header("X-Trace-Id"), item.toString());

        RawHttp.Response audited = chain.audited("a1");
        assertEquals(200, audited.status(), audited.toString());
        assertEquals(GatewayChain.ITEM_A1, audited.body());

        // without the agent nothing turns debug mode on, and the catalog's own call to stock carries no token
        RawHttp.Response debug = chain.item("b2", "X-Debug: 1", "X-Debug-Token: " + ServiceProperties.DEBUG_SECRET);
        assertEquals("item b2 plain | stock b2=3 plain token=-", debug.body());

        RawHttp.Response slow = chain.slow();
        assertEquals(504, slow.status(), slow.toString());

        chain.requestAndHangUp(500);
        RawHttp.Response after = chain.item("a1");
        assertEquals(200, after.status(), after.toString());
        assertEquals(GatewayChain.ITEM_A1, after.body());
    }
}
