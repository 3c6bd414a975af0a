package io.rpctrace.bench.light;

import java.util.Map;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import redis.clients.jedis.JedisPooled;

/**
 * The light service of the side-by-side benchmark: {@code GET /items/{id}} reads the item's
 * row from MariaDB (one prepared query through HikariCP) and its stock from Redis (one
 * {@code GET}) and answers JSON; a few hundred microseconds of work, most of it two loopback
 * round trips. A service that makes cheap downstream calls is where a tracing agent's
 * per-call cost shows. It knows nothing of rpctrace.
 *
 * <pre>
 * java -jar trace-benchmarks/light-service/target/light-service.jar [--server.port=8080]
 *     [--spring.datasource.url=jdbc:mariadb://127.0.0.1:3306/test] [--light.redis.port=6379]
 * </pre>
 *
 * At start-up it creates and fills its own table ({@value #TABLE}, {@value #ITEMS} rows) and
 * Redis keys ({@value #KEY_PREFIX}{@code <id>}), leaving everything else in the shared
 * database and Redis alone.
 */
@SpringBootApplication
@RestController
public class LightService {
    /** The service's own table: never a name another program uses. */
    static final String TABLE = "lightbench_item";
    /** The prefix of the service's Redis keys. */
    static final String KEY_PREFIX = "lightbench:stock:";
    /** Items 1..ITEMS exist. */
    static final int ITEMS = 100;

    private final JdbcTemplate jdbc;
    private final JedisPooled redis;

    /** What {@code GET /items/{id}} answers. */
    public record Item(int id, String name, int priceCents, int stock) {
    }

    public LightService(JdbcTemplate jdbc, JedisPooled redis) {
        this.jdbc = jdbc;
        this.redis = redis;
    }

    public static void main(String[] args) {
        start(args);
    }

    /** Starts the service; command-line arguments override the defaults ({@code --server.port=0}: a free port). */
    public static ConfigurableApplicationContext start(String... args) {
        SpringApplication app = new SpringApplication(LightService.class);
        app.setDefaultProperties(Map.of(
                "server.address", "127.0.0.1",
                "spring.main.banner-mode", "off",
                "spring.datasource.url", "jdbc:mariadb://127.0.0.1:3306/test",
                "spring.datasource.username", "root",
                "spring.datasource.password", ""));
        return app.run(args);
    }

    @GetMapping("/items/{id}")
    public ResponseEntity<Item> item(@PathVariable("id") int id) {
        Item row;
        try {
            row = jdbc.queryForObject("SELECT id, name, price_cents FROM " + TABLE + " WHERE id = ?",
                    (rs, n) -> new Item(rs.getInt(1), rs.getString(2), rs.getInt(3), 0), id);
        } catch (EmptyResultDataAccessException e) {
            return ResponseEntity.notFound().build();
        }
        String stock = redis.get(KEY_PREFIX + id);
        return ResponseEntity.ok(new Item(row.id(), row.name(), row.priceCents(), stock == null ? 0 : Integer.parseInt(stock)));
    }

    /** A client of the pool Jedis keeps (closed with the application context). */
    @Bean(destroyMethod = "close")
    static JedisPooled redis(org.springframework.core.env.Environment env) {
        return new JedisPooled(env.getProperty("light.redis.host", "127.0.0.1"),
                env.getProperty("light.redis.port", Integer.class, 6379));
    }

    /** Creates and fills the table and the keys, and so opens the first connection of each pool before the first request. */
    @Bean
    static ApplicationRunner seed(JdbcTemplate jdbc, JedisPooled redis) {
        return args -> {
            jdbc.execute("CREATE TABLE IF NOT EXISTS " + TABLE
                    + " (id INT PRIMARY KEY, name VARCHAR(64) NOT NULL, price_cents INT NOT NULL)");
            for (int id = 1; id <= ITEMS; id++) {
                jdbc.update("INSERT IGNORE INTO " + TABLE + " (id, name, price_cents) VALUES (?, ?, ?)",
                        id, "item-" + id, 100 + id);
                redis.set(KEY_PREFIX + id, Integer.toString(10 + id % 7));
            }
        };
    }
}
