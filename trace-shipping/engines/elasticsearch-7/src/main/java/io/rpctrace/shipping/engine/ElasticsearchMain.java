package io.rpctrace.shipping.engine;

import java.io.IOException;
import org.codelibs.elasticsearch.runner.ElasticsearchClusterRunner;

/**
 * Runs one Elasticsearch 7.10.2 node until its standard input ends (the test JVM that started it
 * exited or closed the pipe), then stops it and deletes its data.
 *
 * <pre>java -Xmx512m -cp $(cat target/engine.classpath):target/classes \
 *     io.rpctrace.shipping.engine.ElasticsearchMain 9250 9350 /tmp/es-data</pre>
 *
 * Prints {@code rpctrace-engine ready <port>} on stdout once the cluster is yellow.
 */
public final class ElasticsearchMain {
    private ElasticsearchMain() {
    }

    /** {@code <http port> <transport port> <data directory>}. */
    public static void main(String[] args) throws IOException {
        String port = args[0];
        ElasticsearchClusterRunner runner = new ElasticsearchClusterRunner();
        runner.onBuild((n, s) -> {
            s.put("http.port", port);
            s.put("transport.port", args[1]);
            s.put("discovery.type", "single-node");
            s.put("network.host", "127.0.0.1");
            // a test machine's disk may be fuller than a production one's: never go read-only
            s.put("cluster.routing.allocation.disk.threshold_enabled", "false");
        });
        runner.build(ElasticsearchClusterRunner.newConfigs().basePath(args[2]).numOfNode(1)
                .clusterName("rpctrace-test").disableESLogger());
        runner.ensureYellow();
        System.out.println("rpctrace-engine ready " + port);
        System.out.flush();
        EngineLifetime.untilStdinEnds();
        runner.close();
        runner.clean();
        System.exit(0);
    }
}
