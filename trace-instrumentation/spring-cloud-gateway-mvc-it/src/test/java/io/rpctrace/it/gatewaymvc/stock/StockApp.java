package io.rpctrace.it.gatewaymvc.stock;

import io.rpctrace.testing.ServiceProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The upstream: Spring MVC on Tomcat. {@code GET /stock/{sku}} answers {@code stock <sku>
 * <debug|plain> token=<the X-Debug-Token it received, or ->}.
 * Args: the port.
 */
@SpringBootApplication
@RestController
public class StockApp {
    private static final Logger LOG = LoggerFactory.getLogger("stock.api");

    @GetMapping("/stock/{sku}")
    public String stock(@PathVariable("sku") String sku,
                        @RequestHeader(value = "X-Debug-Token", required = false) String token) {
        LOG.debug("stock debug {}", sku);
        LOG.info("stock lookup {}", sku);
        return "stock " + sku + " " + ServiceProperties.mode(LOG.isDebugEnabled()) + " token="
                + (token == null ? "-" : token);
    }

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(StockApp.class);
        app.setWebApplicationType(WebApplicationType.SERVLET);
        app.setDefaultProperties(ServiceProperties.of(args[0]));
        app.run();
        System.out.println("READY stock " + args[0]);
    }
}
