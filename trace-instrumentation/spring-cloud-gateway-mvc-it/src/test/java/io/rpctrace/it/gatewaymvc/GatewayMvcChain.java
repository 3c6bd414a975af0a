package io.rpctrace.it.gatewaymvc;

import io.rpctrace.it.gatewaymvc.edge.GatewayMvcApp;
import io.rpctrace.it.gatewaymvc.stock.StockApp;
import io.rpctrace.testing.ChildJvm;
import io.rpctrace.testing.RawHttp;
import io.rpctrace.testing.ServiceProperties;
import java.util.List;

/**
 * The two services, each in a JVM of its own started in parallel (with the packaged agent as a
 * user attaches it, or without it), and the request the tests send to the gateway:
 * gateway (Spring Cloud Gateway Server MVC on Tomcat) → stock (Spring MVC on Tomcat).
 */
final class GatewayMvcChain implements AutoCloseable {
    /** Jars the stock service does not ship (file-name prefixes): the gateway. */
    private static final List<String> NOT_IN_STOCK = List.of("spring-cloud-");

    /** The answer to {@code stock("a1")} without debug mode, with or without the agent. */
    static final String STOCK_A1 = "stock a1 plain token=-";

    final int gatewayPort;
    final int stockPort;
    final ChildJvm.Running gateway;
    final ChildJvm.Running stock;

    private GatewayMvcChain(boolean agent) {
        int[] ports = ChildJvm.freePorts(2);
        gatewayPort = ports[0];
        stockPort = ports[1];
        stock = jvm(agent, "stock").classPathWithout(NOT_IN_STOCK)
                .main(StockApp.class, String.valueOf(stockPort)).start();
        gateway = jvm(agent, "gateway")
                .main(GatewayMvcApp.class, String.valueOf(gatewayPort), "http://127.0.0.1:" + stockPort).start();
    }

    /** Starts the two JVMs and waits until each serves (at most 3 min: two cores shared by many builds). */
    static GatewayMvcChain start(boolean agent) {
        GatewayMvcChain chain = new GatewayMvcChain(agent);
        try {
            chain.stock.awaitLine("READY stock", 180);
            chain.gateway.awaitLine("READY gateway", 180);
            return chain;
        } catch (RuntimeException | Error e) {
            chain.close();
            throw e;
        }
    }

    /** Only records written from now on are returned by the services' {@code awaitRecords}. */
    GatewayMvcChain mark() {
        gateway.mark();
        stock.mark();
        return this;
    }

    /** {@code GET /api/stock/<sku>}: route {@code stock}. */
    RawHttp.Response stock(String sku, String... headers) {
        return RawHttp.get(gatewayPort, "/api/stock/" + sku, headers);
    }

    @Override
    public void close() {
        gateway.close();
        stock.close();
    }

    private static ChildJvm jvm(boolean agent, String service) {
        ChildJvm jvm = agent
                ? ChildJvm.withAgent().agentArgs("service=" + service + ",debug.token=" + ServiceProperties.DEBUG_SECRET)
                : ChildJvm.withoutAgent();
        return jvm.classPathWithout(List.of()).jvmArg("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    }
}
