package io.rpctrace.it.gateway;

import io.rpctrace.it.gateway.catalog.CatalogApp;
import io.rpctrace.it.gateway.edge.GatewayApp;
import io.rpctrace.it.gateway.stock.StockApp;
import io.rpctrace.testing.ChildJvm;
import io.rpctrace.testing.RawHttp;
import io.rpctrace.testing.ServiceProperties;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The three services, each in a JVM of its own started in parallel (with the packaged agent
 * as a user attaches it, or without it), and the requests the tests send to the gateway:
 * gateway (Spring Cloud Gateway) → catalog (WebFlux, WebClient) → stock (Spring MVC, JDBC).
 */
final class GatewayChain implements AutoCloseable {
    /** Jars a service of that kind does not ship (file-name prefixes). */
    private static final List<String> NOT_IN_GATEWAY = List.of("spring-webmvc-", "spring-boot-webmvc-",
            "spring-boot-starter-web-", "tomcat-embed-", "spring-boot-tomcat-", "spring-boot-starter-tomcat",
            "spring-boot-servlet-", "h2-", "HikariCP-", "spring-jdbc-", "spring-boot-jdbc-", "spring-boot-starter-jdbc-");
    private static final List<String> NOT_IN_CATALOG = List.of("spring-cloud-", "spring-webmvc-", "spring-boot-webmvc-",
            "spring-boot-starter-web-", "tomcat-embed-", "spring-boot-tomcat-", "spring-boot-starter-tomcat",
            "spring-boot-servlet-", "h2-", "HikariCP-", "spring-jdbc-", "spring-boot-jdbc-", "spring-boot-starter-jdbc-");
    private static final List<String> NOT_IN_STOCK = List.of("spring-cloud-", "spring-webflux-", "spring-boot-webflux-",
            "spring-boot-starter-webflux-", "spring-boot-reactor-netty-", "spring-boot-starter-reactor-netty-",
            "reactor-netty-", "spring-boot-webclient-", "spring-boot-starter-webclient-");

    /** The answer to {@code item("a1")} without debug mode, with or without the agent. */
    static final String ITEM_A1 = "item a1 plain | stock a1=7 plain token=-";

    final int gatewayPort;
    final int catalogPort;
    final int stockPort;
    final ChildJvm.Running gateway;
    final ChildJvm.Running catalog;
    final ChildJvm.Running stock;

    private GatewayChain(boolean agent) {
        int[] ports = ChildJvm.freePorts(3);
        gatewayPort = ports[0];
        catalogPort = ports[1];
        stockPort = ports[2];
        String stockUrl = "http://127.0.0.1:" + stockPort;
        stock = jvm(agent, "stock", NOT_IN_STOCK).main(StockApp.class, String.valueOf(stockPort)).start();
        catalog = jvm(agent, "catalog", NOT_IN_CATALOG)
                .main(CatalogApp.class, String.valueOf(catalogPort), stockUrl).start();
        gateway = jvm(agent, "gateway", NOT_IN_GATEWAY)
                .main(GatewayApp.class, String.valueOf(gatewayPort), "http://127.0.0.1:" + catalogPort, stockUrl).start();
    }

    /** Starts the three JVMs and waits until each serves (at most 3 min: two cores shared by many builds). */
    static GatewayChain start(boolean agent) {
        GatewayChain chain = new GatewayChain(agent);
        try {
            chain.stock.awaitLine("READY stock", 180);
            chain.catalog.awaitLine("READY catalog", 180);
            chain.gateway.awaitLine("READY gateway", 180);
            return chain;
        } catch (RuntimeException | Error e) {
            chain.close();
            throw e;
        }
    }

    /** Only records written from now on are returned by the services' {@code awaitRecords}. */
    GatewayChain mark() {
        gateway.mark();
        catalog.mark();
        stock.mark();
        return this;
    }

    /** {@code GET /api/catalog/items/<sku>}: route {@code catalog}. */
    RawHttp.Response item(String sku, String... headers) {
        return RawHttp.get(gatewayPort, "/api/catalog/items/" + sku, headers);
    }

    /** {@code GET /audited/catalog/items/<sku>}: route {@code audited}, whose filter calls stock first. */
    RawHttp.Response audited(String sku) {
        return RawHttp.get(gatewayPort, "/audited/catalog/items/" + sku);
    }

    /** {@code GET /api/slow}: route {@code slow}, 500 ms response timeout, the upstream answers after 3 s. */
    RawHttp.Response slow() {
        return RawHttp.get(gatewayPort, "/api/slow");
    }

    /**
     * {@code GET /api/catalog/slow} (route {@code catalog}, no timeout; the upstream answers after
     * 3 s), and the client disconnects after {@code waitMs}.
     */
    void requestAndHangUp(long waitMs) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), gatewayPort)) {
            OutputStream out = s.getOutputStream();
            out.write(("GET /api/catalog/slow HTTP/1.1\r\nHost: 127.0.0.1:" + gatewayPort + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Thread.sleep(waitMs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        gateway.close();
        catalog.close();
        stock.close();
    }

    private static ChildJvm jvm(boolean agent, String service, List<String> notShipped) {
        ChildJvm jvm = agent
                ? ChildJvm.withAgent().agentArgs("service=" + service + ",debug.token=" + ServiceProperties.DEBUG_SECRET)
                : ChildJvm.withoutAgent();
        return jvm.classPathWithout(notShipped).jvmArg("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    }
}
