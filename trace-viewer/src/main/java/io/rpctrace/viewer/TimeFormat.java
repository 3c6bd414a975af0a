package io.rpctrace.viewer;

import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.Locale;
import java.util.TimeZone;

/** How the viewer prints times, durations and sizes. */
final class TimeFormat {
    private TimeFormat() {
    }

    /** {@code 0.731ms}, {@code 12.4ms}, {@code 1.234s}; {@code -} for a negative (unknown) value. */
    static String duration(double ms) {
        if (Double.isNaN(ms)) {
            return "-";
        }
        double a = Math.abs(ms);
        if (a < 10) {
            return String.format(Locale.ROOT, "%.3fms", ms);
        }
        if (a < 1000) {
            return String.format(Locale.ROOT, "%.1fms", ms);
        }
        return String.format(Locale.ROOT, "%.3fs", ms / 1000);
    }

    /** A record's {@code x_duration} (seconds) as {@link #duration(double)}, or {@code -} when absent. */
    static String seconds(double s) {
        return s < 0 ? "-" : duration(s * 1000);
    }

    /** A timeline tick: {@code 0}, {@code 20ms}, {@code 1.5s}, {@code 250µs}. */
    static String tick(double ms) {
        if (ms == 0) {
            return "0";
        }
        if (ms < 1) {
            return trim(String.format(Locale.ROOT, "%.3f", ms * 1000)) + "\u00b5s";
        }
        if (ms < 1000) {
            return trim(String.format(Locale.ROOT, "%.3f", ms)) + "ms";
        }
        return trim(String.format(Locale.ROOT, "%.3f", ms / 1000)) + "s";
    }

    private static String trim(String n) {
        if (n.indexOf('.') < 0) {
            return n;
        }
        int end = n.length();
        while (n.charAt(end - 1) == '0') {
            end--;
        }
        if (n.charAt(end - 1) == '.') {
            end--;
        }
        return n.substring(0, end);
    }

    /** An offset from the trace start: {@code +0ms}, {@code +125ms}, {@code +12.345s}. */
    static String offset(long ms) {
        if (ms < 0) {
            return "?";
        }
        return ms < 10_000 ? "+" + ms + "ms" : String.format(Locale.ROOT, "+%.3fs", ms / 1000.0);
    }

    /** {@code 2026-11-23 11:00:00.123 UTC}. */
    static String instant(long epochMs) {
        if (epochMs < 0) {
            return "?";
        }
        SimpleDateFormat f = new SimpleDateFormat("yyyy-MM-dd HH:mm:ss.SSS 'UTC'", Locale.ROOT);
        f.setTimeZone(TimeZone.getTimeZone("UTC"));
        return f.format(new Date(epochMs));
    }

    /** {@code 512 B}, {@code 3.2 MiB}, {@code 1.00 GiB}. */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1L << 20) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        if (n < 1L << 30) {
            return String.format(Locale.ROOT, "%.1f MiB", n / (double) (1L << 20));
        }
        return String.format(Locale.ROOT, "%.2f GiB", n / (double) (1L << 30));
    }
}
