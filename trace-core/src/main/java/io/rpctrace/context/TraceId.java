package io.rpctrace.context;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Trace ids (docs/model.md#ids): generated ones are 32 lowercase hex characters (128 random bits);
 * incoming ones are accepted when they are 1–64 characters of {@code [0-9A-Za-z_-]}.
 *
 * <pre>{@code
 * String id = TraceId.isValid(header) ? header : TraceId.generate();
 * }</pre>
 */
public final class TraceId {
    /** Longest incoming trace id that is accepted. */
    public static final int MAX_LENGTH = 64;

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private TraceId() {
    }

    /**
     * A new random trace id: 32 lowercase hex characters.
     *
     * <p>Design note: {@link ThreadLocalRandom} rather than {@code SecureRandom}, as the
     * OpenTelemetry SDK does: ids must be unique, not unguessable, and SecureRandom can
     * block on entropy on a freshly booted container.
     */
    public static String generate() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long hi = random.nextLong();
        long lo = random.nextLong();
        if (hi == 0 && lo == 0) {
            lo = 1; // the all-zero id is invalid in W3C trace context
        }
        char[] out = new char[32];
        writeHex(hi, out, 0);
        writeHex(lo, out, 16);
        return new String(out);
    }

    private static void writeHex(long value, char[] out, int offset) {
        for (int i = 15; i >= 0; i--) {
            out[offset + i] = HEX[(int) (value & 0xF)];
            value >>>= 4;
        }
    }

    /** True when {@code value} is an acceptable incoming trace id. */
    public static boolean isValid(CharSequence value) {
        if (value == null) {
            return false;
        }
        int n = value.length();
        if (n == 0 || n > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (!isIdChar(value.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** {@link #isValid(CharSequence)} for the ASCII bytes of a header value (no surrounding blanks). */
    public static boolean isValid(byte[] value) {
        if (value == null || value.length == 0 || value.length > MAX_LENGTH) {
            return false;
        }
        for (byte b : value) {
            if (!isIdChar((char) b)) {   // a negative byte becomes a char above 'z': refused
                return false;
            }
        }
        return true;
    }

    private static boolean isIdChar(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-';
    }

    /** True when {@code value} is 32 lowercase or uppercase hex characters and not all zero (W3C form). */
    public static boolean isW3c(CharSequence value) {
        if (value == null || value.length() != 32) {
            return false;
        }
        boolean nonZero = false;
        for (int i = 0; i < 32; i++) {
            char c = value.charAt(i);
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!hex) {
                return false;
            }
            nonZero |= c != '0';
        }
        return nonZero;
    }
}
