package io.rpctrace.testing.servlet;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * An embedded Tomcat with one connector on 127.0.0.1 and a free port and one root context,
 * for servlet tests on Tomcat 9 (javax) and Tomcat 10+ (jakarta) alike: it names no servlet
 * type, so one compiled class serves both namespaces.
 *
 * <pre>{@code
 * EmbeddedTomcat tomcat = EmbeddedTomcat.create();
 * Tomcat.addServlet(tomcat.context(), "hello", servlet);
 * tomcat.context().addServletMappingDecoded("/hello", "hello");
 * int port = tomcat.start();
 * ...
 * tomcat.close();
 * }</pre>
 *
 * <p>Tomcat is not a dependency of this artifact ({@code provided} here): a user adds
 * {@code org.apache.tomcat.embed:tomcat-embed-core}.
 */
public final class EmbeddedTomcat implements AutoCloseable {
    private final Tomcat tomcat;
    private final Connector connector;
    private final Context context;

    private EmbeddedTomcat(Tomcat tomcat, Connector connector, Context context) {
        this.tomcat = tomcat;
        this.connector = connector;
        this.context = context;
    }

    /** A Tomcat in a new temporary base directory, not started. */
    public static EmbeddedTomcat create() throws IOException {
        File base = Files.createTempDirectory("tomcat").toFile();
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.getAbsolutePath());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", base.getAbsolutePath());
        return new EmbeddedTomcat(tomcat, connector, context);
    }

    /** The root context ({@code ""}): servlets and filters are added here before {@link #start()}. */
    public Context context() {
        return context;
    }

    /** Starts Tomcat and returns the port it listens on. */
    public int start() throws LifecycleException {
        tomcat.start();
        return connector.getLocalPort();
    }

    /** The port Tomcat listens on, once started. */
    public int port() {
        return connector.getLocalPort();
    }

    /** Stops and destroys Tomcat. */
    @Override
    public void close() throws LifecycleException {
        tomcat.stop();
        tomcat.destroy();
    }
}
