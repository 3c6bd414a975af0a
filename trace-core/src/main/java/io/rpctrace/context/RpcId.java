package io.rpctrace.context;

import java.util.Comparator;

/**
 * RPC ids (docs/model.md#ids): dot-separated decimal counters such as {@code 0.2.1}.
 * Grammar {@code seg("." seg)*}, {@code seg = "0" | [1-9][0-9]{0,8}}, at most
 * {@value #MAX_SEGMENTS} segments and {@value #MAX_LENGTH} characters.
 */
public final class RpcId {
    /** Most segments an id may have. */
    public static final int MAX_SEGMENTS = 64;
    /** Most characters an id may have. */
    public static final int MAX_LENGTH = 512;
    /** The prefix of a scope entered without a caller id. */
    public static final String ROOT = "0";

    /**
     * Orders ids numerically segment by segment: {@code 0.9 < 0.10}, a parent before its children.
     * A class rather than {@code RpcId::compare}: a method reference in this static initializer
     * would start java.lang.invoke in every JVM that touches an id (the viewer's CLI among them).
     */
    public static final Comparator<String> NUMERIC_ORDER = new Comparator<String>() {
        @Override
        public int compare(String a, String b) {
            return RpcId.compare(a, b);
        }
    };

    /** {@code ".0"} to {@code ".63"}: the last segment of the calls {@link #join} makes most. */
    private static final String[] SEQ_SUFFIXES = new String[64];

    static {
        for (int i = 0; i < SEQ_SUFFIXES.length; i++) {
            SEQ_SUFFIXES[i] = "." + i;
        }
    }

    private RpcId() {
    }

    /**
     * The id {@code prefix + "." + seq} of call {@code seq} (not negative) of the scope {@code prefix}.
     *
     * <p>Design note: for the first 64 calls of a scope it is {@code prefix.concat(".seq")} with the
     * suffix kept: one array of the id's exact length and its string, where a concatenation
     * compiled for Java 8 makes a {@code StringBuilder}, its array and the final copy (about 100 B
     * for {@code 0.1.1}) unless the JIT happens to fuse it (docs/RATIONALE.md, "Reactor Netty: the
     * served URL").
     */
    public static String join(String prefix, int seq) {
        return seq >= 0 && seq < SEQ_SUFFIXES.length ? prefix.concat(SEQ_SUFFIXES[seq]) : prefix + '.' + seq;
    }

    /** True when {@code value} follows the grammar above. */
    public static boolean isValid(CharSequence value) {
        if (value == null) {
            return false;
        }
        int n = value.length();
        if (n == 0 || n > MAX_LENGTH) {
            return false;
        }
        int segments = 1;
        int segStart = 0;
        for (int i = 0; i <= n; i++) {
            char c = i == n ? '.' : value.charAt(i);
            if (c == '.') {
                int len = i - segStart;
                if (len == 0 || len > 9) {
                    return false;
                }
                if (len > 1 && value.charAt(segStart) == '0') {
                    return false; // leading zero
                }
                if (i < n && ++segments > MAX_SEGMENTS) {
                    return false;
                }
                segStart = i + 1;
            } else if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** Number of segments: {@code depth("0.3.1") == 3}. The id must be valid. */
    public static int depth(String id) {
        int d = 1;
        for (int i = 0; i < id.length(); i++) {
            if (id.charAt(i) == '.') {
                d++;
            }
        }
        return d;
    }

    /** The parent id ({@code "0.3"} for {@code "0.3.2"}), or null for a single segment. */
    public static String parent(String id) {
        int dot = id.lastIndexOf('.');
        return dot < 0 ? null : id.substring(0, dot);
    }

    /**
     * Numeric comparison, segment by segment; a prefix sorts before its extensions.
     * Works on any string: non-digit segments compare as text after numeric ones.
     */
    public static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        int na = a.length();
        int nb = b.length();
        while (i < na && j < nb) {
            int ea = segmentEnd(a, i);
            int eb = segmentEnd(b, j);
            int c = compareSegment(a, i, ea, b, j, eb);
            if (c != 0) {
                return c;
            }
            i = ea + 1;
            j = eb + 1;
        }
        boolean aDone = i >= na;
        boolean bDone = j >= nb;
        return aDone == bDone ? 0 : (aDone ? -1 : 1);
    }

    private static int segmentEnd(String s, int from) {
        int dot = s.indexOf('.', from);
        return dot < 0 ? s.length() : dot;
    }

    private static int compareSegment(String a, int sa, int ea, String b, int sb, int eb) {
        boolean da = allDigits(a, sa, ea);
        boolean db = allDigits(b, sb, eb);
        if (da && db) {
            // strip leading zeros, then longer is larger, then lexical
            while (sa < ea - 1 && a.charAt(sa) == '0') {
                sa++;
            }
            while (sb < eb - 1 && b.charAt(sb) == '0') {
                sb++;
            }
            int la = ea - sa;
            int lb = eb - sb;
            if (la != lb) {
                return la < lb ? -1 : 1;
            }
        } else if (da != db) {
            return da ? -1 : 1;
        }
        int la = ea - sa;
        int lb = eb - sb;
        int n = Math.min(la, lb);
        for (int k = 0; k < n; k++) {
            char ca = a.charAt(sa + k);
            char cb = b.charAt(sb + k);
            if (ca != cb) {
                return ca < cb ? -1 : 1;
            }
        }
        return Integer.compare(la, lb);
    }

    private static boolean allDigits(String s, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int k = from; k < to; k++) {
            char c = s.charAt(k);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** The number of decimal digits of a segment value {@code v} (0 or more). */
    static int digits(int v) {
        int n = 1;
        while (v >= 10) {
            v /= 10;
            n++;
        }
        return n;
    }
}
