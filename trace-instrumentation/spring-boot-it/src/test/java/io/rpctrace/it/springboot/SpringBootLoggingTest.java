package io.rpctrace.it.springboot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.testing.ChildJvm;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.TraceRecord;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Spring Boot reconfigures Logback (at least twice) while it starts; the agent's filter,
 * appender and correlation must survive: per-request debug in both hops, the ids in Spring
 * Boot's console pattern, log.* records.
 */
class SpringBootLoggingTest {
    private static ChildJvm.Result shop;

    /** The application's one run (a Spring Boot start is seconds): its output and records. */
    private static synchronized ChildJvm.Result shop() {
        if (shop == null) {
            shop = ChildJvm.withAgent().agentArgs("service=shop,debug.token=s3cret")
                    .main(ShopApplication.class).timeoutSeconds(180).run().assertExitCode(0);
        }
        return shop;
    }

    @Test
    void allThreeFeaturesSurviveSpringBootsLoggingSetUp() {
        ChildJvm.Result r = shop();
        List<String> out = r.stdout().lines().collect(Collectors.toList());
        String[] debug = r.fields("RESULT debug ");
        String[] plain = r.fields("RESULT plain ");
        String[] wrong = r.fields("RESULT wrong ");
        assertEquals("debug,debug", debug[0], r.stdout());
        assertEquals("plain,plain", plain[0], r.stdout());
        assertEquals("plain,plain", wrong[0], r.stdout());
        Records all = Records.of(r.records());
        Records dbg = all.inTrace(debug[1]);
        String callId = dbg.named("http.get").single().rpcId();
        dbg.named("log.debug").module("shop.orders").single().has("x_msg", "order debug 7");
        dbg.named("log.debug").module("shop.stock").single().hasRpcId(callId + ".1").has("x_msg", "stock debug 42");
        r.assertLine("LOG DEBUG shop.stock [" + debug[1] + "|" + callId + ".1] stock debug 42");
        assertTrue(out.stream().anyMatch(l -> l.startsWith("LOG DEBUG shop.orders [" + debug[1] + "|")
                && l.endsWith("] order debug 7")), r.stdout());
        for (String[] other : List.of(plain, wrong)) {
            Records t = all.inTrace(other[1]);
            assertEquals(0, t.named("log.debug").size(), t.toString());
            String id = t.named("http.get").single().rpcId();
            t.named("log.warn").module("shop.stock").single().hasRpcId(id + ".1").has("x_msg", "stock low");
            t.named("log.info").module("shop.orders").single();
            r.assertLine("LOG WARN  shop.stock [" + other[1] + "|" + id + ".1] stock low");
        }
        assertEquals(2, out.stream().filter(l -> l.startsWith("LOG DEBUG shop.")).count(), r.stdout());
        r.assertLine("LOG INFO  shop.main [|] started");
        // captured once each although Spring Boot reset the context several times
        assertEquals(3, all.named("log.info").module("shop.orders").size(), all.toString());
    }

    /**
     * A controller that throws: Tomcat forwards to Spring Boot's error page after the filter
     * chain has returned. The record is ended after that page (its bytes in x_response_len),
     * and Tomcat's own log line about the exception, written in between, is in the trace.
     */
    @Test
    void anExceptionsErrorPageAndTheContainersLogLineAreInTheTrace() {
        ChildJvm.Result r = shop();
        String[] fail = r.fields("RESULT fail ");
        String[] statusAndLength = fail[0].split(",");
        assertEquals("500", statusAndLength[0], r.stdout());
        assertTrue(Integer.parseInt(statusAndLength[1]) > 0, "Spring Boot's error page: " + r.stdout());
        Records t = Records.of(r.records()).inTrace(fail[1]);
        TraceRecord served = t.named("request.info.error").single().hasRpcId("0.1").has("x_code", "500")
                .has("x_response_len", statusAndLength[1]).record();
        assertTrue(served.string("x_msg").contains("out of stock"), served.line());
        t.named("log.exception").where(x -> x.string("x_msg").contains("threw exception")).single().hasRpcId("0.1");
    }
}
