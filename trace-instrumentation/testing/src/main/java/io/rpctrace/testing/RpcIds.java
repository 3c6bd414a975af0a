package io.rpctrace.testing;

import java.util.Comparator;

/** RPCID arithmetic for assertions: parents, depth and the viewer's sibling order. */
public final class RpcIds {
    /** Numeric by segment: {@code 0.9} before {@code 0.10}; a parent before its children. */
    public static final Comparator<String> ORDER = RpcIds::compare;

    private RpcIds() {
    }

    /** {@code 0.3.2} → {@code 0.3}; {@code 0} → null. */
    public static String parent(String id) {
        int dot = id.lastIndexOf('.');
        return dot < 0 ? null : id.substring(0, dot);
    }

    /** The number of segments. */
    public static int depth(String id) {
        return id.split("\\.").length;
    }

    /** True when {@code id} is {@code ancestor} or below it. */
    public static boolean isWithin(String id, String ancestor) {
        return id.equals(ancestor) || id.startsWith(ancestor + ".");
    }

    public static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = Long.compare(Long.parseLong(x[i]), Long.parseLong(y[i]));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }
}
