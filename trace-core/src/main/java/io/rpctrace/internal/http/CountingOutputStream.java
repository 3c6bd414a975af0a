package io.rpctrace.internal.http;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A response body that counts the bytes the application writes through it, for the
 * {@code x_response_len} of a response sent without {@code Content-Length} (the JDK
 * HttpServer's chunked responses). Writes pass straight through: nothing is copied.
 */
public final class CountingOutputStream extends FilterOutputStream {
    private long count;

    private CountingOutputStream(OutputStream out) {
        super(out);
    }

    /** {@code out} counted; null stays null. */
    public static OutputStream wrap(OutputStream out) {
        return out == null || out instanceof CountingOutputStream ? out : new CountingOutputStream(out);
    }

    /** The bytes written through {@code out} when it is one of {@link #wrap}, else -1. */
    public static long count(Object out) {
        return out instanceof CountingOutputStream ? ((CountingOutputStream) out).count : -1;
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        count += len;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close(); // FilterOutputStream.close would flush first and swallow nothing useful
    }
}
