package io.rpctrace.shipping;

import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Runs an engine's own {@code main} (OpenSearch 3.x's runner, Java 21 bytecode this build cannot
 * compile against) in a JVM started by {@link SearchEngine}, and ends that JVM when its standard
 * input ends: the test JVM exited, even killed, and the engine does not outlive it. Exiting runs
 * the runner's shutdown hook, which closes the node.
 *
 * <pre>java -cp &lt;engine class path&gt;:&lt;test classes&gt; io.rpctrace.shipping.EngineLauncher &lt;main class&gt; &lt;args...&gt;</pre>
 */
public final class EngineLauncher {
    private EngineLauncher() {
    }

    public static void main(String[] args) throws Exception {
        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        Thread engine = new Thread(() -> {
            try {
                main.invoke(null, (Object) rest);
            } catch (ReflectiveOperationException e) {
                e.printStackTrace();
                System.exit(1);
            }
        }, "engine-main");
        engine.setDaemon(true);
        engine.start();
        while (System.in.read() >= 0) {
            // only the end of the stream matters
        }
        System.exit(0);
    }
}
