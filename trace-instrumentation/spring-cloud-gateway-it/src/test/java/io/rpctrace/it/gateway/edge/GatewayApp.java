package io.rpctrace.it.gateway.edge;

import io.rpctrace.testing.ServiceProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.cloud.gateway.support.RouteMetadataUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The entry: Spring Cloud Gateway (server-webflux) with three routes, as users declare them
 * with the Java route DSL:
 * <ul>
 *   <li>{@code catalog}: {@code /api/catalog/**} to the catalog service, {@code /api} stripped;</li>
 *   <li>{@code audited}: {@code /audited/catalog/**} likewise, through a route filter that first
 *       calls the stock service's {@code /audit} with WebClient;</li>
 *   <li>{@code slow}: {@code /api/slow} to the catalog's {@code /catalog/slow} with a route
 *       {@code response-timeout} of 500 ms.</li>
 * </ul>
 * A global filter logs each request, and its headers, at debug. Args: the port, the catalog's and the stock
 * service's base URLs.
 */
@SpringBootApplication
public class GatewayApp {
    private static final Logger LOG = LoggerFactory.getLogger("gateway.edge");
    private static final Logger HEADERS = LoggerFactory.getLogger("gateway.headers");

    @Bean
    public RouteLocator routes(RouteLocatorBuilder routes, WebClient.Builder clients,
                               @Value("${catalog.url}") String catalog, @Value("${stock.url}") String stock) {
        WebClient audit = clients.baseUrl(stock).build();
        GatewayFilter auditFirst = (exchange, chain) -> audit.get().uri("/audit").retrieve().bodyToMono(String.class)
                .flatMap(answer -> chain.filter(exchange));
        return routes.routes()
                .route("catalog", r -> r.path("/api/catalog/**").filters(f -> f.stripPrefix(1)).uri(catalog))
                .route("audited", r -> r.path("/audited/catalog/**")
                        .filters(f -> f.stripPrefix(1).filter(auditFirst)).uri(catalog))
                .route("slow", r -> r.path("/api/slow").filters(f -> f.setPath("/catalog/slow"))
                        .metadata(RouteMetadataUtils.RESPONSE_TIMEOUT_ATTR, 500).uri(catalog))
                .build();
    }

    @Bean
    public GlobalFilter debugLog() {
        return (exchange, chain) -> {
            LOG.debug("gateway debug {}", exchange.getRequest().getPath());
            // as Spring Cloud Gateway's ObservedRequestHttpHeadersFilter does with Micrometer
            // observation on (spring-petclinic-microservices): the headers, a debug token among them
            HEADERS.debug("request headers {}", exchange.getRequest().getHeaders());
            return chain.filter(exchange);
        };
    }

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(GatewayApp.class);
        app.setWebApplicationType(WebApplicationType.REACTIVE);
        app.setDefaultProperties(ServiceProperties.of(args[0], "catalog.url", args[1], "stock.url", args[2]));
        app.run();
        System.out.println("READY gateway " + args[0]);
    }
}
