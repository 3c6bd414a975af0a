package io.rpctrace.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tree of the worked example of docs/model.md#ids, read from two services' files, in text, JSON
 * and HTML.
 */
class WorkedExampleTreeTest {
    @TempDir
    Path dir;

    @BeforeEach
    void logs() throws Exception {
        Viewer.write(dir.resolve("a/order.trace.log"), WorkedExample.serviceA());
        Viewer.write(dir.resolve("b/inventory.trace.log"), WorkedExample.serviceB());
    }

    @Test
    void printsTheTreeByRpcId() {
        Viewer v = Viewer.run("trace", WorkedExample.TRACE, dir.toString());

        assertEquals(0, v.status, v.err);
        assertEquals(String.join("\n",
                "trace 4bf92f3577b34da6a3ce929d0e0e4736  started 2025-11-22 08:26:40.100 UTC  took 120.0ms  9 records, 2 services, 1 error, 2 task scopes",
                "services: java-order-1.4, java-inventory-2.0",
                "",
                "    offset   duration  rpc id / record",
                "      +0ms    120.0ms  0.1 request.info  java-order-1.4  POST /orders  code=200",
                "      +1ms    5.000ms  0.2 mysql.request  java-order-1.4  select * from orders where id = ?  code=0",
                "      +7ms     40.0ms  0.3 http.post  java-order-1.4  http://inventory:8080/reserve  code=200  -> java-inventory-2.0 0.3.1, network 6.000ms",
                "     +10ms     34.0ms    0.3.1 request.info  java-inventory-2.0  POST /reserve  code=200  <- http.post 0.3 (java-order-1.4)",
                "     +12ms          -    0.3.1 log.info  java-inventory-2.0  \"reserving 2 items\"",
                "     +15ms    2.000ms    0.3.2 redis.request  java-inventory-2.0  DECRBY stock:42 2  code=OK",
                "     +48ms          -  0.3 log.info  java-order-1.4  \"order created\"",
                "                       0.4 (task scope, no record of its own)",
                "     +50ms     12.0ms    0.4.2 mysql.request  java-order-1.4  insert into audit values (?)  code=0",
                "                       0.5 (task scope, no record of its own)",
                "!    +51ms     13.0ms    0.5.2 mysql.request.error  java-order-1.4  update stock set n = n - 1  code=1213  ERROR: Deadlock found when trying to get lock",
                ""), v.out.replace(System.lineSeparator(), "\n"));
        assertTrue(v.err.startsWith("rpctrace: scanned 2 files, "), v.err);
    }

    @Test
    void jsonCarriesTheSameTree() throws Exception {
        Viewer v = Viewer.run("trace", WorkedExample.TRACE, dir.toString(), "--json");

        assertEquals(0, v.status, v.err);
        // rpc ids in document order, with the pair and the placeholder flags
        List<String> ids = new ArrayList<>();
        List<String> names = new ArrayList<>();
        String network = null;
        try (JsonParser p = new JsonFactory().createParser(v.out)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.FIELD_NAME && p.currentName().equals("rpc_id")) {
                    ids.add(p.nextTextValue());
                } else if (t == JsonToken.FIELD_NAME && p.currentName().equals("x_name")) {
                    names.add(p.nextTextValue());
                } else if (t == JsonToken.FIELD_NAME && p.currentName().equals("network_ms")) {
                    p.nextToken();
                    network = p.getText();
                }
            }
        }
        assertEquals(Arrays.asList("0.1", "0.2", "0.3", "0.3.1", "0.3.2", "0.4", "0.4.2", "0.5", "0.5.2"), ids);
        assertEquals(Arrays.asList("request.info", "mysql.request", "http.post", "log.info", "request.info", "log.info",
                "redis.request", "mysql.request", "mysql.request.error"), names);
        assertEquals("6.0", network);
        assertTrue(v.out.startsWith("{\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"start_ms\":1763800000100,"
                + "\"duration_ms\":120,\"records\":9,\"errors\":1,\"placeholders\":2,\"task_scopes\":2,"), v.out);
        assertTrue(v.out.contains("\"rpc_id\":\"0.4\",\"depth\":2,\"placeholder\":true,\"task_scope\":true,\"records\":[]"), v.out);
    }

    @Test
    void htmlIsOneSelfContainedPageThatEscapesRecordText() throws Exception {
        String hostile = "</script><img src=x onerror=alert(1)>\u2028";
        Viewer.write(dir.resolve("c/evil.trace.log"), Arrays.asList(
                Rec.of("http.get", WorkedExample.TRACE, "0.6").version("<b>svc</b>").at(WorkedExample.T0 + 60, 0.001)
                        .action(hostile).msg(hostile).line()));
        Path html = dir.resolve("out/trace.html");

        Viewer v = Viewer.run("trace", WorkedExample.TRACE, dir.toString(), "--html", html.toString());

        assertEquals(0, v.status, v.err);
        String page = new String(Files.readAllBytes(html), StandardCharsets.UTF_8);
        assertTrue(page.startsWith("<!DOCTYPE html>"));
        assertFalse(page.contains("<img"), "record text reached the page unescaped");
        assertFalse(page.contains("<b>svc"), "service name reached the page unescaped");
        assertEquals(2, count(page, "</script>"), "only the page's own two scripts close");
        assertFalse(page.contains("\u2028"));
        for (String external : new String[] {"src=\"http", "href=\"http", "src=\"//", "@import", "url("}) {
            assertFalse(page.contains(external), "external asset: " + external);
        }
        assertTrue(page.contains("0.3.1"));
        assertTrue(page.contains("0.4</span><span class=\"nm\">(task scope, no record of its own)</span>"), page);
        assertTrue(page.contains("class=\"row err"), "the failed query is marked");
        assertTrue(page.contains("6.000ms net"), "the call shows its network time");
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
