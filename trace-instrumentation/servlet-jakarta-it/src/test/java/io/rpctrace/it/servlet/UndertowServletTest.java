package io.rpctrace.it.servlet;

import io.undertow.Undertow;
import io.undertow.servlet.Servlets;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.DeploymentManager;
import io.undertow.servlet.util.ImmediateInstanceFactory;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;
import java.net.InetSocketAddress;
import java.util.List;

/** The servlet scenarios on an embedded Undertow (servlet deployment, Servlet 6.0). */
class UndertowServletTest extends ServletContract {
    private Undertow server;
    private DeploymentManager deployment;

    @Override
    int startServer(List<Mount> mounts, Filter guard) throws Exception {
        DeploymentInfo info = Servlets.deployment().setClassLoader(getClass().getClassLoader())
                .setContextPath("/").setDeploymentName("servlet-it");
        for (Mount m : mounts) {
            info.addServlet(Servlets.servlet(m.path().substring(1), m.servlet().getClass(),
                            new ImmediateInstanceFactory<Servlet>(m.servlet()))
                    .addMapping(m.path()).setAsyncSupported(m.async()));
        }
        info.addFilter(Servlets.filter("guard", guard.getClass(), new ImmediateInstanceFactory<Filter>(guard))
                .setAsyncSupported(true));
        info.addFilterUrlMapping("guard", "/*", DispatcherType.REQUEST);
        deployment = Servlets.defaultContainer().addDeployment(info);
        deployment.deploy();
        server = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(deployment.start()).build();
        server.start();
        return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    @Override
    void stopServer() throws Exception {
        server.stop();
        deployment.stop();
        deployment.undeploy();
    }
}
