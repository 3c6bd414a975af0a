package io.rpctrace.agent;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.CRC32;

/**
 * Puts trace-core on the bootstrap class path. Instrumented JDK classes (thread pools,
 * {@code Thread}) and application classes of any class loader must all see one scope and
 * one tracer; only the bootstrap loader is visible to all of them. An application that has
 * trace-core on its own class path for the manual API gets the same classes by parent-first
 * delegation, so its manual spans and the agent's records share one scope.
 */
final class BootstrapJar {
    static final String RESOURCE = "/rpctrace-bootstrap/trace-core.jar";

    private BootstrapJar() {
    }

    private static volatile File appended;

    static void append(Instrumentation inst) throws IOException {
        if (alreadyOnBootstrap()) {
            return;
        }
        File jar = extract();
        inst.appendToBootstrapClassLoaderSearch(new JarFile(jar));
        appended = jar;
    }

    /** The jar appended by {@link #append}, or null when trace-core was on the bootstrap path already. */
    static File appended() {
        return appended;
    }

    private static boolean alreadyOnBootstrap() {
        try {
            Class.forName("io.rpctrace.internal.Tracing", false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /**
     * Writes the nested jar to {@code <tmp>/rpctrace-<crc>-<size>/trace-core.jar} once: the name
     * depends on the content, so JVMs of the same agent version share one file and a new
     * version never reuses an old one. Written to a temporary name and moved into place, so
     * concurrent JVM starts never see a half-written jar. The CRC and size come from the agent
     * jar's directory, so a start that finds the file in place reads none of its bytes.
     */
    static File extract() throws IOException {
        File agent = agentJarFile();
        if (agent != null) {
            try (JarFile jar = new JarFile(agent)) {
                ZipEntry entry = jar.getEntry(RESOURCE.substring(1));
                if (entry != null && entry.getCrc() != -1 && entry.getSize() >= 0) {
                    File target = target(entry.getCrc(), entry.getSize());
                    if (target.isFile() && target.length() == entry.getSize()) {
                        return target;
                    }
                    try (InputStream in = jar.getInputStream(entry)) {
                        return write(target, readAll(in));
                    }
                }
            }
        }
        byte[] bytes = read();
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length);
        File jar = target(crc.getValue(), bytes.length);
        if (jar.isFile() && jar.length() == bytes.length) {
            return jar;
        }
        return write(jar, bytes);
    }

    private static File target(long crc, long size) {
        File dir = new File(System.getProperty("java.io.tmpdir"), "rpctrace-" + Long.toHexString(crc) + "-" + size);
        return new File(dir, "trace-core.jar");
    }

    private static File write(File jar, byte[] bytes) throws IOException {
        File dir = jar.getParentFile();
        if (!dir.isDirectory() && !dir.mkdirs() && !dir.isDirectory()) {
            throw new IOException("cannot create " + dir);
        }
        File tmp = File.createTempFile("trace-core", ".part", dir);
        try (OutputStream out = Files.newOutputStream(tmp.toPath())) {
            out.write(bytes);
        }
        try {
            Files.move(tmp.toPath(), jar.toPath(), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.move(tmp.toPath(), jar.toPath(), StandardCopyOption.REPLACE_EXISTING);
        }
        return jar;
    }

    /** The agent jar, or null when these classes do not come from a jar (tests run from classes). */
    private static File agentJarFile() {
        try {
            File f = new File(RpcTraceAgent.agentJar().toURI());
            return f.isFile() ? f : null;
        } catch (Exception e) {
            return null;
        }
    }

    private static byte[] read() throws IOException {
        try (InputStream in = BootstrapJar.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("the agent jar lacks " + RESOURCE);
            }
            return readAll(in);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 18);
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }
}
