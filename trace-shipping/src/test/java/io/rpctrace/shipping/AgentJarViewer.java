package io.rpctrace.shipping;

import io.rpctrace.testing.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The viewer as users run it: {@code java -jar trace-agent.jar <args>}. */
record AgentJarViewer(int status, String out, String err) {
    static AgentJarViewer run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(SearchEngine.javaExecutable(), "-jar", ChildJvm.agentJar().toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return new AgentJarViewer(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "exit " + status + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
}
