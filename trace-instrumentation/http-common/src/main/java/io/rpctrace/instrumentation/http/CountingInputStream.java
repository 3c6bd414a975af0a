package io.rpctrace.instrumentation.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body that counts the bytes the application reads (or skips) through it, for the
 * {@code bytes_in} of a chunked request (docs/metrics.md {@code metric.ip}). It passes the caller's
 * buffer straight through: nothing is copied. Read by the thread that serves the request.
 */
public final class CountingInputStream extends FilterInputStream {
    private long count;

    CountingInputStream(InputStream in) {
        super(in);
    }

    /** Bytes read or skipped so far. */
    public long count() {
        return count;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            count += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long s = in.skip(n);
        if (s > 0) {
            count += s;
        }
        return s;
    }

    @Override
    public boolean markSupported() {
        return false; // a reset would count bytes twice
    }
}
