package io.rpctrace.it.jdbc;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Map;

/**
 * Runs with the agent and {@code capture.param} off: the same prepared statements executed in
 * a debug request (right token), then in a plain one. Prints {@code TRACE debug|plain <id>}.
 * The statement is prepared outside both requests, as a pool's statement cache would.
 */
public final class DebugParamScenario {
    public static void main(String[] args) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:debugparam;DB_CLOSE_DELAY=-1")) {
            try (Statement s = c.createStatement()) {
                s.execute("create table users (name varchar(20), password varchar(20))");
            }
            PreparedStatement insert = c.prepareStatement("insert into users (name, password) values (?, ?)");
            for (String kind : new String[] {"debug", "plain"}) {
                try (Span req = kind.equals("debug") ? Trace.enter(Map.of("X-Debug", "1", "X-Debug-Token", "s3cret")::get)
                        : Trace.enter(null, null)) {
                    insert.setString(1, "ann-" + kind);
                    insert.setString(2, "hunter2");
                    insert.executeUpdate();
                    System.out.println("TRACE " + kind + " " + req.traceId());
                }
            }
            insert.close();
        }
    }
}
