package io.rpctrace.it.servlet;

import java.io.File;
import java.nio.file.Files;
import java.util.List;
import jakarta.servlet.Filter;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/** The servlet scenarios on an embedded Tomcat. */
class TomcatServletTest extends ServletContract {
    private Tomcat tomcat;

    @Override
    int startServer(List<Mount> mounts, Filter guard) throws Exception {
        tomcat = embedded();
        Context ctx = tomcat.addContext("", tomcat.getServer().getCatalinaBase().getAbsolutePath());
        for (Mount m : mounts) {
            String name = m.path().substring(1);
            Wrapper w = Tomcat.addServlet(ctx, name, m.servlet());
            w.setAsyncSupported(m.async());
            ctx.addServletMappingDecoded(m.path(), name);
        }
        FilterDef def = new FilterDef();
        def.setFilterName("guard");
        def.setFilter(guard);
        def.setAsyncSupported("true");
        ctx.addFilterDef(def);
        FilterMap map = new FilterMap();
        map.setFilterName("guard");
        map.addURLPattern("/*");
        ctx.addFilterMap(map);
        tomcat.start();
        return tomcat.getConnector().getLocalPort();
    }

    /** An embedded Tomcat with one connector on 127.0.0.1 and a free port, not started. */
    static Tomcat embedded() throws java.io.IOException {
        File base = Files.createTempDirectory("tomcat").toFile();
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.getAbsolutePath());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        return tomcat;
    }

    @Override
    void stopServer() throws Exception {
        tomcat.stop();
        tomcat.destroy();
    }
}
