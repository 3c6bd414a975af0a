package io.rpctrace.shipping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real search engine in a JVM of its own (OpenSearch 2.19, Elasticsearch 7.10.2, OpenSearch 3.8
 * on Temurin 25; from the {@code engines/} modules), started once per test JVM and shared by
 * every test class; it stops when this JVM exits (its stdin closes). Plain REST on 127.0.0.1.
 */
final class SearchEngine {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static CompletableFuture<SearchEngine> openSearch;
    private static CompletableFuture<SearchEngine> elasticsearch;
    private static CompletableFuture<SearchEngine> openSearch3;

    private final String name;
    private final int port;

    private SearchEngine(String name, int port) {
        this.name = name;
        this.port = port;
    }

    /** OpenSearch 2.19 (starting both engines at once the first time either is asked for). */
    static SearchEngine openSearch() {
        startBoth();
        return openSearch.join();
    }

    /** Elasticsearch 7.10.2. */
    static SearchEngine elasticsearch() {
        startBoth();
        return elasticsearch.join();
    }

    /** OpenSearch 2.19 and Elasticsearch 7.10.2: the engines of the pipeline tests. */
    static List<SearchEngine> both() {
        return List.of(openSearch(), elasticsearch());
    }

    /**
     * Every engine: {@link #both()} and OpenSearch 3.8, which needs Java 21+ (the machine's
     * Temurin 25). Without that JDK the tests fail in CI and leave 3.8 out elsewhere, saying so;
     * {@code -Djdk25.skip=true} leaves it out too.
     */
    static List<SearchEngine> all() {
        startBoth();
        List<SearchEngine> all = new ArrayList<>(both());
        if (openSearch3 != null) {
            all.add(openSearch3.join());
        }
        return all;
    }

    private static synchronized void startBoth() {
        if (openSearch == null) {
            String java17 = javaExecutable();
            openSearch = CompletableFuture.supplyAsync(() -> start("opensearch-2.19", java17,
                    "rpctrace.engine.opensearch", "org.codelibs.opensearch.runner.OpenSearchRunner"));
            elasticsearch = CompletableFuture.supplyAsync(() -> start("elasticsearch-7.10.2", java17,
                    "rpctrace.engine.elasticsearch", "org.codelibs.elasticsearch.runner.ElasticsearchClusterRunner"));
            Path java21 = Paths.get(System.getProperty("rpctrace.engine.java21", "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java"));
            if (Boolean.getBoolean("jdk25.skip")) {
                System.err.println("rpctrace: -Djdk25.skip=true: OpenSearch 3.8 left out");
            } else if (!Files.isExecutable(java21)) {
                if ("true".equals(System.getenv("CI"))) {
                    throw new AssertionError(java21 + " is missing: OpenSearch 3.8 needs Java 21+");
                }
                System.err.println("rpctrace: no " + java21 + ": OpenSearch 3.8 left out (it needs Java 21+)");
            } else {
                openSearch3 = CompletableFuture.supplyAsync(() -> start("opensearch-3.8", java21.toString(),
                        "rpctrace.engine.opensearch3", "org.codelibs.opensearch.runner.OpenSearchRunner"));
            }
        }
    }

    /**
     * One node from its runner's own main, in {@link EngineLauncher} so that it ends with this
     * JVM (node 1 listens on the base port + 1; the runners take no port above 9299); ready when
     * the cluster is yellow.
     */
    private static SearchEngine start(String name, String java, String targetProperty, String runnerClass) {
        try {
            Path target = Paths.get(System.getProperty(targetProperty));
            String cp = Files.readString(target.resolve("engine.classpath")).trim() + ":"
                    + Paths.get(EngineLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            int http = reservePortBelow9300();
            Path data = Files.createTempDirectory("rpctrace-" + name);
            Path log = data.resolve("engine.log");
            Process p = new ProcessBuilder(java, "-Xmx512m", "-XX:+UseSerialGC", "-cp", cp,
                    EngineLauncher.class.getName(), runnerClass,
                    "-basePath", data.resolve("cluster").toString(), "-numOfNode", "1",
                    "-baseHttpPort", Integer.toString(http - 1), "-clusterName", "rpctrace-test", "-disableESLogger")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            stopWithThisJvm(p, data);
            SearchEngine e = new SearchEngine(name, http);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < deadline && p.isAlive()) {
                try {
                    e.call("GET", "/_cluster/health?wait_for_status=yellow&timeout=1s", null);
                    // a test machine's disk may be fuller than a production one's: never go read-only
                    e.put("/_cluster/settings", "{\"persistent\":{\"cluster.routing.allocation.disk.threshold_enabled\":false}}");
                    return e;
                } catch (UncheckedIOException | AssertionError notYet) {
                    Thread.sleep(250);
                }
            }
            throw new AssertionError(name + " did not start; its log:\n" + tail(log));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException | java.net.URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    private static void stopWithThisJvm(Process p, Path data) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                p.getOutputStream().close(); // the launcher exits, the runner's hook closes the node
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
                deleteTree(data);
            } catch (IOException | InterruptedException ignored) {
                p.destroyForcibly();
            }
        }));
    }

    private static void deleteTree(Path dir) throws IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static final java.util.Set<Integer> RESERVED = new java.util.HashSet<>();

    /** A free port in 9250-9299 that no other engine of this JVM was given. */
    private static synchronized int reservePortBelow9300() throws IOException {
        for (int port = 9250; port < 9300; port++) {
            if (RESERVED.contains(port)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
                RESERVED.add(port);
                return port;
            } catch (IOException taken) {
                // try the next one
            }
        }
        throw new IOException("no free port in 9250-9299 for a search engine");
    }

    static String javaExecutable() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    String name() {
        return name;
    }

    int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port>}. */
    String url() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public String toString() {
        return name;
    }

    /** The answer of one request; fails on a status outside 2xx unless {@code allowed}. */
    Response call(String method, String path, String body, int... allowed) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", path.contains("_bulk") ? "application/x-ndjson" : "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            boolean ok = r.statusCode() / 100 == 2;
            for (int a : allowed) {
                ok |= r.statusCode() == a;
            }
            if (!ok) {
                throw new AssertionError(name + ": " + method + " " + path + " -> " + r.statusCode() + " " + r.body());
            }
            return new Response(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    JsonNode get(String path) {
        return call("GET", path, null).json();
    }

    JsonNode post(String path, String body) {
        return call("POST", path, body).json();
    }

    JsonNode put(String path, String body) {
        return call("PUT", path, body).json();
    }

    /** Deletes the indices matching {@code pattern} (none is fine). */
    void deleteIndices(String pattern) {
        call("DELETE", "/" + pattern + "?allow_no_indices=true&ignore_unavailable=true", null, 404);
    }

    /** Bulk-indexes {@code lines} as they are (each a record) into {@code index} with ids 1..n; refreshes. */
    void bulkIndex(String index, List<String> lines) {
        StringBuilder sb = new StringBuilder();
        List<String> batch = new ArrayList<>();
        int id = 0;
        for (String line : lines) {
            id++;
            sb.append("{\"index\":{\"_index\":\"").append(index).append("\",\"_id\":\"").append(id).append("\"}}\n")
                    .append(line).append('\n');
            if (sb.length() > 4 << 20) {
                batch.add(sb.toString());
                sb.setLength(0);
            }
        }
        if (sb.length() > 0) {
            batch.add(sb.toString());
        }
        for (String body : batch) {
            JsonNode r = post("/_bulk", body);
            if (r.path("errors").asBoolean()) {
                throw new AssertionError(name + ": bulk errors: " + r.toString().substring(0, 2000));
            }
        }
        post("/" + index + "/_refresh", null);
    }

    /** Status and body of one answer. */
    record Response(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body.isEmpty() ? "{}" : body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
