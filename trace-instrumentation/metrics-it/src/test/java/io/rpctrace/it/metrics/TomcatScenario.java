package io.rpctrace.it.metrics;

import io.rpctrace.testing.RawHttp;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/** {@link IpTraffic#REQUESTS} served by a servlet on an embedded Tomcat 11 (jakarta) with the agent. */
public final class TomcatScenario {
    public static void main(String[] args) throws Exception {
        File base = Files.createTempDirectory("tomcat").toFile();
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.getAbsolutePath());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        Context ctx = tomcat.addContext("", base.getAbsolutePath());
        Tomcat.addServlet(ctx, "sizes", new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse rsp) throws IOException {
                req.getInputStream().readAllBytes();
                int out = Integer.parseInt(req.getParameter("out"));
                String path = req.getRequestURI();
                rsp.setStatus(path.equals("/bad") ? 400 : path.equals("/fail") ? 503 : 200);
                rsp.setContentLength(out);
                rsp.getOutputStream().write(new byte[out]);
            }
        });
        ctx.addServletMappingDecoded("/*", "sizes");
        tomcat.start();
        int port = connector.getLocalPort();
        try {
            for (IpTraffic.Request r : IpTraffic.REQUESTS) {
                RawHttp.Response rsp = RawHttp.exchange(port, IpScenario.request(port, r));
                if (rsp.status() != r.status()) {
                    throw new AssertionError("status " + rsp.status() + " for " + r);
                }
            }
        } finally {
            tomcat.stop();
            tomcat.destroy();
        }
    }
}
