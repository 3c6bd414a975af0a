package io.rpctrace.viewer;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;

/**
 * The whole lines of a plain file that start in {@code [start, end)}, as a stream, so that
 * several threads can scan one large file, each with a range of it.
 *
 * <p>A line belongs to the range holding its first byte. The stream therefore begins after
 * the first newline at or after {@code start - 1} (at 0 for the first range) and ends after
 * the first newline at or after {@code end - 1}: both boundaries are "the first newline at or
 * after a point", so consecutive ranges meet exactly and together deliver every byte of the
 * file once. A range inside one long line delivers nothing; the range where that line starts
 * reads it to its end, past its own {@code end}. The last range has no end
 * ({@link Long#MAX_VALUE}) and reads to the end of the file, including what was appended
 * since the ranges were planned and a last line without a newline.
 */
final class FileRange extends InputStream {
    /** No end: read to the end of the file. */
    static final long TO_EOF = Long.MAX_VALUE;
    private static final int PROBE = 8 << 10;

    private final RandomAccessFile in;
    /** Position of the next byte {@link #read(byte[], int, int)} returns. */
    private long pos;
    private final long end;
    private boolean done;

    private FileRange(RandomAccessFile in, long pos, long end, boolean done) {
        this.in = in;
        this.pos = pos;
        this.end = end;
        this.done = done;
    }

    /** Opens {@code file}'s lines starting in {@code [start, end)}. */
    static FileRange open(String file, long start, long end) throws IOException {
        RandomAccessFile in = new RandomAccessFile(file, "r");
        try {
            if (start == 0) {
                return new FileRange(in, 0, end, false);
            }
            long first = firstNewline(in, start - 1, end - 1);
            if (first < 0) {
                return new FileRange(in, start, end, true); // inside a line that started before
            }
            in.seek(first + 1);
            return new FileRange(in, first + 1, end, false);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** The position of the first newline in {@code [from, before)}, or -1. */
    private static long firstNewline(RandomAccessFile in, long from, long before) throws IOException {
        in.seek(from);
        byte[] probe = new byte[PROBE];
        long at = from;
        while (at < before) {
            int n = in.read(probe, 0, (int) Math.min(probe.length, before - at));
            if (n < 0) {
                return -1;
            }
            int nl = LogScanner.indexOfNewline(probe, 0, n);
            if (nl >= 0) {
                return at + nl;
            }
            at += n;
        }
        return -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (done) {
            return -1;
        }
        int n = in.read(b, off, len);
        if (n < 0) {
            done = true;
            return -1;
        }
        if (end != TO_EOF && pos + n > end - 1) {
            // this read reaches the end point: stop after the first newline at or after it
            int from = (int) Math.max(0, end - 1 - pos);
            int nl = LogScanner.indexOfNewline(b, off + from, off + n);
            if (nl >= 0) {
                n = nl + 1 - off;
                done = true;
            }
        }
        pos += n;
        return n;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
