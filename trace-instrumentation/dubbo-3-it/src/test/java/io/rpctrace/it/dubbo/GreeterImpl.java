package io.rpctrace.it.dubbo;

import io.rpctrace.Trace;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;

/** The provider: every greeting is one JDBC query on an in-memory H2 database. */
final class GreeterImpl implements Greeter {
    static final String DB = "jdbc:h2:mem:dubbo_it;DB_CLOSE_DELAY=-1";

    @Override
    public String greet(String name) {
        Trace.debug("greeter", "greeting " + name);   // written only in debug mode
        try (Connection c = DriverManager.getConnection(DB);
             PreparedStatement ps = c.prepareStatement("select ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1) + " " + Trace.traceId() + " " + Trace.rpcId();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String slow(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "late";
    }

    @Override
    public String fail(String item) {
        throw new IllegalStateException("out of stock: " + item);
    }

    @Override
    public CompletableFuture<String> greetAsync(String name) {
        return CompletableFuture.completedFuture(greet(name));
    }

    @Override
    public String greetSlowly(String name, long millis) {
        slow(millis);
        return greet(name);
    }

    @Override
    public CompletableFuture<String> greetLater(String name, long millis) {
        slow(millis);
        return greetAsync(name);
    }

    @Override
    public String attachment(String name) {
        Object v = org.apache.dubbo.rpc.RpcContext.getServerAttachment().getObjectAttachment(name);
        return v == null ? null : v.toString();
    }
}
