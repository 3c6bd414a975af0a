package io.rpctrace.it.redisson;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.rpctrace.testing.RawHttp;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.redisson.Redisson;
import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;
import org.redisson.api.RedissonReactiveClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * An application served by the JDK {@code HttpServer}: {@code GET /item?key=K&value=V} stores V
 * under K and reads it back through Redisson's sync, async ({@code RFuture}) and reactive APIs,
 * reads a key that is missing and a hash as a string (a {@code WRONGTYPE} reply), and answers
 * with what it got. Run in the test JVM (RedissonChainTest) and, through {@link #main}, in child
 * JVMs with and without the agent, which print what the application answered as
 * {@code SAW <request> <status> <body>} lines.
 */
public final class ChainScenario {
    static final String HOST = "127.0.0.1";
    static final int PORT = 6379;
    /** The debug token of the agent (redisson-it's pom, and the child JVMs' agent args). */
    static final String DEBUG_TOKEN = "s3cret";
    static final String PLAIN_TRACE = "0123456789abcdef0123456789abcd01";
    static final String DEBUG_TRACE = "0123456789abcdef0123456789abcd02";

    private ChainScenario() {
    }

    /** A client of the local Redis. */
    static RedissonClient connect() {
        Config config = new Config();
        config.useSingleServer().setAddress("redis://" + HOST + ":" + PORT);
        return Redisson.create(config);
    }

    /** The application, started on a free port. */
    static HttpServer serve(RedissonClient client) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(HOST, 0), 0);
        server.createContext("/item", new ItemHandler(client, client.reactive()));
        server.start();
        return server;
    }

    /** The caller's plain request: trace {@link #PLAIN_TRACE}, id 0.3. */
    static RawHttp.Response plain(int port, String key, String value) {
        return RawHttp.get(port, target(key, value), "X-Trace-Id: " + PLAIN_TRACE, "X-Rpc-Id: 0.3");
    }

    /** The caller's debug request: trace {@link #DEBUG_TRACE}, id 0.5, {@code X-Debug} with the token. */
    static RawHttp.Response debug(int port, String key, String value) {
        return RawHttp.get(port, target(key, value), "X-Trace-Id: " + DEBUG_TRACE, "X-Rpc-Id: 0.5",
                "X-Debug: 1", "X-Debug-Token: " + DEBUG_TOKEN);
    }

    private static String target(String key, String value) {
        return "/item?key=" + key + "&value=" + value;
    }

    /** Both requests against the local Redis; prints {@code SAW} lines and {@code REDISSON <jar>}. */
    public static void main(String[] args) throws Exception {
        System.out.println("REDISSON " + Redisson.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        RedissonClient client = connect();
        HttpServer server = serve(client);
        try {
            String key = "rpct:chain:" + System.nanoTime() + ":item";
            int port = server.getAddress().getPort();
            RawHttp.Response p = plain(port, key, "v1");
            System.out.println("SAW plain " + p.status() + " " + p.body());
            RawHttp.Response d = debug(port, key, "v2");
            System.out.println("SAW debug " + d.status() + " " + d.body());
        } finally {
            server.stop(0);
            client.shutdown(0, 2, TimeUnit.SECONDS);
        }
        System.exit(0);
    }

    /** The application's handler: its Redisson calls are the request's .2 to .8. */
    static final class ItemHandler implements HttpHandler {
        private final RedissonClient client;
        private final RedissonReactiveClient reactive;

        ItemHandler(RedissonClient client, RedissonReactiveClient reactive) {
            this.client = client;
            this.reactive = reactive;
        }

        @Override
        public void handle(HttpExchange ex) throws IOException {
            String key = null;
            String value = null;
            for (String pair : URI.create(ex.getRequestURI().toString()).getQuery().split("&")) {
                if (pair.startsWith("key=")) {
                    key = pair.substring(4);
                } else if (pair.startsWith("value=")) {
                    value = pair.substring(6);
                }
            }
            StringBuilder answer = new StringBuilder();
            try {
                RBucket<String> bucket = client.getBucket(key, StringCodec.INSTANCE);
                bucket.set(value);                                                              // .2
                answer.append(bucket.get());                                                    // .3
                answer.append(' ').append(bucket.getAsync().toCompletableFuture().get());       // .4
                answer.append(' ').append(reactive.getBucket(key, StringCodec.INSTANCE).get().block());   // .5
                answer.append(' ').append(client.getBucket(key + ":missing", StringCodec.INSTANCE).get());   // .6
                client.getMap(key + ":h", StringCodec.INSTANCE).fastPut("f", "v");                             // .7
                answer.append(' ').append(client.getBucket(key + ":h", StringCodec.INSTANCE).get());        // .8 WRONGTYPE
            } catch (Exception e) {
                answer.append("threw ").append(e.getClass().getName());   // after the space of the call that threw
            }
            byte[] body = answer.toString().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        }
    }
}
