package io.rpctrace.agent;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * {@code java -jar trace-agent.jar trace|errors|slow ...}: runs the trace viewer bundled in the
 * jar; {@code attach <pid>} loads the agent into a running JVM ({@link AttachCommand}); otherwise
 * prints how to attach the agent.
 *
 * <p>Design note: the agent jar carries trace-core's classes at its top level (premain appends
 * the jar to the bootstrap class path). Run as a program, the jar is the class path: the viewer
 * and trace-core are loaded by the class loader that loaded this class, one copy of each.
 */
public final class Main {
    static final String VIEWER = "io.rpctrace.viewer.ViewerMain";

    private Main() {
    }

    public static void main(String[] args) throws Throwable {
        if (args.length > 0 && "attach".equals(args[0])) {
            int code = AttachCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length), System.out, System.err);
            if (code != 0) {
                System.exit(code);
            }
            return;
        }
        boolean help = args.length == 0 || "--help".equals(args[0]) || "-h".equals(args[0]);
        if (help && Main.class.getResource("/io/rpctrace/viewer/ViewerMain.class") == null) {
            System.out.println(usage());
            return;
        }
        Class<?> viewer;
        try {
            viewer = viewerClass();
        } catch (ClassNotFoundException e) {
            System.out.println(usage());
            System.exit(help ? 0 : 2);
            return;
        }
        if (help) {
            System.out.println(usage());
        }
        Method main = viewer.getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static Class<?> viewerClass() throws ClassNotFoundException {
        return Class.forName(VIEWER, true, Main.class.getClassLoader());
    }

    static String usage() {
        String version = Main.class.getPackage().getImplementationVersion();
        return "rpctrace agent " + (version == null ? "(dev)" : version) + "\n"
                + "Attach it to a service:\n"
                + "  java -javaagent:trace-agent.jar=service=order,log.dir=/var/log/rpctrace -jar app.jar\n"
                + "Or load it into a running JVM (no restart; without a pid: the JVMs to choose from):\n"
                + "  java -jar trace-agent.jar attach <pid> [service=order,log.dir=/var/log/rpctrace]\n"
                + "Agent arguments are key=value pairs separated by commas (keys of docs/configuration.md,\n"
                + "without the rpctrace. prefix); -Drpctrace.<key>, RPCTRACE_<KEY> and rpctrace.config work too.\n"
                + "Turn one instrumentation off: instrumentation.<name>.enabled=false\n"
                + "Read a trace from the record files:\n"
                + "  java -jar trace-agent.jar trace <traceId> [paths...] [--html FILE] [--json]\n"
                + "  java -jar trace-agent.jar errors|slow [paths...] [--since 1h] [--top N]\n";
    }
}
