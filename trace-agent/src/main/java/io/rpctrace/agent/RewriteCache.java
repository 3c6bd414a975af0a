package io.rpctrace.agent;

import io.rpctrace.config.Config;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.Adler32;
import java.util.zip.CRC32;

/**
 * The classes the agent rewrote, kept on disk between starts: the next start of the same
 * application defines the kept bytes instead of running Byte Buddy again. A rewrite is a
 * function of the class file, the instrumentations that matched it, the agent's build and the
 * configuration the matchers read; an entry is found by the first, in a directory named by a
 * fingerprint of the others ({@link CacheFingerprint}), and holds the class file it was made from,
 * compared byte for byte before the kept rewrite is used (docs/RATIONALE.md, "Start-up: the
 * rewrite cache").
 *
 * <p>Nothing here may break the application: every failure to read or write is a miss (the
 * class is rewritten as without the cache), an entry that does not check out is ignored and
 * written again, and a directory another user could write to is not used at all.
 *
 * <p>Layout: {@code <agent.cache.dir>/<fingerprint>/<crc32><adler32>-<rules hash>.rw}, each
 * entry {@code MAGIC, rules (UTF), original length and bytes, rewrite length and bytes, CRC32
 * of the rewrite}, written to a temporary file and renamed into place, so a reader (another
 * JVM starting at the same moment) sees a whole entry or none.
 */
final class RewriteCache {
    static final String ENABLED = "agent.cache.enabled";
    static final String DIR = "agent.cache.dir";
    /** Bytes of entries one fingerprint's directory may hold; past it, rewrites are not kept. */
    static final long MAX_BYTES = 64L << 20;
    /** Fingerprint directories kept; the least recently written beyond these are removed when a new one is made. */
    static final int KEPT_FINGERPRINTS = 8;

    /** The entry format; a change to it starts new directories (it is part of the fingerprint). */
    static final String FORMAT = "rpctrace-rewrite-1";
    private static final byte[] MAGIC = (FORMAT + "\n").getBytes(StandardCharsets.US_ASCII);
    private static final String SUFFIX = ".rw";
    private final Path dir;
    private final long maxBytes;
    private final AtomicLong bytes;
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong stored = new AtomicLong();
    private volatile boolean writable = true;

    private RewriteCache(Path dir, long bytes, long maxBytes) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.bytes = new AtomicLong(bytes);
    }

    /**
     * The cache for this agent and configuration, or null when it is turned off or cannot be
     * used (a reason is printed when the user named the directory; the default one fails quietly).
     */
    static RewriteCache open(Config config, File agentJar) {
        return open(config, agentJar, MAX_BYTES);
    }

    /** As {@link #open(Config, File)}, keeping at most {@code maxBytes} of entries (tests use a small one). */
    static RewriteCache open(Config config, File agentJar, long maxBytes) {
        return open(config, agentJar, maxBytes, Files::isWritable);
    }

    /**
     * {@code writable} tells whether the fingerprint's directory can take new entries: one that
     * cannot (a container's read-only file system holding a cache made when its image was
     * built) is only read. Unit tests pass a predicate; AgentStartupTest mounts a real read-only
     * directory.
     */
    static RewriteCache open(Config config, File agentJar, long maxBytes, java.util.function.Predicate<Path> writable) {
        if (!config.getBoolean(ENABLED, true)) {
            return null;
        }
        String configured = config.get(DIR, null);
        Path root = configured != null ? Paths.get(configured) : defaultRoot();
        if (root == null) {
            return null;
        }
        try {
            String fingerprint = CacheFingerprint.of(agentJar, config);
            Path dir = root.resolve(fingerprint);
            boolean exists = Files.isDirectory(dir);
            if (exists && !writable.test(dir)) {
                PrivateDirectory.check(root);
                PrivateDirectory.check(dir);
                RewriteCache cache = new RewriteCache(dir, 0, maxBytes);
                cache.writable = false;
                cache.selfTest();
                return cache;
            }
            PrivateDirectory.create(root);
            PrivateDirectory.create(dir);
            if (!exists) {
                prune(root, dir);
            }
            RewriteCache cache = new RewriteCache(dir, sizeOf(dir), maxBytes);
            cache.selfTest();
            return cache;
        } catch (IOException | RuntimeException e) {
            if (configured != null) {
                config.report(DIR, configured, "cannot be used as the rewrite cache ("
                        + (e.getClass() == IOException.class ? e.getMessage() : e.toString()) + ")",
                        "no cache: every start rewrites its classes");
            } else if (AgentListener.DEBUG) {
                System.err.println("rpctrace: rewrite cache " + root + " not used: " + e);
            }
            return null;
        }
    }

    /** {@code $XDG_CACHE_HOME/rpctrace}, else {@code ~/.cache/rpctrace}; null without a usable home. */
    private static Path defaultRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && xdg.startsWith("/")) {
            return Paths.get(xdg, "rpctrace");
        }
        String home = System.getProperty("user.home");
        if (home == null || home.isEmpty() || "?".equals(home)) {
            return null;
        }
        return Paths.get(home, ".cache", "rpctrace");
    }

    /**
     * The kept rewrite of {@code original} by the instrumentations {@code rules}, or null: a miss
     * when there is none, or it cannot be read or checked (never an exception: the class is then
     * rewritten as without a cache).
     */
    byte[] find(String rules, byte[] original) {
        try {
            Path entry = dir.resolve(name(rules, original));
            // An entry holds the class file, its rewrite and a few bytes more; a larger file is not one.
            if (Files.size(entry) > MAGIC.length + 4L * original.length + (1 << 20) + 4L * rules.length()) {
                return null;
            }
            byte[] rewrite = parse(Files.readAllBytes(entry), rules, original);
            if (rewrite != null) {
                hits.incrementAndGet();
            }
            return rewrite;
        } catch (Throwable e) {
            return null;                    // NoSuchFileException: not kept yet
        }
    }

    /**
     * Keeps {@code rewrite}; quietly does nothing (and answers false) when the directory is full or
     * cannot be written.
     */
    boolean store(String rules, byte[] original, byte[] rewrite) {
        if (!writable) {
            return false;
        }
        Path tmp = null;
        try {
            byte[] entry = entry(rules, original, rewrite);
            if (bytes.addAndGet(entry.length) > maxBytes) {
                bytes.addAndGet(-entry.length);
                return false;
            }
            String name = name(rules, original);
            tmp = dir.resolve(name + "." + Thread.currentThread().getId() + "-" + System.nanoTime() + ".tmp");
            Files.write(tmp, entry);
            try {
                Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
            stored.incrementAndGet();
            return true;
        } catch (Throwable e) {
            // A full disk or a read-only directory: stop trying. Never thrown on: the rewrite in
            // hand is the class the application gets, kept or not.
            writable = false;
            try {
                if (tmp != null) {
                    Files.deleteIfExists(tmp);
                }
            } catch (IOException | RuntimeException ignored) {
                // left for the next start's prune of temporary files: nothing else to do
            }
            return false;
        }
    }

    long hits() {
        return hits.get();
    }

    long stored() {
        return stored.get();
    }

    Path directory() {
        return dir;
    }

    /**
     * Writes (unless read-only) and reads back an entry before the first class depends on it: a
     * directory that cannot hold one is found now, and the classes this code needs are loaded
     * before the transformer runs (a class loaded while the transformer works is left as it was).
     */
    private void selfTest() throws IOException {
        byte[] original = {1, 2, 3, 4};
        byte[] rewrite = {5, 6, 7};
        if (find("self-test", new byte[] {9}) != null) {
            throw new IOException("a missing entry was found");
        }
        if (writable) {
            store("self-test", original, rewrite);
            if (!writable || !Arrays.equals(rewrite, find("self-test", original))) {
                throw new IOException("an entry written could not be read back");
            }
        } else {
            find("self-test", original);        // the read path's classes, whatever the image holds
        }
        hits.set(0);
        stored.set(0);
    }

    /** The entry's file name: the class file's CRC32 and Adler-32, and the rules' hash. */
    static String name(String rules, byte[] original) {
        CRC32 crc = new CRC32();
        crc.update(original, 0, original.length);
        Adler32 adler = new Adler32();
        adler.update(original, 0, original.length);
        StringBuilder sb = new StringBuilder(32);
        hex(sb, crc.getValue(), 8);
        hex(sb, adler.getValue(), 8);
        sb.append('-');
        hex(sb, rules.hashCode() & 0xFFFFFFFFL, 8);
        return sb.append(SUFFIX).toString();
    }

    static byte[] entry(String rules, byte[] original, byte[] rewrite) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(MAGIC.length + original.length + rewrite.length + 64);
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.write(MAGIC);
            out.writeUTF(rules);
            out.writeInt(original.length);
            out.write(original);
            out.writeInt(rewrite.length);
            out.write(rewrite);
            CRC32 crc = new CRC32();
            crc.update(rewrite, 0, rewrite.length);
            out.writeLong(crc.getValue());
        } catch (IOException e) {
            throw new IllegalStateException(e);    // a ByteArrayOutputStream does not fail
        }
        return buffer.toByteArray();
    }

    /** The rewrite an entry holds, or null unless it is whole and made from exactly {@code original} by {@code rules}. */
    static byte[] parse(byte[] file, String rules, byte[] original) {
        try {
            DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(file));
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC) || !rules.equals(in.readUTF()) || in.readInt() != original.length) {
                return null;
            }
            byte[] kept = new byte[original.length];
            in.readFully(kept);
            if (!Arrays.equals(kept, original)) {
                return null;
            }
            int length = in.readInt();
            if (length < 0 || length > file.length) {
                return null;
            }
            byte[] rewrite = new byte[length];
            in.readFully(rewrite);
            CRC32 crc = new CRC32();
            crc.update(rewrite, 0, rewrite.length);
            if (in.readLong() != crc.getValue() || in.read() != -1) {
                return null;
            }
            return rewrite;
        } catch (IOException | RuntimeException e) {
            return null;                   // truncated or not an entry
        }
    }

    static void hex(StringBuilder sb, long value, int digits) {
        for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
            sb.append(Character.forDigit((int) (value >>> shift) & 0xF, 16));
        }
    }

    /** Removes the oldest fingerprint directories beyond {@link #KEPT_FINGERPRINTS}, and stray temporary files. */
    private static void prune(Path root, Path current) {
        List<Path> dirs = new ArrayList<>();
        try (DirectoryStream<Path> all = Files.newDirectoryStream(root)) {
            for (Path p : all) {
                if (Files.isDirectory(p) && !p.equals(current) && p.getFileName().toString().matches("[0-9a-f]{16}")) {
                    dirs.add(p);
                }
            }
        } catch (IOException | RuntimeException e) {
            return;
        }
        if (dirs.size() < KEPT_FINGERPRINTS) {
            return;
        }
        dirs.sort(Comparator.comparingLong(RewriteCache::modified));
        for (Path old : dirs.subList(0, dirs.size() - (KEPT_FINGERPRINTS - 1))) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(old)) {
                for (Path e : entries) {
                    Files.deleteIfExists(e);
                }
                Files.deleteIfExists(old);
            } catch (IOException | RuntimeException e) {
                // another JVM may be using it: left for a later start
            }
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /** The bytes of the entries in {@code dir}; temporary files left by a JVM that died mid-write are removed. */
    private static long sizeOf(Path dir) throws IOException {
        long total = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path e : entries) {
                String n = e.getFileName().toString();
                if (n.endsWith(".tmp") && System.currentTimeMillis() - modified(e) > 60_000) {
                    Files.deleteIfExists(e);
                } else if (n.endsWith(SUFFIX)) {
                    total += Files.size(e);
                }
            }
        }
        return total;
    }
}
