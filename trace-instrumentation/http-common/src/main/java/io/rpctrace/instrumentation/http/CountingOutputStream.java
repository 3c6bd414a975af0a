package io.rpctrace.instrumentation.http;

import io.rpctrace.internal.ResponseCapture;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A response body that counts the bytes the application writes through it, for the
 * {@code x_response_len} of a response sent without {@code Content-Length} (the JDK
 * HttpServer's chunked responses). Writes pass straight through; only when the request wants
 * {@code x_response} (capture.response, or a debug trace) are its first bytes kept.
 */
public final class CountingOutputStream extends FilterOutputStream {
    private long count;
    /** The first bytes written, for {@code x_response}; null when not captured. */
    private final byte[] head;

    private CountingOutputStream(OutputStream out, boolean keepHead) {
        super(out);
        this.head = keepHead ? new byte[ResponseCapture.MAX_BYTES] : null;
    }

    /** {@code out} counted; null stays null. */
    public static OutputStream wrap(OutputStream out) {
        return wrap(out, false);
    }

    /** {@code out} counted, and its first bytes kept when {@code keepHead} (capture.response, debug). */
    public static OutputStream wrap(OutputStream out, boolean keepHead) {
        return out == null || out instanceof CountingOutputStream ? out : new CountingOutputStream(out, keepHead);
    }

    /** The bytes written through {@code out} when it is one of {@link #wrap}, else -1. */
    public static long count(Object out) {
        return out instanceof CountingOutputStream ? ((CountingOutputStream) out).count : -1;
    }

    /** The {@code x_response} excerpt of what was written through {@code out}, or null when none was kept. */
    public static String excerpt(Object out) {
        if (!(out instanceof CountingOutputStream)) {
            return null;
        }
        CountingOutputStream c = (CountingOutputStream) out;
        return c.head == null ? null : ResponseCapture.excerpt(c.head, (int) Math.min(c.count, c.head.length));
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        if (head != null && count < head.length) {
            head[(int) count] = (byte) b;
        }
        count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        if (head != null && count < head.length && len > 0) {
            System.arraycopy(b, off, head, (int) count, (int) Math.min(len, head.length - count));
        }
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
