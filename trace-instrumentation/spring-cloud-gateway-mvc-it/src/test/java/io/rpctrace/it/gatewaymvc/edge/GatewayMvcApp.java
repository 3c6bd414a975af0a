package io.rpctrace.it.gatewaymvc.edge;

import static org.springframework.cloud.gateway.server.mvc.filter.BeforeFilterFunctions.stripPrefix;
import static org.springframework.cloud.gateway.server.mvc.filter.BeforeFilterFunctions.uri;
import static org.springframework.cloud.gateway.server.mvc.handler.GatewayRouterFunctions.route;
import static org.springframework.cloud.gateway.server.mvc.handler.HandlerFunctions.http;
import static org.springframework.web.servlet.function.RequestPredicates.path;

import io.rpctrace.testing.ServiceProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The entry: Spring Cloud Gateway Server MVC on Tomcat, one route declared with its Java DSL as
 * users do: {@code stock}, {@code /api/stock/**} to the stock service with {@code /api} stripped,
 * through a before-filter that logs the request at debug. Args: the port, the stock service's
 * base URL.
 */
@SpringBootApplication
public class GatewayMvcApp {
    private static final Logger LOG = LoggerFactory.getLogger("gateway.edge");

    @Bean
    public RouterFunction<ServerResponse> stockRoute(@Value("${stock.url}") String stock) {
        return route("stock").route(path("/api/stock/**"), http())
                .before(request -> {
                    LOG.debug("gateway debug {}", request.path());
                    return request;
                })
                .before(uri(stock)).before(stripPrefix(1)).build();
    }

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(GatewayMvcApp.class);
        app.setWebApplicationType(WebApplicationType.SERVLET);
        app.setDefaultProperties(ServiceProperties.of(args[0], "stock.url", args[1]));
        app.run();
        System.out.println("READY gateway " + args[0]);
    }
}
