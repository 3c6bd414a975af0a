package io.rpctrace.instrumentation.kafka;

import io.rpctrace.context.Propagation;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * The propagation headers of a consumed Kafka message, as the poll advice reads them for the
 * message's scope ({@link ConsumeScopes}): Kafka's own {@code RecordHeaders} list read by index,
 * each {@code RecordHeader}'s name matched on its fetched bytes and its value kept as the fetched
 * slice, so nothing is decoded or copied until extraction asks for a value (docs/RATIONALE.md,
 * "Per-call cost"). Another header class or field layout falls back to Kafka's public methods.
 *
 * <pre>{@code
 * // poll exit, for each record r:
 * List list = ConsumedHeaders.headerList(r.headers());          // null: iterate r.headers()
 * for each header h:
 *     String name = ConsumedHeaders.wantedName(h);                // null: ConsumedHeaders.wanted(h.key())
 *     if (!name.isEmpty()) ids = ConsumedHeaders.addHeader(ids, name, ConsumedHeaders.rawValue(h)); // null: h.value()
 * batch.add(r, topic, partition, offset, ids);
 * // a message taken: Propagation.extract(ids, ConsumedHeaders.PAIRS, null)
 * }</pre>
 *
 * <p>Names no Kafka type: the classes are recognised by name and read by reflection.
 */
public final class ConsumedHeaders {
    private ConsumedHeaders() {
    }

    /** True for a header name that {@link Propagation#extract} reads (so only those are copied). */
    public static boolean wanted(String name) {
        if (name == null) {
            return false;
        }
        return ProduceCall.isPropagationHeader(name) || name.equalsIgnoreCase("b3");
    }

    /** The names {@link #wanted} accepts, lower-case, for {@link #wantedName}. */
    private static final String[] WANTED = wantedNames();

    private static String[] wantedNames() {
        String[] injected = Propagation.injectedNames();
        String[] all = Arrays.copyOf(injected, injected.length + 1);
        all[injected.length] = "b3";
        return all;
    }

    /**
     * The fields of Kafka's {@code RecordHeader} ({@code key}, {@code keyBuffer}, {@code value},
     * {@code valueBuffer}), or an empty array for any other header class. A consumed header
     * holds its name and value as slices of the fetched bytes until {@code key()} and
     * {@code value()} decode and copy them (a string and two arrays per header, about 100 bytes):
     * {@link #wantedName} and {@link #rawValue} read the slices in place instead
     * (docs/RATIONALE.md, "Per-call cost").
     */
    private static final ClassValue<Field[]> HEADER_FIELDS = new ClassValue<Field[]>() {
        @Override
        protected Field[] computeValue(Class<?> type) {
            switch (type.getName()) {
                case "org.apache.kafka.common.header.internals.RecordHeader":
                    return fields(type, new String[] {"key", "keyBuffer", "value", "valueBuffer"},
                            String.class, ByteBuffer.class, byte[].class, ByteBuffer.class);
                case "org.apache.kafka.common.header.internals.RecordHeaders":
                    return fields(type, new String[] {"headers"}, List.class);
                default:
                    return new Field[0];
            }
        }
    };

    private static Field[] fields(Class<?> type, String[] names, Class<?>... types) {
        try {
            Field[] f = new Field[names.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = type.getDeclaredField(names[i]);
                if (f[i].getType() != types[i]) {
                    return new Field[0];
                }
                f[i].setAccessible(true);
            }
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return new Field[0];   // another kafka-clients layout: the public methods are used
        }
    }

    /**
     * The list a Kafka {@code RecordHeaders} keeps its headers in, to be read by index (its
     * {@code iterator()} costs two objects per message); null when it cannot be read so.
     */
    public static List<?> headerList(Object headers) {
        try {
            Field[] f = headers == null ? null : HEADER_FIELDS.get(headers.getClass());
            Object list = f == null || f.length != 1 ? null : f[0].get(headers);
            return list instanceof RandomAccess ? (List<?>) list : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * For a Kafka {@code RecordHeader}: the {@linkplain #wanted wanted} name it has (lower-case),
     * or "" when it is not one, read without decoding the name; null when the header cannot be
     * read so (another class or layout: the caller decodes {@code key()}).
     */
    public static String wantedName(Object header) {
        try {
            Field[] f = HEADER_FIELDS.get(header.getClass());
            if (f.length != 4) {
                return null;
            }
            String key = (String) f[0].get(header);
            ByteBuffer b = key == null ? (ByteBuffer) f[1].get(header) : null;
            if (key == null && b == null) {
                key = (String) f[0].get(header);   // decoded meanwhile: key() sets key, then clears keyBuffer
            }
            if (key != null) {
                return wanted(key) ? key : "";
            }
            if (b == null) {
                return null;
            }
            for (String name : WANTED) {
                if (asciiEqualsIgnoreCase(b, name)) {
                    return name;
                }
            }
            return "";
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * A Kafka {@code RecordHeader}'s value as it holds it (its array, or the slice of the fetched
     * bytes, not copied), or null (no value, or not readable so: the caller asks {@code value()}).
     */
    public static Object rawValue(Object header) {
        try {
            Field[] f = HEADER_FIELDS.get(header.getClass());
            if (f.length != 4) {
                return null;
            }
            Object v = f[2].get(header);
            if (v == null) {
                v = f[3].get(header);
                if (v == null) {
                    v = f[2].get(header);   // value() sets value, then clears valueBuffer
                }
            }
            return v;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static boolean asciiEqualsIgnoreCase(ByteBuffer b, String lowerCase) {
        int n = lowerCase.length();
        if (b.remaining() != n) {
            return false;
        }
        int p = b.position();
        for (int i = 0; i < n; i++) {
            int c = b.get(p + i);
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != lowerCase.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** {@code value} (a {@code byte[]}, or a {@code ByteBuffer} read without moving it) as UTF-8 text. */
    static String utf8(Object value) {
        if (value instanceof byte[]) {
            return new String((byte[]) value, StandardCharsets.UTF_8);
        }
        ByteBuffer b = (ByteBuffer) value;
        if (b.hasArray()) {
            return new String(b.array(), b.arrayOffset() + b.position(), b.remaining(), StandardCharsets.UTF_8);
        }
        byte[] copy = new byte[b.remaining()];
        for (int i = 0, p = b.position(); i < copy.length; i++) {
            copy[i] = b.get(p + i);
        }
        return new String(copy, StandardCharsets.UTF_8);
    }

    /**
     * Appends a header to the pairs of one message (null starts a new array): names, and the
     * values as the bytes Kafka gave ({@code byte[]}, or a {@code ByteBuffer} slice), decoded only
     * when extraction asks for them (a valid {@code x-trace-id} leaves {@code traceparent}
     * undecoded). Unused entries at the end are null; the first array has room for the usual
     * three headers.
     */
    public static Object[] addHeader(Object[] pairs, String name, Object value) {
        if (value == null) {
            return pairs;
        }
        Object[] out = pairs == null ? new Object[6] : pairs;
        int n = 0;
        while (n < out.length && out[n] != null) {
            n += 2;
        }
        if (n == out.length) {
            out = Arrays.copyOf(out, n * 2);
        }
        out[n] = name;
        out[n + 1] = value;
        return out;
    }

    /**
     * Reads a message's header pairs ({@link #addHeader}) for {@link Propagation#extract}: the
     * last value of a name, ignoring case, decoded as UTF-8 only when asked for.
     */
    static final Propagation.Getter<Object[]> PAIRS = (pairs, name) -> {
        if (pairs == null) {
            return null;
        }
        Object v = null;
        for (int i = 0; i < pairs.length && pairs[i] != null; i += 2) {
            if (((String) pairs[i]).equalsIgnoreCase(name)) {
                v = pairs[i + 1];   // the last one wins, as Headers.lastHeader
            }
        }
        return v == null ? null : utf8(v);
    };
}
