package io.rpctrace.viewer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Runs the viewer's command line in-process and keeps what it printed. */
final class Viewer {
    final int status;
    final String out;
    final String err;

    private Viewer(int status, String out, String err) {
        this.status = status;
        this.out = out;
        this.err = err;
    }

    static Viewer run(String... args) {
        return runWithStdin(new byte[0], args);
    }

    static Viewer runWithStdin(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true);
        PrintStream e = new PrintStream(err, true);
        int status = ViewerMain.run(args, new ByteArrayInputStream(stdin), o, e);
        o.flush();
        return new Viewer(status, new String(out.toByteArray(), StandardCharsets.UTF_8),
                new String(err.toByteArray(), StandardCharsets.UTF_8));
    }

    /** Writes lines (each + newline) to a file, creating directories. */
    static Path write(Path file, List<String> lines) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream o = Files.newOutputStream(file)) {
            for (String l : lines) {
                o.write(l.getBytes(StandardCharsets.UTF_8));
                o.write('\n');
            }
        }
        return file;
    }

    /** Writes lines gzip-compressed. */
    static Path writeGz(Path file, List<String> lines) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(file))) {
            for (String l : lines) {
                o.write(l.getBytes(StandardCharsets.UTF_8));
                o.write('\n');
            }
        }
        return file;
    }
}
