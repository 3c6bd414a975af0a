package io.rpctrace.it.metrics;

import io.rpctrace.testing.RawHttp;
import io.rpctrace.testing.http.IpTraffic;
import io.rpctrace.testing.servlet.EmbeddedTomcat;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;

/** {@link IpTraffic#REQUESTS} served by a servlet on an embedded Tomcat 11 (jakarta) with the agent. */
public final class TomcatScenario {
    public static void main(String[] args) throws Exception {
        EmbeddedTomcat tomcat = EmbeddedTomcat.create();
        Context ctx = tomcat.context();
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
        int port = tomcat.start();
        try {
            for (IpTraffic.Request r : IpTraffic.REQUESTS) {
                RawHttp.Response rsp = RawHttp.exchange(port, IpTraffic.request(port, r));
                if (rsp.status() != r.status()) {
                    throw new AssertionError("status " + rsp.status() + " for " + r);
                }
            }
        } finally {
            tomcat.close();
        }
    }
}
