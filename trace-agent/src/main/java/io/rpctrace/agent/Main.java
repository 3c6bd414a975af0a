package io.rpctrace.agent;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * {@code java -jar trace-agent.jar ...}: runs the trace viewer when it is bundled in the jar,
 * otherwise prints how to attach the agent.
 */
public final class Main {
    static final String VIEWER = "io.rpctrace.viewer.ViewerMain";

    private Main() {
    }

    public static void main(String[] args) throws Throwable {
        Class<?> viewer;
        try {
            viewer = Class.forName(VIEWER);
        } catch (ClassNotFoundException e) {
            System.out.println(usage());
            if (args.length > 0 && !"--help".equals(args[0]) && !"-h".equals(args[0])) {
                System.exit(2);
            }
            return;
        }
        Method main = viewer.getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    static String usage() {
        String version = Main.class.getPackage().getImplementationVersion();
        return "rpctrace agent " + (version == null ? "(dev)" : version) + "\n"
                + "Attach it to a service:\n"
                + "  java -javaagent:trace-agent.jar=service=order,log.dir=/var/log/rpctrace -jar app.jar\n"
                + "Agent arguments are key=value pairs separated by commas (keys of docs/configuration.md,\n"
                + "without the rpctrace. prefix); -Drpctrace.<key>, RPCTRACE_<KEY> and rpctrace.config work too.\n"
                + "Turn one instrumentation off: instrumentation.<name>.enabled=false\n";
    }
}
