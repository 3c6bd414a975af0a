package io.rpctrace.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.Locale;
import java.util.Random;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

/** The hand-written formatting prints what java.util.Formatter and SimpleDateFormat print. */
class TimeFormatTest {

    @Test
    void fixedIsStringFormat() {
        Random rnd = new Random(17);
        double[] edges = {0, -0.0, 0.5, 1.5, 2.5, 0.125, 0.0005, 0.0015, 0.15, 0.25, 0.35, 1e-7, 9.9995, 9.99949,
            999.95, 123456789.0125, 1e20, 1e-300, -1.0005, -0.0004, Double.MIN_VALUE, Double.MAX_VALUE,
            Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (int decimals = 0; decimals <= 3; decimals++) {
            for (double v : edges) {
                assertEquals(String.format(Locale.ROOT, "%." + decimals + "f", v), TimeFormat.fixed(v, decimals), v + "");
            }
            for (int i = 0; i < 5000; i++) {
                double v;
                switch (i % 4) {
                    case 0:
                        v = rnd.nextInt(2_000_000) / 1000.0; // durations as records carry them, in ms
                        break;
                    case 1:
                        v = rnd.nextInt(200_000) / 2000.0 * (rnd.nextBoolean() ? 1 : -1); // exact halves
                        break;
                    case 2:
                        v = rnd.nextDouble() * Math.pow(10, rnd.nextInt(12) - 4);
                        break;
                    default:
                        v = Double.longBitsToDouble(rnd.nextLong());
                        break;
                }
                assertEquals(String.format(Locale.ROOT, "%." + decimals + "f", v), TimeFormat.fixed(v, decimals), v + "");
            }
        }
    }

    @Test
    void instantIsSimpleDateFormatInUtc() {
        SimpleDateFormat f = new SimpleDateFormat("yyyy-MM-dd HH:mm:ss.SSS 'UTC'", Locale.ROOT);
        f.setTimeZone(TimeZone.getTimeZone("UTC"));
        Random rnd = new Random(23);
        long[] edges = {0, 1, 999, 86_399_999L, 86_400_000L, 951_782_400_000L /* 2000-02-29 */, 4_107_542_400_000L,
            1763800000100L, 253_402_300_799_999L /* 9999-12-31 */, 253_402_300_800_000L /* 10000-01-01 */};
        for (long ms : edges) {
            assertEquals(f.format(new Date(ms)), TimeFormat.instant(ms), ms + "");
        }
        for (int i = 0; i < 20_000; i++) {
            long ms = (rnd.nextLong() >>> 1) % (1L << (20 + rnd.nextInt(28)));
            assertEquals(f.format(new Date(ms)), TimeFormat.instant(ms), ms + "");
        }
        assertEquals("?", TimeFormat.instant(-1));
    }

    @Test
    void padLeftIsPercentS() {
        for (String s : new String[] {"", "+0ms", "120.0ms", "a-very-long-value-wider-than-the-column"}) {
            assertEquals(String.format("%8s", s), TimeFormat.padLeft(s, 8));
            assertEquals(String.format("%10s", s), TimeFormat.padLeft(s, 10));
        }
    }
}
