package io.rpctrace.shipping;

import io.rpctrace.viewer.ViewerMain;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** The trace viewer's command line, run in this JVM: exit status, stdout and stderr. */
record Viewer(int status, String out, String err) {
    static Viewer run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        int status = ViewerMain.run(args, new ByteArrayInputStream(new byte[0]), o, e);
        o.flush();
        e.flush();
        return new Viewer(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The record as trace-shipping's indexer writes it: where it was read appended after its last field. */
    static String withProvenance(String line, String host, String path, long offset) {
        return line.substring(0, line.length() - 1) + ",\"host\":{\"name\":\"" + host + "\"},\"log\":{\"file\":{\"path\":\""
                + path + "\"},\"offset\":" + offset + "}}";
    }

    @Override
    public String toString() {
        return "exit " + status + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
}
