package io.rpctrace.it.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.testing.ChildJvm;
import io.rpctrace.testing.Records;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user sees when the agent starts, and how its switches work. */
class AgentStartupTest {
    private static final Pattern STARTUP_LINE = Pattern.compile(
            "rpctrace: agent \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? started in \\d+ ms; config from .*; records to .*\\.trace\\.log;"
                    + " instrumentations: executors, threads(, [\\w-]+)*");   // + the library modules shipped

    private static List<String> rpctraceLines(ChildJvm.Result r) {
        return r.stderr().lines().filter(l -> l.startsWith("rpctrace:")).toList();
    }

    @Test
    void printsOneStartupLine() {
        ChildJvm.Result r = ChildJvm.withAgent().agentArgs("service=startup").main(StartupScenario.class).run()
                .assertExitCode(0);
        List<String> lines = rpctraceLines(r);
        assertEquals(1, lines.size(), r.stderr());
        assertTrue(STARTUP_LINE.matcher(lines.get(0)).matches(), lines.get(0));
        assertTrue(lines.get(0).contains("config from agent args"), lines.get(0));
        // The JVM warns once per jar appended to the boot class path while CDS is on; the agent
        // appends one (docs/RATIONALE.md): a user sees at most one such line, never two.
        assertTrue(r.stderr().lines().filter(l -> l.contains("bootstrap classpath has been appended")).count() <= 1,
                r.stderr());
        assertEquals(List.of("0.2.1"), r.lines("task="));
        assertEquals(List.of("0.3.1"), r.lines("thread="));
        Records.of(r.records()).named("request.info").single().hasRpcId("0.1");
    }

    @Test
    void anInstrumentationCanBeTurnedOff() {
        ChildJvm.Result r = ChildJvm.withAgent().agentArgs("instrumentation.threads.enabled=false")
                .main(StartupScenario.class).run().assertExitCode(0);
        assertTrue(Pattern.compile("instrumentations: executors(, (?!threads)[\\w-]+)*; disabled: threads")
                .matcher(r.stderr()).find(), r.stderr());
        assertEquals(List.of("0.2.1"), r.lines("task="));
        assertEquals(List.of(""), r.lines("thread="));
    }

    @Test
    void aBadValueIsReportedOnceAndTheApplicationStarts() {
        ChildJvm.Result r = ChildJvm.withAgent().agentArgs("instrumentation.executors.enabled=perhaps")
                .main(StartupScenario.class).run().assertExitCode(0);
        assertEquals(1, r.stderr().lines().filter(l -> l.contains("instrumentation.executors.enabled=perhaps")).count(),
                r.stderr());
        assertEquals(List.of("0.2.1"), r.lines("task="));
    }

    @Test
    void asyncStartupInstallsWhileMainRuns() {
        ChildJvm.Result r = ChildJvm.withAgent().agentArgs("agent.startup=async")
                .main(StartupScenario.class, "await").run().assertExitCode(0);
        assertEquals(1, rpctraceLines(r).size(), r.stderr());
        assertTrue(STARTUP_LINE.matcher(rpctraceLines(r).get(0)).matches(), r.stderr());
        assertEquals(List.of("0.2.1"), r.lines("task="));
        assertEquals(List.of("0.3.1"), r.lines("thread="));
    }

    /** The timing line's "rewrite cache DIR: N rewrites reused, M kept". */
    private static final Pattern CACHE_LINE = Pattern.compile("rewrite cache (\\S+): (\\d+) rewrites reused, (\\d+) kept");

    /** What a start with the rewrite cache said: its cache line, and (debug) the classes it instrumented and kept. */
    private record CacheRun(Matcher line, Set<String> instrumented, Set<String> kept) {
        int reused() {
            return Integer.parseInt(line.group(2));
        }

        int stored() {
            return Integer.parseInt(line.group(3));
        }
    }

    /**
     * Runs {@link StartupScenario} with the agent, {@code -Drpctrace.agent.timing=true} and
     * {@code -Drpctrace.agent.debug=true}, checks that its task and thread were traced, and returns
     * what the rewrite cache line and the debug lines say.
     */
    private static CacheRun startWithCache(ChildJvm jvm) {
        ChildJvm.Result r = jvm.jvmArg("-Drpctrace.agent.timing=true").jvmArg("-Drpctrace.agent.debug=true")
                .main(StartupScenario.class).run().assertExitCode(0);
        assertEquals(List.of("0.2.1"), r.lines("task="), r.stderr());
        assertEquals(List.of("0.3.1"), r.lines("thread="), r.stderr());
        Records.of(r.records()).named("request.info").single().hasRpcId("0.1");
        Matcher m = CACHE_LINE.matcher(r.stderr());
        assertTrue(m.find(), r.stderr());
        assertFalse(r.stderr().contains("agent.cache.dir="), r.stderr());   // no complaint about the directory
        return new CacheRun(m, debugNames(r, "rpctrace: instrumented "), debugNames(r, "rpctrace: rewrite cache kept "));
    }

    /** The class names of the debug lines that start with {@code prefix}. */
    private static Set<String> debugNames(ChildJvm.Result r, String prefix) {
        return r.stderr().lines().filter(l -> l.startsWith(prefix))
                .map(l -> l.substring(prefix.length()).split(" ")[0]).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void aSecondStartReusesTheRewritesOfTheFirst(@TempDir Path dir) throws IOException {
        String args = "service=cache,agent.cache.dir=" + dir.resolve("cache");
        CacheRun first = startWithCache(ChildJvm.withAgent().agentArgs(args));
        assertEquals(0, first.reused(), first.line().group());
        assertTrue(first.stored() >= 3, first.line().group());   // Thread (retransformed), the pool's classes (as they load)
        // the count is printed at exit, by a shutdown hook: a class another hook loads may come after it
        assertTrue(first.kept().size() >= first.stored(), first.kept().toString());
        assertTrue(first.kept().containsAll(Set.of("java.lang.Thread", "java.util.concurrent.ThreadPoolExecutor")),
                first.kept().toString());
        Path entries = Paths.get(first.line().group(1));
        assertTrue(entries.startsWith(dir), entries.toString());

        // The same application again: what it rewrites comes from the cache, and works. Which JDK
        // classes a start loads varies a little with timing (a java.util.concurrent class that only
        // Byte Buddy's own rewriting or a background thread needed): such a class, new to this start,
        // is rewritten and kept; every class the first start kept is reused.
        CacheRun second = startWithCache(ChildJvm.withAgent().agentArgs(args));
        Set<String> again = new TreeSet<>(second.instrumented());
        again.retainAll(first.kept());
        assertTrue(second.reused() >= 3 && second.reused() <= again.size(), second.line().group() + " " + again);
        Set<String> keptAgain = new TreeSet<>(second.kept());
        keptAgain.retainAll(first.kept());
        assertEquals(Set.of(), keptAgain, second.line().group());   // none of them rewritten again
        assertTrue(second.kept().size() >= second.stored(), second.kept().toString());

        // Damaged entries (a disk error, a JVM killed mid-write by another tool) are rewritten, never used.
        try (Stream<Path> files = Files.list(entries)) {
            for (Path e : files.filter(p -> p.toString().endsWith(".rw")).toList()) {
                byte[] b = Files.readAllBytes(e);
                b[b.length - 1] ^= 0x55;
                Files.write(e, b);
            }
        }
        CacheRun third = startWithCache(ChildJvm.withAgent().agentArgs(args));
        assertEquals(0, third.reused(), third.line().group());
        assertTrue(third.stored() >= again.size(), third.line().group());
    }

    @Test
    void aCacheOnAReadOnlyFileSystemIsRead(@TempDir Path dir) throws Exception {
        // A container whose image carries the cache (filled by a run while the image was built)
        // and whose file system is mounted read-only: a private mount namespace makes it so here,
        // as root; as another user, one inside a user namespace (-r) where the kernel allows it.
        String unshare = new ProcessBuilder("unshare", "-m", "true").start().waitFor() == 0 ? "unshare -m"
                : new ProcessBuilder("unshare", "-r", "-m", "true").start().waitFor() == 0 ? "unshare -r -m" : null;
        if (unshare == null) {
            assertFalse("true".equals(System.getenv("CI")), "CI needs unshare(1) and mount namespaces for this test");
            Assumptions.abort("needs unshare(1) and mount namespaces for a read-only mount");
        }
        Path cache = Files.createDirectory(dir.resolve("image-cache"));
        String args = "service=ro,agent.cache.dir=" + cache.resolve("c");
        startWithCache(ChildJvm.withAgent().agentArgs(args));

        Path java = dir.resolve("java-on-read-only-cache");
        Files.writeString(java, "#!/bin/sh\n"
                + "exec " + unshare + " sh -c 'mount --bind \"$0\" \"$0\" && mount -o remount,bind,ro \"$0\" && exec \"$@\"' "
                + "'" + cache + "' '" + Paths.get(System.getProperty("java.home"), "bin", "java") + "' \"$@\"\n");
        java.toFile().setExecutable(true);
        CacheRun run = startWithCache(ChildJvm.withAgent().java(java.toString()).agentArgs(args));
        assertTrue(run.reused() >= 3, run.line().group());   // the rewrites read from the image
        assertEquals(0, run.stored(), run.line().group());
    }

    @Test
    void theCacheCanBeTurnedOff() {
        ChildJvm.Result r = ChildJvm.withAgent().agentArgs("agent.cache.enabled=false")
                .jvmArg("-Drpctrace.agent.timing=true").main(StartupScenario.class).run().assertExitCode(0);
        assertTrue(r.stderr().contains("; no rewrite cache"), r.stderr());
        assertEquals(List.of("0.2.1"), r.lines("task="));
        assertEquals(List.of("0.3.1"), r.lines("thread="));
    }

    @Test
    void attachesToARunningJvm() {
        ChildJvm.Result r = ChildJvm.withoutAgent()
                .jvmArg("-Djdk.attach.allowAttachSelf=true", "-XX:+EnableDynamicAgentLoading")
                .main(StartupScenario.class, "attach", ChildJvm.agentJar().toString(), "service=attached")
                .run().assertExitCode(0);
        assertTrue(r.stderr().contains("rpctrace: agent "), r.stderr());
        assertEquals(List.of("0.2.1"), r.lines("task="));   // JDK classes loaded before the attach are retransformed
    }

    @Test
    void theAttachCommandLoadsTheAgentIntoARunningJvm() {
        try (ChildJvm.Running target = ChildJvm.withoutAgent().jvmArg("-XX:+EnableDynamicAgentLoading")
                .main(StartupScenario.class, "wait").start()) {
            String pid = target.awaitLine("pid=", 60)[0];
            ChildJvm.Result attach = ChildJvm.withoutAgent().classPath(ChildJvm.agentJar().toString())
                    .main("io.rpctrace.agent.Main", "attach", pid, "service=attached-cli").run().assertExitCode(0);
            assertTrue(attach.stdout().contains("rpctrace: agent loaded into JVM " + pid), attach.stdout() + attach.stderr());
            assertEquals("0.2.1", target.awaitLine("task=", 60)[0]);   // in the request's trace, from the attach on
            assertTrue(target.stderr().contains("rpctrace: agent "), target.stderr());
        }
        ChildJvm.Result list = ChildJvm.withoutAgent().classPath(ChildJvm.agentJar().toString())
                .main("io.rpctrace.agent.Main", "attach").run().assertExitCode(0);
        assertTrue(list.stdout().contains("JVMs this user can attach to"), list.stdout());
        ChildJvm.Result bad = ChildJvm.withoutAgent().classPath(ChildJvm.agentJar().toString())
                .main("io.rpctrace.agent.Main", "attach", "not-a-pid").run().assertExitCode(2);
        assertTrue(bad.stderr().contains("attach needs a process id"), bad.stderr());
    }

    @Test
    void javaJarPrintsUsageWithoutTheViewer() {
        // java -jar runs Main-Class (checked by AgentJarLayoutTest): the same class here.
        ChildJvm.Result r = ChildJvm.withoutAgent().classPath(ChildJvm.agentJar().toString())
                .main("io.rpctrace.agent.Main", "--help").run().assertExitCode(0);
        assertTrue(r.stdout().contains("-javaagent:trace-agent.jar="), r.stdout());
    }
}
