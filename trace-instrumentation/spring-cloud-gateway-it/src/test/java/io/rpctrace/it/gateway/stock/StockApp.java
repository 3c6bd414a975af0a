package io.rpctrace.it.gateway.stock;

import io.rpctrace.testing.ServiceProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The last service of the chain: Spring MVC on Tomcat, one JDBC query (H2 in memory) per
 * request. {@code GET /stock/{sku}} answers {@code stock <sku>=<qty> <debug|plain> token=<the
 * X-Debug-Token it received, or ->}; {@code GET /audit} is what the gateway's audit filter calls.
 * Args: the port.
 */
@SpringBootApplication
@RestController
public class StockApp {
    private static final Logger LOG = LoggerFactory.getLogger("stock.api");
    private final JdbcTemplate jdbc;

    public StockApp(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping("/stock/{sku}")
    public String stock(@PathVariable("sku") String sku, @RequestHeader(value = "X-Debug-Token", required = false) String token) {
        LOG.debug("stock debug {}", sku);
        LOG.info("stock lookup {}", sku);
        Integer qty = jdbc.queryForObject("select qty from stock where sku = ?", Integer.class, sku);
        return "stock " + sku + "=" + qty + " " + ServiceProperties.mode(LOG.isDebugEnabled()) + " token="
                + (token == null ? "-" : token);
    }

    @GetMapping("/audit")
    public String audit() {
        LOG.debug("audit debug");
        return "audited";
    }

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(StockApp.class);
        app.setWebApplicationType(WebApplicationType.SERVLET);
        app.setDefaultProperties(ServiceProperties.of(args[0],
                "spring.datasource.url", "jdbc:h2:mem:stock;DB_CLOSE_DELAY=-1"));
        ConfigurableApplicationContext ctx = app.run();
        JdbcTemplate jdbc = ctx.getBean(JdbcTemplate.class);
        jdbc.execute("create table stock (sku varchar(16) primary key, qty int)");
        jdbc.update("insert into stock values ('a1', 7), ('b2', 3)");
        System.out.println("READY stock " + args[0]);
    }
}
