package io.rpctrace.it.servletwebflux;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;

import java.io.File;
import java.nio.file.Files;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.reactive.TomcatHttpHandlerAdapter;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.config.EnableWebFlux;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import reactor.core.publisher.Mono;

/**
 * Spring WebFlux on an embedded Tomcat, as Spring runs it on a servlet container: the application's
 * {@code HttpHandler} behind a {@code TomcatHttpHandlerAdapter} (a {@code ServletHttpHandlerAdapter})
 * mapped at {@code /}. An annotated and a functional route; outside the Boot application's package, so
 * its component scan does not see this configuration.
 */
@Configuration
@EnableWebFlux
public class TomcatHostedApp {
    private final Tomcat tomcat = new Tomcat();
    private AnnotationConfigApplicationContext context;

    /** The annotated route (a nested component of this configuration: registered with it). */
    @RestController
    public static class Users {
        @GetMapping("/tc/users/{id}")
        public Mono<String> user(@PathVariable("id") String id) {
            return Mono.just("user " + id);
        }
    }

    @Bean
    public RouterFunction<ServerResponse> items() {
        return RouterFunctions.route(GET("/tc/fn/items/{id}"),
                req -> ServerResponse.ok().bodyValue("item " + req.pathVariable("id")));
    }

    /** Starts Tomcat on a free loopback port and returns the port. */
    public int start() throws Exception {
        context = new AnnotationConfigApplicationContext(TomcatHostedApp.class);
        File base = Files.createTempDirectory("tomcat-webflux").toFile();
        tomcat.setBaseDir(base.getAbsolutePath());
        tomcat.setHostname("127.0.0.1");
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        Context root = tomcat.addContext("", base.getAbsolutePath());
        Tomcat.addServlet(root, "webflux",
                new TomcatHttpHandlerAdapter(WebHttpHandlerBuilder.applicationContext(context).build()))
                .setAsyncSupported(true);
        root.addServletMappingDecoded("/", "webflux");
        tomcat.start();
        return tomcat.getConnector().getLocalPort();
    }

    public void stop() throws LifecycleException {
        tomcat.stop();
        tomcat.destroy();
        context.close();
    }
}
