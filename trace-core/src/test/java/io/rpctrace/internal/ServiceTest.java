package io.rpctrace.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceTest {
    @Test
    void theMainJarOrClassNamesTheService() {
        assertEquals("order-1.4", Service.guessName("/opt/order/order-1.4.jar --port 8080"));
        assertEquals("ordermain", Service.guessName("com.shop.OrderMain --port 8080"));
        assertEquals("app", Service.guessName(null));
    }

    /**
     * Every Quarkus application in JVM mode starts from {@code quarkus-app/quarkus-run.jar} (also
     * {@code /deployments/quarkus-run.jar} in Quarkus's container images): its own jar in
     * {@code app/} names it, or two Quarkus services would share one name and one record file.
     */
    @Test
    void aQuarkusLauncherIsNamedAfterTheApplicationJarBesideIt(@TempDir Path dir) throws Exception {
        Path quarkusApp = Files.createDirectories(dir.resolve("quarkus-app"));
        Path launcher = Files.createFile(quarkusApp.resolve("quarkus-run.jar"));
        Files.createDirectories(quarkusApp.resolve("app"));
        Files.createFile(quarkusApp.resolve("app").resolve("orders-1.0.0-SNAPSHOT.jar"));
        assertEquals("orders-1.0.0-SNAPSHOT", Service.guessName(launcher + " -Dx=y"));

        Files.createFile(quarkusApp.resolve("app").resolve("other-2.jar"));
        assertEquals("quarkus-run", Service.guessName(launcher.toString()), "two jars: no guess");
        assertEquals("quarkus-run", Service.guessName(new File(dir.toFile(), "none/quarkus-run.jar").toString()));
    }
}
