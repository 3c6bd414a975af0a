package io.rpctrace.it.servlet;

import io.rpctrace.testing.servlet.EmbeddedTomcat;
import java.util.List;
import javax.servlet.Filter;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/** The servlet scenarios on an embedded Tomcat. */
class TomcatServletTest extends ServletContract {
    private EmbeddedTomcat tomcat;

    @Override
    int startServer(List<Mount> mounts, Filter guard) throws Exception {
        tomcat = EmbeddedTomcat.create();
        Context ctx = tomcat.context();
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
        return tomcat.start();
    }

    @Override
    void stopServer() throws Exception {
        tomcat.close();
    }
}
