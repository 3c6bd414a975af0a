package io.rpctrace.record;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * Where {@link LineGenerator} spills a line longer than its own buffer (a record with a long
 * stack trace or SQL text): a byte array that grows, never shrinks, and is reused line after
 * line. {@link #count} is the length of the spilled part of the current line.
 */
final class LineOverflow extends OutputStream {
    private final int minGrowth;
    byte[] buf = new byte[0];
    int count;

    /** @param lineBuffer the generator's own buffer size: the first growth is four times it */
    LineOverflow(int lineBuffer) {
        this.minGrowth = 4 * lineBuffer;
    }

    private void ensure(int extra) {
        if (count + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(Math.max(buf.length * 2, minGrowth), count + extra));
        }
    }

    @Override
    public void write(int b) {
        ensure(1);
        buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, count, len);
        count += len;
    }
}
