package io.rpctrace.it.gateway.catalog;

import io.rpctrace.testing.ServiceProperties;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * The middle service: Spring WebFlux on Reactor Netty, an annotated controller that calls the
 * stock service with WebClient. {@code GET /catalog/items/{sku}} answers {@code item <sku>
 * <debug|plain> | <stock's answer>}; {@code GET /catalog/slow} answers after 3 s. Args: the port,
 * the stock service's base URL.
 */
@SpringBootApplication
@RestController
public class CatalogApp {
    private static final Logger LOG = LoggerFactory.getLogger("catalog.api");
    private final WebClient stock;

    public CatalogApp(WebClient.Builder builder, @Value("${stock.url}") String stockUrl) {
        this.stock = builder.baseUrl(stockUrl).build();
    }

    @GetMapping("/catalog/items/{sku}")
    public Mono<String> item(@PathVariable("sku") String sku) {
        LOG.debug("catalog debug {}", sku);
        String mode = ServiceProperties.mode(LOG.isDebugEnabled());
        return stock.get().uri("/stock/{sku}", sku).retrieve().bodyToMono(String.class)
                .map(s -> {
                    LOG.info("catalog item {}", sku);
                    return "item " + sku + " " + mode + " | " + s;
                });
    }

    @GetMapping("/catalog/slow")
    public Mono<String> slow() {
        return Mono.delay(Duration.ofSeconds(3)).map(x -> "slow");
    }

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(CatalogApp.class);
        app.setWebApplicationType(WebApplicationType.REACTIVE);
        app.setDefaultProperties(ServiceProperties.of(args[0], "stock.url", args[1]));
        app.run();
        System.out.println("READY catalog " + args[0]);
    }
}
