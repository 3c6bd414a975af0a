package io.rpctrace.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders the demo trace's HTML page in headless Chromium and checks the screenshot: the
 * page draws (many colours), the service colours and the error red are on it. Skips on a
 * machine without Chromium, but fails on CI ({@code CI=true}), where it must run.
 * The PNG is kept in {@code target/screenshots/} (docs/images/viewer.png is a copy).
 */
class HtmlScreenshotTest {
    @TempDir
    Path dir;

    @Test
    void theWaterfallRendersInChromium() throws Exception {
        String chromium = findChromium();
        if (chromium == null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("chromium is not installed but CI=true: install it (apt-get install -y chromium)");
            }
            Assumptions.abort("chromium not installed; the screenshot test runs on CI");
        }
        List<List<String>> files = DemoTrace.files();
        for (int i = 0; i < files.size(); i++) {
            Viewer.write(dir.resolve("host" + i + "/svc" + i + ".trace.log"), files.get(i));
        }
        Path out = Paths.get("target", "screenshots").toAbsolutePath();
        Files.createDirectories(out);
        Path html = out.resolve("trace.html");
        Path png = out.resolve("trace.png");
        Files.deleteIfExists(png);
        Viewer v = Viewer.run("trace", DemoTrace.TRACE, dir.toString(), "--html", html.toString());
        assertEquals(0, v.status, v.err);

        Path profile = Files.createTempDirectory(dir, "chromium-profile");
        List<String> cmd = new ArrayList<>();
        cmd.add(chromium);
        for (String flag : new String[] {"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--hide-scrollbars", "--user-data-dir=" + profile, "--screenshot=" + png, "--window-size=1400,900"}) {
            cmd.add(flag);
        }
        cmd.add(html.toUri().toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("chromium.log").toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish in 120 s: " + new String(Files.readAllBytes(dir.resolve("chromium.log"))));
        }
        assertTrue(Files.isRegularFile(png), "no screenshot: " + new String(Files.readAllBytes(dir.resolve("chromium.log"))));
        assertTrue(Files.size(png) > 30_000, "screenshot suspiciously small: " + Files.size(png) + " bytes");

        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(1400, img.getWidth());
        assertEquals(900, img.getHeight());
        Set<Integer> colours = new HashSet<>();
        int blue = 0;
        int red = 0;
        int green = 0;
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                int rgb = img.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                blue += near(rgb, 0x3b82f6) ? 1 : 0;   // first service
                green += near(rgb, 0x10b981) ? 1 : 0;  // second service
                red += near(rgb, 0xe5484d) ? 1 : 0;    // the failed query
            }
        }
        assertTrue(colours.size() > 200, "the page looks blank: " + colours.size() + " colours");
        assertTrue(blue > 200, "no bars in the first service's colour: " + blue);
        assertTrue(green > 200, "no bars in the second service's colour: " + green);
        assertTrue(red > 50, "the error is not drawn in red: " + red);
    }

    private static boolean near(int rgb, int target) {
        int dr = Math.abs(((rgb >> 16) & 0xff) - ((target >> 16) & 0xff));
        int dg = Math.abs(((rgb >> 8) & 0xff) - ((target >> 8) & 0xff));
        int db = Math.abs((rgb & 0xff) - (target & 0xff));
        return dr + dg + db < 24;
    }

    static String findChromium() {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String name : new String[] {"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}) {
            for (String d : path.split(File.pathSeparator)) {
                File f = new File(d, name);
                if (f.canExecute()) {
                    return f.getAbsolutePath();
                }
            }
        }
        return null;
    }
}
