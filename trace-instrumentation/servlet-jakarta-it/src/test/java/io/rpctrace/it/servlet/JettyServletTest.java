package io.rpctrace.it.servlet;

import java.util.EnumSet;
import java.util.List;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

/** The servlet scenarios on an embedded Jetty. */
class JettyServletTest extends ServletContract {
    private Server server;

    @Override
    int startServer(List<Mount> mounts, Filter guard) throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler ctx = new ServletContextHandler();
        ctx.setContextPath("/");
        for (Mount m : mounts) {
            ServletHolder h = new ServletHolder(m.servlet());
            h.setAsyncSupported(m.async());
            ctx.addServlet(h, m.path());
        }
        FilterHolder f = new FilterHolder(guard);
        f.setAsyncSupported(true);
        ctx.addFilter(f, "/*", EnumSet.of(DispatcherType.REQUEST));
        server.setHandler(ctx);
        server.start();
        return connector.getLocalPort();
    }

    @Override
    void stopServer() throws Exception {
        server.stop();
    }
}
