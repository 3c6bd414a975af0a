package io.rpctrace.it.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.testing.AgentRecords;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.Servers;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * Through Jdbi, Dropwizard's SQL library: a query is one {@code mysql.request} in the request's
 * trace, and {@code x_module} names the application method that ran it, not a Jdbi class.
 */
class JdbiTest {
    @Test
    void mariaDbThroughJdbi() throws Exception {
        Servers.require("MariaDB", "127.0.0.1", 3306);
        AgentRecords agent = AgentRecords.start();
        Jdbi jdbi = Jdbi.create("jdbc:mariadb://127.0.0.1:3306/test", "root", "");
        String traceId;
        try (Span req = Trace.enter(null, null)) {
            int v = jdbi.withHandle(h -> h.createQuery("select 41 + :x").bind("x", 1).mapTo(Integer.class).one());
            assertEquals(42, v);
            traceId = Trace.traceId();
        }
        Records mine = Records.of(agent.flush()).inTrace(traceId).assertUniqueIds();
        assertEquals(List.of("0.1", "0.2", "0.3"), mine.rpcIds(), mine.toString());   // 0.2: connect
        mine.named("mysql.request").single().has("x_rpc_id", "0.3").has("x_action", "select 41 + ?")
                .has("x_param", "[1]").has("x_module", "jdbi_test_maria_db_through_jdbi");
    }
}
