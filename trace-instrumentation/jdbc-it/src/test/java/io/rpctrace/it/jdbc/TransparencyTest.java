package io.rpctrace.it.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.testing.ChildJvm;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.Servers;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The application sees exactly what it sees without the agent: the same results, update
 * counts, batch results and exceptions, from every driver. Also: without {@code capture.param}
 * no bound value is written.
 */
class TransparencyTest {
    @Test
    void sameResultsAndExceptionsWithAndWithoutTheAgent() {
        Servers.require("MariaDB", "127.0.0.1", 3306);
        Servers.require("PostgreSQL", "127.0.0.1", 5432);
        ChildJvm.Result without = ChildJvm.withoutAgent().main(TransparencyScenario.class).run().assertExitCode(0);
        ChildJvm.Result with = ChildJvm.withAgent().main(TransparencyScenario.class).run().assertExitCode(0);
        List<String> expected = normalized(without.lines("OUT "));
        for (String driver : List.of("h2", "mariadb", "connectorj", "postgresql")) {
            assertEquals(7, expected.stream().filter(l -> l.startsWith(driver + " ")).count(), String.join("\n", expected));
        }
        assertFalse(String.join("\n", expected).contains("unexpected"), String.join("\n", expected));
        assertEquals(expected, normalized(with.lines("OUT ")));

        Records records = Records.of(with.records());
        for (String system : List.of("h2", "mysql", "postgresql")) {
            assertTrue(records.named(system + ".request").size() >= 6, system + ":\n" + records);
            assertTrue(records.named(system + ".request.error").size() >= 1, system + ":\n" + records);
            assertTrue(records.named(system + ".connect").size() >= 1, system + ":\n" + records);
        }
        assertEquals(0, records.where(r -> r.string("x_param") != null).size(), records.toString());
    }

    /** MariaDB's messages name the server's connection id, which differs between two runs. */
    private static List<String> normalized(List<String> lines) {
        return lines.stream().map(l -> l.replaceAll("\\(conn=\\d+\\)", "(conn=N)")).toList();
    }
}
