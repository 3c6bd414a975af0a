import com.sun.tools.attach.VirtualMachine;

/**
 * Attaches a Java agent to a running JVM, as a user does to a service already started:
 * {@code java --add-modules jdk.attach AttachAgent.java PID AGENT_JAR [OPTIONS]} (a single-file
 * source program: attach-cpu.sh runs it).
 */
public final class AttachAgent {
    private AttachAgent() {
    }

    public static void main(String[] args) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(args[0]);
        try {
            vm.loadAgent(args[1], args.length > 2 ? args[2] : null);
        } finally {
            vm.detach();
        }
        System.out.println("attached " + args[1] + " to " + args[0]);
    }
}
