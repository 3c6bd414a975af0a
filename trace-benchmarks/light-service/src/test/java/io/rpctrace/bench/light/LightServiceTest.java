package io.rpctrace.bench.light;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rpctrace.testing.ChildJvm;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.Servers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's light service answers from MariaDB and Redis, and with the packaged agent
 * attached each request is one trace of exactly three records: the served request and its two
 * calls, in call order (docs/model.md, rules 1 and 2: 0.1, 0.2, 0.3). So the benchmark measures the agent doing its whole job.
 */
class LightServiceTest {
    @BeforeAll
    static void servers() {
        Servers.require("MariaDB", "127.0.0.1", 3306);
        Servers.require("Redis", "127.0.0.1", 6379);
    }

    @Test
    void eachRequestIsOneQueryAndOneGetInOneTrace() {
        ChildJvm.Result r = ChildJvm.withAgent().agentArgs("service=light")
                .main(LightServiceScenario.class).timeoutSeconds(180).run().assertExitCode(0);
        String[] first = r.fields("RESULT first ");
        String[] second = r.fields("RESULT second ");
        String[] missing = r.fields("RESULT missing ");
        assertEquals("200", first[0], r.stdout());
        assertEquals("{\"id\":7,\"name\":\"item-7\",\"priceCents\":107,\"stock\":10}", first[1], r.stdout());
        assertEquals("200", second[0], r.stdout());
        assertEquals("{\"id\":8,\"name\":\"item-8\",\"priceCents\":108,\"stock\":11}", second[1], r.stdout());
        assertEquals("404", missing[0], r.stdout());

        Records all = Records.of(r.records());
        String[][] served = {first, second};
        for (int i = 0; i < served.length; i++) {
            Records trace = all.inTrace(served[i][2]);
            assertEquals(3, trace.size(), trace.toString());
            trace.named("request.info").single().hasRpcId("0.1").has("x_code", "200")
                    .has("x_module", "GET /items/{id}");
            trace.named("mysql.request").single().hasRpcId("0.2").has("x_code", "0")
                    .has("x_action", "SELECT id, name, price_cents FROM lightbench_item WHERE id = ?");
            trace.named("redis.request").single().hasRpcId("0.3").has("x_action", "GET lightbench:stock:" + (7 + i));
            trace.assertNoGaps();
        }
        Records notFound = all.inTrace(missing[2]);
        notFound.named("request.info").single().hasRpcId("0.1").has("x_code", "404");
        notFound.named("mysql.request").single().hasRpcId("0.2");
        assertEquals(2, notFound.size(), notFound.toString());
    }
}
