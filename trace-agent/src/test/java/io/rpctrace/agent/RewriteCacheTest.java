package io.rpctrace.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.config.Config;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RewriteCacheTest {
    private static final byte[] CLASS_FILE = "a class file's bytes".getBytes(StandardCharsets.UTF_8);
    private static final byte[] REWRITE = "the same class with advice".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path tmp;
    private File agentJar;
    private final ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();

    @BeforeEach
    void agentJar() throws IOException {
        agentJar = jar("agent.jar", "io/rpctrace/Advice.class", "first build");
    }

    private File jar(String name, String entry, String content) throws IOException {
        File f = tmp.resolve(name).toFile();
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(f.toPath()))) {
            zip.putNextEntry(new ZipEntry(entry));
            zip.write(content.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return f;
    }

    private Config config(String args) {
        return Config.load(args, Collections.<String, String>emptyMap(), new Properties(),
                new PrintStream(diagnostics, true));
    }

    private RewriteCache open(String args) {
        return RewriteCache.open(config("agent.cache.dir=" + tmp.resolve("cache") + (args.isEmpty() ? "" : "," + args)),
                agentJar);
    }

    @Test
    void aKeptRewriteIsFoundForTheSameClassFileAndRules() {
        RewriteCache cache = open("");
        assertNotNull(cache, diagnostics.toString());
        assertNull(cache.find("jdbc#0", CLASS_FILE));
        cache.store("jdbc#0", CLASS_FILE, REWRITE);
        assertArrayEquals(REWRITE, cache.find("jdbc#0", CLASS_FILE));
        assertEquals(1, cache.hits());
        assertEquals(1, cache.stored());

        // The next start (a new cache object on the same directory) finds it too.
        assertArrayEquals(REWRITE, open("").find("jdbc#0", CLASS_FILE));
        assertEquals("", diagnostics.toString());
    }

    @Test
    void anotherClassFileOrOtherRulesMiss() {
        RewriteCache cache = open("");
        cache.store("jdbc#0", CLASS_FILE, REWRITE);
        byte[] changed = CLASS_FILE.clone();
        changed[changed.length - 1] ^= 1;
        assertNull(cache.find("jdbc#0", changed));
        assertNull(cache.find("jdbc#1", CLASS_FILE));
        assertNull(cache.find("jdbc#0,executors#0", CLASS_FILE));
        assertNull(cache.find("jdbc#0", new byte[0]));
    }

    @Test
    void anEntryWithTheSameNameButAnotherClassFileIsNotUsed() throws IOException {
        RewriteCache cache = open("");
        byte[] other = "another class file".getBytes(StandardCharsets.UTF_8);
        // As if two class files had the same checksums: the entry's own copy of the class file decides.
        Files.write(cache.directory().resolve(RewriteCache.name("jdbc#0", CLASS_FILE)),
                RewriteCache.entry("jdbc#0", other, REWRITE));
        assertNull(cache.find("jdbc#0", CLASS_FILE));
    }

    @Test
    void aDamagedEntryIsAMissAndIsWrittenAgain() throws IOException {
        RewriteCache cache = open("");
        cache.store("jdbc#0", CLASS_FILE, REWRITE);
        Path entry = cache.directory().resolve(RewriteCache.name("jdbc#0", CLASS_FILE));
        byte[] whole = Files.readAllBytes(entry);

        byte[] flipped = whole.clone();
        flipped[whole.length - 12] ^= 0x10;                       // inside the rewrite: its CRC no longer matches
        Files.write(entry, flipped);
        assertNull(cache.find("jdbc#0", CLASS_FILE));

        for (int cut : new int[] {0, 5, whole.length / 2, whole.length - 1}) {
            byte[] truncated = new byte[cut];
            System.arraycopy(whole, 0, truncated, 0, cut);
            Files.write(entry, truncated);
            assertNull(cache.find("jdbc#0", CLASS_FILE), "truncated at " + cut);
        }
        byte[] longer = new byte[whole.length + 1];
        System.arraycopy(whole, 0, longer, 0, whole.length);
        Files.write(entry, longer);
        assertNull(cache.find("jdbc#0", CLASS_FILE));

        cache.store("jdbc#0", CLASS_FILE, REWRITE);
        assertArrayEquals(REWRITE, cache.find("jdbc#0", CLASS_FILE));
    }

    @Test
    void aFileTooLargeForItsClassIsNotRead() throws IOException {
        // Memory stays bounded by the class file in hand: a file far larger than any rewrite of it
        // (even a well-formed entry) is a miss, not read into memory.
        RewriteCache cache = open("");
        Files.write(cache.directory().resolve(RewriteCache.name("jdbc#0", CLASS_FILE)),
                RewriteCache.entry("jdbc#0", CLASS_FILE, new byte[2 << 20]));
        assertNull(cache.find("jdbc#0", CLASS_FILE));
        cache.store("jdbc#0", CLASS_FILE, REWRITE);
        assertArrayEquals(REWRITE, cache.find("jdbc#0", CLASS_FILE));
    }

    @Test
    void theFingerprintFollowsWhatChangesARewriteAndNothingElse() throws IOException {
        String base = CacheFingerprint.of(agentJar, config("service=a"));
        // Runtime settings: the same rewrites.
        assertEquals(base, CacheFingerprint.of(agentJar, config("service=b,log.dir=/tmp/x,debug.token=s3cret,"
                + "flush.interval.ms=10,jdbc.sql.max.length=100,agent.cache.dir=/elsewhere,agent.startup=async")));
        // What matchers and advice read: other rewrites.
        assertNotEquals(base, CacheFingerprint.of(agentJar, config("methods=com.shop.*")));
        assertNotEquals(base, CacheFingerprint.of(agentJar, config("instrumentation.jdbc.enabled=false")));
        assertNotEquals(base, CacheFingerprint.of(agentJar, config("some.future.key=1")));
        // Another build of the agent (an entry's CRC in the jar's central directory differs).
        File rebuilt = jar("agent2.jar", "io/rpctrace/Advice.class", "second build");
        File copy = jar("agent3.jar", "io/rpctrace/Advice.class", "first build");
        assertNotEquals(CacheFingerprint.of(rebuilt, config("")), CacheFingerprint.of(copy, config("")));
        // An extension's contents count as the agent's.
        File ext = jar("ext.jar", "com/acme/Ext.class", "v1");
        String withExt = CacheFingerprint.of(agentJar, config("agent.extensions=" + ext));
        jar("ext.jar", "com/acme/Ext.class", "v2");
        assertNotEquals(withExt, CacheFingerprint.of(agentJar, config("agent.extensions=" + ext)));
    }

    @Test
    void secretsAndRuntimeKeysAreNotPartOfTheFingerprint() {
        assertTrue(CacheFingerprint.runtimeOnly("debug.token"));
        assertTrue(CacheFingerprint.runtimeOnly("some.password"));
        assertTrue(CacheFingerprint.runtimeOnly("shipping.secret.key"));
        assertTrue(CacheFingerprint.runtimeOnly("log.dir"));
        assertTrue(CacheFingerprint.runtimeOnly("service"));
        assertFalse(CacheFingerprint.runtimeOnly("services"));
        assertFalse(CacheFingerprint.runtimeOnly("methods"));
        assertFalse(CacheFingerprint.runtimeOnly("agent.extensions"));
        assertFalse(CacheFingerprint.runtimeOnly("instrumentation.kafka.enabled"));
    }

    @Test
    void theCentralDirectoryIsReadFromTheJar() throws IOException {
        byte[] directory = CacheFingerprint.centralDirectory(agentJar);
        assertNotNull(directory);
        assertTrue(new String(directory, StandardCharsets.ISO_8859_1).contains("io/rpctrace/Advice.class"));
        Path notAZip = tmp.resolve("not-a-zip");
        Files.write(notAZip, new byte[100]);
        assertNull(CacheFingerprint.centralDirectory(notAZip.toFile()));
    }

    @Test
    void aDirectoryOthersCanWriteToIsNotUsed() throws IOException {
        Path shared = Files.createDirectory(tmp.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertNull(RewriteCache.open(config("agent.cache.dir=" + shared), agentJar));
        String said = diagnostics.toString();
        assertTrue(said.contains("agent.cache.dir=" + shared) && said.contains("writable by other users"), said);
        assertEquals(1, said.split("\n").length, said);
    }

    @Test
    void aDirectoryThatCannotBeMadeIsReportedOnce() throws IOException {
        Path file = Files.write(tmp.resolve("a-file"), new byte[1]);
        assertNull(RewriteCache.open(config("agent.cache.dir=" + file.resolve("below")), agentJar));
        assertTrue(diagnostics.toString().contains("cannot be used as the rewrite cache"), diagnostics.toString());
    }

    @Test
    void aDirectoryThatCannotBeWrittenIsRead() throws IOException {
        // A cache made while an image was built, on a read-only file system when the container runs.
        open("").store("jdbc#0", CLASS_FILE, REWRITE);
        Path cacheDir = tmp.resolve("cache");
        RewriteCache readOnly = RewriteCache.open(config("agent.cache.dir=" + cacheDir), agentJar, RewriteCache.MAX_BYTES,
                p -> false);
        assertNotNull(readOnly, diagnostics.toString());
        assertArrayEquals(REWRITE, readOnly.find("jdbc#0", CLASS_FILE));
        assertEquals(1, readOnly.hits());
        String[] before = readOnly.directory().toFile().list();
        readOnly.store("jdbc#1", CLASS_FILE, REWRITE);
        assertEquals(0, readOnly.stored());
        assertEquals(before.length, readOnly.directory().toFile().list().length);
    }

    @Test
    void itCanBeTurnedOff() {
        assertNull(open("agent.cache.enabled=false"));
        assertEquals("", diagnostics.toString());
    }

    @Test
    void aNewDirectoryIsPrivate() throws IOException {
        RewriteCache cache = open("");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cache.directory())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("cache"))));
    }

    @Test
    void aFullDirectoryKeepsNoMore() {
        RewriteCache cache = RewriteCache.open(config("agent.cache.dir=" + tmp.resolve("cache")), agentJar, 400);
        assertNotNull(cache);
        byte[] big = new byte[200];
        cache.store("a#0", CLASS_FILE, big);
        cache.store("b#0", CLASS_FILE, big);
        assertNotNull(cache.find("a#0", CLASS_FILE));
        assertNull(cache.find("b#0", CLASS_FILE));
        assertEquals(1, cache.stored());
    }

    @Test
    void oldFingerprintsArePrunedWhenANewOneStarts() throws IOException {
        Path root = Files.createDirectory(tmp.resolve("cache"));
        for (int i = 0; i < 12; i++) {
            Path old = Files.createDirectory(root.resolve(String.format("%016x", i)));
            Files.write(old.resolve("x.rw"), new byte[1]);
            Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.fromMillis(1_000_000L * (i + 1)));
        }
        Files.createDirectory(root.resolve("not-ours"));
        RewriteCache cache = open("");
        assertNotNull(cache, diagnostics.toString());
        List<String> left = new ArrayList<>();
        try (DirectoryStream<Path> all = Files.newDirectoryStream(root)) {
            for (Path p : all) {
                left.add(p.getFileName().toString());
            }
        }
        Collections.sort(left);
        assertEquals(RewriteCache.KEPT_FINGERPRINTS + 1, left.size(), left.toString());   // + "not-ours"
        assertTrue(left.contains("not-ours"));
        assertTrue(left.contains(cache.directory().getFileName().toString()));
        assertTrue(left.contains(String.format("%016x", 11)));                   // the newest old ones stay
        assertFalse(left.contains(String.format("%016x", 0)));
    }

    @Test
    void explicitValuesComeFromEverySource() {
        Map<String, String> env = new HashMap<>();
        env.put("RPCTRACE_METHODS_RECORDS", "false");
        env.put("PATH", "/bin");
        Properties system = new Properties();
        system.setProperty("rpctrace.instrumentation.jdbc.enabled", "false");
        system.setProperty("user.name", "x");
        Config c = Config.load("service=a", env, system, new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
            }
        }));
        Map<String, String> expected = new HashMap<>();
        expected.put("service", "a");
        expected.put("methods.records", "false");
        expected.put("instrumentation.jdbc.enabled", "false");
        assertEquals(expected, c.explicitValues());
    }
}
