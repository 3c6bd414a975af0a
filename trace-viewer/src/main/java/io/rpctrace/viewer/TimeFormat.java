package io.rpctrace.viewer;

import java.math.BigDecimal;
import java.math.RoundingMode;

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
            return fixed(ms, 3) + "ms";
        }
        if (a < 1000) {
            return fixed(ms, 1) + "ms";
        }
        return fixed(ms / 1000, 3) + "s";
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
            return trim(fixed(ms * 1000, 3)) + "\u00b5s";
        }
        if (ms < 1000) {
            return trim(fixed(ms, 3)) + "ms";
        }
        return trim(fixed(ms / 1000, 3)) + "s";
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
        return ms < 10_000 ? "+" + ms + "ms" : "+" + fixed(ms / 1000.0, 3) + "s";
    }

    /** {@code 2026-11-23 11:00:00.123 UTC}. */
    static String instant(long epochMs) {
        if (epochMs < 0) {
            return "?";
        }
        // proleptic Gregorian from days since 1970-01-01 (H. Hinnant's civil_from_days): for
        // years after 1582 the same as SimpleDateFormat("yyyy-MM-dd HH:mm:ss.SSS 'UTC'") in UTC,
        // without loading calendars, time zones and locale data on the way to the first line
        long days = epochMs / 86_400_000L;
        long msOfDay = epochMs % 86_400_000L;
        long z = days + 719_468;
        long era = z / 146_097;
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long day = doy - (153 * mp + 2) / 5 + 1;
        long month = mp < 10 ? mp + 3 : mp - 9;
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        StringBuilder sb = new StringBuilder(27);
        digits(sb, year, 4).append('-');
        digits(sb, month, 2).append('-');
        digits(sb, day, 2).append(' ');
        digits(sb, msOfDay / 3_600_000, 2).append(':');
        digits(sb, msOfDay / 60_000 % 60, 2).append(':');
        digits(sb, msOfDay / 1000 % 60, 2).append('.');
        digits(sb, msOfDay % 1000, 3);
        return sb.append(" UTC").toString();
    }

    private static StringBuilder digits(StringBuilder sb, long n, int width) {
        String s = Long.toString(n);
        for (int i = s.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(s);
    }

    /**
     * {@code String.format(Locale.ROOT, "%.<decimals>f", v)}, which rounds the shortest decimal
     * form of {@code v} half up, without {@link java.util.Formatter}: its first use loads
     * locale data, tens of milliseconds of a command that is otherwise done in a few hundred.
     */
    static String fixed(double v, int decimals) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        boolean negative = Double.compare(v, 0.0) < 0; // -0.0 too, as Formatter prints it
        double a = Math.abs(v);
        String digits = Double.isInfinite(a) ? "Infinity"
                : new BigDecimal(Double.toString(a)).setScale(decimals, RoundingMode.HALF_UP).toPlainString();
        return negative ? "-" + digits : digits;
    }

    /** {@code String.format("%<width>s", s)}: {@code s} right-aligned in {@code width} columns, never cut. */
    static String padLeft(String s, int width) {
        if (s.length() >= width) {
            return s;
        }
        StringBuilder sb = new StringBuilder(width);
        for (int i = s.length(); i < width; i++) {
            sb.append(' ');
        }
        return sb.append(s).toString();
    }

    /** {@code 512 B}, {@code 3.2 MiB}, {@code 1.00 GiB}. */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1L << 20) {
            return fixed(n / 1024.0, 1) + " KiB";
        }
        if (n < 1L << 30) {
            return fixed(n / (double) (1L << 20), 1) + " MiB";
        }
        return fixed(n / (double) (1L << 30), 2) + " GiB";
    }
}
