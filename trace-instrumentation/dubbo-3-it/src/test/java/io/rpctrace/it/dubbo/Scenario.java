package io.rpctrace.it.dubbo;

import java.util.Collections;
import org.apache.dubbo.config.ApplicationConfig;
import org.apache.dubbo.config.MethodConfig;
import org.apache.dubbo.config.ProtocolConfig;
import org.apache.dubbo.config.ReferenceConfig;
import org.apache.dubbo.config.RegistryConfig;
import org.apache.dubbo.config.ServiceConfig;
import org.apache.dubbo.config.bootstrap.DubboBootstrap;
import org.apache.dubbo.rpc.RpcException;
import org.apache.dubbo.rpc.service.GenericService;

/**
 * A provider and a consumer of {@link Greeter} in one JVM (dubbo protocol on 127.0.0.1:{@code port},
 * the consumer pointed at it by a direct URL, no registry); run as a child JVM's {@code main}, it
 * prints (args: port [protocol]) what the application sees of a call, a timeout, a business exception and an async call
 * as {@code RESULT} lines.
 */
public final class Scenario {
    final DubboBootstrap bootstrap;
    final Greeter greeter;
    /** {@code 127.0.0.1:port}: the provider's {@code x_host}. */
    final String provider;

    private Scenario(DubboBootstrap bootstrap, Greeter greeter, int port) {
        this.bootstrap = bootstrap;
        this.greeter = greeter;
        this.provider = "127.0.0.1:" + port;
    }

    /** {@link #start(int)} on a free port. */
    static Scenario startOnAFreePort() throws java.io.IOException {
        return startOnAFreePort("dubbo");
    }

    /** {@link #start(String, int)} on a free port. */
    static Scenario startOnAFreePort(String protocol) throws java.io.IOException {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        return start(protocol, port);
    }

    /** Exports the provider on {@code port} and refers to it: {@code slow} times out after 300 ms, the rest after 5 s. */
    static Scenario start(int port) {
        return start("dubbo", port);
    }

    /** Like {@link #start(int)} on {@code protocol}: {@code dubbo} or {@code tri} (Triple). */
    static Scenario start(String protocolName, int port) {
        ApplicationConfig app = new ApplicationConfig("dubbo-it");
        app.setQosEnable(false);
        ServiceConfig<Greeter> service = new ServiceConfig<>();
        service.setInterface(Greeter.class);
        service.setRef(new GreeterImpl());
        ProtocolConfig protocol = new ProtocolConfig(protocolName, port);
        protocol.setHost("127.0.0.1");
        ReferenceConfig<Greeter> reference = new ReferenceConfig<>();
        reference.setInterface(Greeter.class);
        reference.setUrl(protocolName + "://127.0.0.1:" + port);
        reference.setScope("remote");
        reference.setTimeout(5000);
        reference.setRetries(0);
        MethodConfig slow = new MethodConfig();
        slow.setName("slow");
        slow.setTimeout(300);
        reference.setMethods(Collections.singletonList(slow));
        DubboBootstrap bootstrap = DubboBootstrap.newInstance();
        bootstrap.application(app).registry(new RegistryConfig(RegistryConfig.NO_AVAILABLE)).protocol(protocol)
                .service(service).reference(reference).start();
        return new Scenario(bootstrap, reference.get(), port);
    }

    /** A reference to a port nothing listens on (not checked at start-up). */
    static Greeter nowhere(DubboBootstrap bootstrap) throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ReferenceConfig<Greeter> reference = new ReferenceConfig<>();
        reference.setInterface(Greeter.class);
        reference.setId("nowhere");
        reference.setUrl("dubbo://127.0.0.1:" + port);
        reference.setScope("remote");
        reference.setCheck(false);
        reference.setRetries(0);
        bootstrap.reference(reference);
        return reference.get();
    }

    /**
     * Exports a second {@link Greeter} (group {@code guarded}) that asks for {@code token} (Dubbo's
     * token check) on the running {@code bootstrap}'s protocol and port, and refers to it at
     * {@code address} presenting {@code presented} (the direct URL's {@code token}).
     */
    static Greeter guarded(DubboBootstrap bootstrap, String protocol, String address, String token, String presented) {
        ServiceConfig<Greeter> service = new ServiceConfig<>();
        service.setInterface(Greeter.class);
        service.setRef(new GreeterImpl());
        service.setGroup("guarded");
        service.setToken(token);
        bootstrap.service(service);
        service.export();
        ReferenceConfig<Greeter> reference = new ReferenceConfig<>();
        reference.setInterface(Greeter.class);
        reference.setGroup("guarded");
        reference.setId("guarded-" + presented);
        reference.setUrl(protocol + "://" + address + "?token=" + presented);
        reference.setScope("remote");
        reference.setCheck(false);
        reference.setTimeout(5000);
        reference.setRetries(0);
        bootstrap.reference(reference);
        return reference.get();
    }

    /** A generic reference ({@code GenericService}, no interface on the class path needed) to {@code address}. */
    static GenericService generic(DubboBootstrap bootstrap, String protocol, String address) {
        ReferenceConfig<GenericService> reference = new ReferenceConfig<>();
        reference.setInterface(Greeter.class.getName());
        reference.setGeneric("true");
        reference.setId("generic-" + protocol);
        reference.setUrl(protocol + "://" + address);
        reference.setScope("remote");
        reference.setTimeout(5000);
        reference.setRetries(0);
        bootstrap.reference(reference);
        return reference.get();
    }

    public static void main(String[] args) throws Exception {
        // Design note: bootstrap.stop() below waits a third of dubbo.service.shutdown.wait (10 s by
        // default) for the provider to go idle, then up to all of it for open requests: 3 s or more
        // per run for a provider that has just served. The RESULT lines are printed before it; a
        // short wait keeps a graceful stop (the slow call's 1.5 s still fit) without idling.
        System.setProperty("dubbo.service.shutdown.wait", "1500");
        Scenario s = start(args.length > 1 ? args[1] : "dubbo", Integer.parseInt(args[0]));
        try {
            // greet answers "<name> <trace id> <rpc id>": the name is the application's value
            System.out.println("RESULT greet " + s.greeter.greet("ada").split(" ")[0]);
            try {
                s.greeter.slow(1500);
                System.out.println("RESULT slow returned");
            } catch (RpcException e) {
                System.out.println("RESULT slow " + e.getClass().getName() + " timeout=" + e.isTimeout());
            }
            try {
                s.greeter.fail("pear");
                System.out.println("RESULT fail returned");
            } catch (IllegalStateException e) {
                System.out.println("RESULT fail " + e.getClass().getName() + " " + e.getMessage());
            }
            try {
                nowhere(s.bootstrap).greet("eve");
                System.out.println("RESULT nowhere returned");
            } catch (RpcException e) {
                System.out.println("RESULT nowhere " + e.getClass().getName() + " code=" + e.getCode());
            }
            System.out.println("RESULT async " + s.greeter.greetAsync("bob").get().split(" ")[0]);
        } finally {
            s.bootstrap.stop();
        }
        System.exit(0);
    }
}
