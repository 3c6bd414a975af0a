package io.rpctrace.metrics;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A lock-free, allocation-free histogram of non-negative longs (nanoseconds) with log-linear
 * buckets: values below 16 are exact, larger ones fall in one of 16 sub-buckets per power of
 * two, so a reported percentile is within 1/16 (6.25%) of the true value. Fixed size
 * ({@value #BUCKETS} counters, about 8 KiB).
 *
 * <p>Recording is one atomic increment. {@link #drainInto(long[])} moves the counts out for
 * an interval: an observation recorded concurrently lands in this interval or the next,
 * never nowhere.
 */
public final class LogHistogram {
    static final int SUB_BITS = 4;
    static final int SUB = 1 << SUB_BITS;
    /** Number of buckets. */
    public static final int BUCKETS = SUB + (63 - SUB_BITS) * SUB;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    /** Records one value; negative values count as 0. */
    public void record(long value) {
        counts.getAndIncrement(index(value));
    }

    /** The bucket of {@code value}. */
    static int index(long value) {
        if (value < SUB) {
            return value < 0 ? 0 : (int) value;
        }
        int exp = 63 - Long.numberOfLeadingZeros(value); // >= SUB_BITS
        int sub = (int) (value >>> (exp - SUB_BITS)) & (SUB - 1);
        return SUB + (exp - SUB_BITS) * SUB + sub;
    }

    /** The smallest value of bucket {@code i}. */
    static long lowerBound(int i) {
        if (i < SUB) {
            return i;
        }
        int exp = (i - SUB) / SUB + SUB_BITS;
        int sub = (i - SUB) % SUB;
        return (1L << exp) | ((long) sub << (exp - SUB_BITS));
    }

    /** The largest value of bucket {@code i}. */
    static long upperBound(int i) {
        if (i < SUB) {
            return i;
        }
        int exp = (i - SUB) / SUB + SUB_BITS;
        return lowerBound(i) + (1L << (exp - SUB_BITS)) - 1;
    }

    /** Moves every count into {@code into} (length {@link #BUCKETS}) and zeroes this histogram; returns the total. */
    public long drainInto(long[] into) {
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            if (counts.get(i) != 0) {
                long c = counts.getAndSet(i, 0);
                into[i] += c;
                total += c;
            }
        }
        return total;
    }

    /**
     * The value at quantile {@code q} (0..1) of drained counts, as the middle of its bucket,
     * clamped to {@code [min, max]}; -1 when empty.
     */
    public static long quantile(long[] drained, long total, double q, long min, long max) {
        if (total <= 0) {
            return -1;
        }
        long rank = (long) Math.ceil(q * total);
        if (rank < 1) {
            rank = 1;
        }
        long seen = 0;
        for (int i = 0; i < drained.length; i++) {
            seen += drained[i];
            if (seen >= rank) {
                long lo = lowerBound(i);
                long mid = lo + (upperBound(i) - lo) / 2;
                return Math.max(min, Math.min(max, mid));
            }
        }
        return max;
    }
}
