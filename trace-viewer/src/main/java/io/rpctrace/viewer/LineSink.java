package io.rpctrace.viewer;

/** Receives the lines a {@link LogScanner} selects. The bytes are only valid during the call. */
interface LineSink {
    /**
     * @param buf    the scanner's buffer
     * @param from   first byte of the line
     * @param to     end of the line (exclusive, the newline not included)
     * @param source where the line was read (a file name or {@code -})
     */
    void line(byte[] buf, int from, int to, String source);
}
