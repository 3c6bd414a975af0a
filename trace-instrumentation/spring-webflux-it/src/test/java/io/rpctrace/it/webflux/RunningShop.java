package io.rpctrace.it.webflux;

import io.rpctrace.testing.Servers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The one {@link ShopApp} of this test JVM (started by the first test class that needs it, stopped
 * when the JVM exits), with the local MariaDB and Redis it calls.
 */
final class RunningShop {
    private static Path logFile;
    private static ConfigurableApplicationContext context;

    private RunningShop() {
    }

    /** Its port; starts it first if needed (skips, or in CI fails, without MariaDB and Redis). */
    static synchronized int port() {
        Servers.require("mariadb", "127.0.0.1", 3306);
        Servers.require("Redis", "127.0.0.1", 6379);
        if (context == null) {
            try {
                Path dir = Files.createDirectories(Path.of("target"));
                logFile = dir.resolve("shop-app.log").toAbsolutePath();
                Files.deleteIfExists(logFile);
                context = ShopApp.start(logFile.toString());
                ShopApp.connect();
            } catch (Exception e) {
                throw new IllegalStateException("the WebFlux application did not start", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    ShopApp.disconnect();
                } catch (Exception e) {
                    // exiting anyway
                }
                context.close();
            }));
        }
        return ShopApp.port();
    }

    /** The application's log file lines so far (its file appender writes each line at once). */
    static List<String> logLines() {
        try {
            return Files.readAllLines(logFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
