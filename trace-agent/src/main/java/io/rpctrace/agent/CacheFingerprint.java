package io.rpctrace.agent;

import io.rpctrace.config.Config;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.zip.Adler32;
import java.util.zip.CRC32;

/**
 * The name of a {@link RewriteCache} directory: a checksum of what a rewrite depends on besides
 * the class file and the instrumentations that matched it (docs/RATIONALE.md, "Start-up: the
 * rewrite cache").
 */
final class CacheFingerprint {
    /**
     * Configuration keys that change no rewrite: what records, files, metrics and the runtime
     * helpers read. Every other key set (the instrumentation switches, {@code methods},
     * {@code agent.extensions}, any key unknown here) is part of the fingerprint, so a key that
     * a future matcher reads starts a new directory rather than reusing a wrong rewrite.
     * Keys naming a token, secret, password or credential are left out, never hashed.
     */
    private static final String[] RUNTIME_ONLY = {
        "service", "department", "version", "log.", "flush.", "buffer.", "ring.", "writer.", "record.", "retention.",
        "file.", "dir.", "debug.", "capture.", "logs.", "metrics.", "ipstats.", "module.", "jdbc.", "redis.",
        "agent.cache.", "agent.debug", "agent.timing", "agent.startup", "agent.ready", "config",
    };

    private CacheFingerprint() {
    }

    /**
     * What a rewrite depends on besides the class file and the matching instrumentations: the
     * agent jar's and any extension's contents (the CRC of each entry, read from the zip
     * central directory, not by reading the whole jar), the JVM, and the configuration keys
     * that are not {@link #RUNTIME_ONLY}.
     */
    static String of(File agentJar, Config config) throws IOException {
        CRC32 crc = new CRC32();
        Adler32 adler = new Adler32();
        StringBuilder parts = new StringBuilder(256);
        parts.append(RewriteCache.FORMAT).append('\n')
                .append(System.getProperty("java.vm.version")).append('\n')
                .append(System.getProperty("java.vm.vendor")).append('\n');
        for (Map.Entry<String, String> e : config.explicitValues().entrySet()) {
            if (!runtimeOnly(e.getKey())) {
                parts.append(e.getKey()).append('=').append(e.getValue()).append('\n');
            }
        }
        byte[] text = parts.toString().getBytes(StandardCharsets.UTF_8);
        crc.update(text, 0, text.length);
        adler.update(text, 0, text.length);
        contents(agentJar, crc, adler);
        String extensions = config.get(ModuleLoader.EXTENSIONS, null);
        if (extensions != null) {
            for (String path : extensions.split(File.pathSeparator)) {
                if (!path.trim().isEmpty()) {
                    contents(new File(path.trim()), crc, adler);
                }
            }
        }
        StringBuilder sb = new StringBuilder(16);
        RewriteCache.hex(sb, crc.getValue(), 8);
        RewriteCache.hex(sb, adler.getValue(), 8);
        return sb.toString();
    }

    static boolean runtimeOnly(String key) {
        // Narrower than Secrets.isSecretName (which masks any name ending in "key" or "auth"): a
        // key wrongly left out could reuse a wrong rewrite, one wrongly kept only costs a CRC.
        String k = key.toLowerCase(java.util.Locale.ROOT);
        if (k.contains("token") || k.contains("secret") || k.contains("password") || k.contains("credential")) {
            return true;
        }
        for (String p : RUNTIME_ONLY) {
            if (p.endsWith(".") ? k.startsWith(p) : k.equals(p) || k.startsWith(p + ".")) {
                return true;
            }
        }
        return false;
    }

    /** Feeds a jar's central directory (or a directory's file names, sizes and times) to the checksums. */
    private static void contents(File file, CRC32 crc, Adler32 adler) throws IOException {
        byte[] id = (file.getAbsolutePath() + '\n').getBytes(StandardCharsets.UTF_8);
        crc.update(id, 0, id.length);
        adler.update(id, 0, id.length);
        if (file.isDirectory()) {
            List<Path> files = new ArrayList<>();
            try (java.util.stream.Stream<Path> walk = Files.walk(file.toPath())) {
                walk.filter(Files::isRegularFile).forEach(files::add);
            }
            Collections.sort(files);
            for (Path p : files) {
                byte[] b = (p + " " + Files.size(p) + " " + Files.getLastModifiedTime(p).toMillis() + '\n')
                        .getBytes(StandardCharsets.UTF_8);
                crc.update(b, 0, b.length);
                adler.update(b, 0, b.length);
            }
            return;
        }
        byte[] directory = centralDirectory(file);
        if (directory == null) {
            // Not a zip we can read the directory of (zip64, a comment that hides the end record):
            // the whole file then.
            directory = Files.readAllBytes(file.toPath());
        }
        crc.update(directory, 0, directory.length);
        adler.update(directory, 0, directory.length);
    }

    /**
     * The central directory of a zip file (every entry's name, sizes and CRC32), found through
     * the end-of-central-directory record; null when the file is not a plain (non-zip64) zip.
     */
    static byte[] centralDirectory(File zip) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(zip, "r")) {
            long length = f.length();
            int tail = (int) Math.min(length, 22 + 0xFFFF);
            byte[] end = new byte[tail];
            f.seek(length - tail);
            f.readFully(end);
            for (int i = tail - 22; i >= 0; i--) {
                if (end[i] == 0x50 && end[i + 1] == 0x4b && end[i + 2] == 0x05 && end[i + 3] == 0x06) {
                    long size = le32(end, i + 12);
                    long offset = le32(end, i + 16);
                    if (size == 0xFFFFFFFFL || offset == 0xFFFFFFFFL || offset + size > length || size > Integer.MAX_VALUE) {
                        return null;
                    }
                    byte[] directory = new byte[(int) size];
                    f.seek(offset);
                    f.readFully(directory);
                    return directory;
                }
            }
            return null;
        }
    }

    private static long le32(byte[] b, int at) {
        return (b[at] & 0xFFL) | (b[at + 1] & 0xFFL) << 8 | (b[at + 2] & 0xFFL) << 16 | (b[at + 3] & 0xFFL) << 24;
    }
}
