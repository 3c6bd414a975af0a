package io.rpctrace.context;

import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads the ids of docs/propagation.md#headers from a carrier that is a {@code Map} keyed by
 * header name (Dubbo's invocation attachments, AMQP message headers), in any case, as
 * {@link Propagation#extract} asks: one map lookup by the lower-case name (as
 * {@link Propagation#inject} writes them for these carriers), and a scan of the keys only when
 * the map holds one of the names in another case.
 *
 * <pre>{@code
 * static final MapCarrier<Object> ATTACHMENTS = new MapCarrier<>(Object::toString);
 * Scope scope = Propagation.extract(attachments, ATTACHMENTS.getter(attachments), null);
 * }</pre>
 *
 * <p>Design note: extraction asks for eleven names, most of them absent (the interop headers,
 * the debug pair), and the map holds the library's own entries besides ours (a Dubbo
 * invocation carries {@code path}, {@code interface}, {@code version}, {@code timeout}, …). A
 * getter that lower-cases each name and scans every key for each absent one was the largest
 * part of what a Dubbo provider's thread spent in rpctrace; {@link #getter} decides with one
 * pass over the keys, most skipped by their length alone, whether a scan can find anything.
 *
 * @param <V> the map's value type; {@code text} turns a value into the header's string
 */
public final class MapCarrier<V> {
    /** The names {@link Propagation#extract} reads, and their lower-case forms, pairwise. */
    private static final String[] NAMES = {
        Propagation.TRACE_ID, Propagation.RPC_ID, Propagation.DEBUG, Propagation.DEBUG_TOKEN, Propagation.TRACEPARENT,
        Propagation.TRACESTATE, Propagation.B3_TRACE_ID, Propagation.B3_SPAN_ID, Propagation.B3_SAMPLED,
        Propagation.B3_SINGLE, Propagation.REQUEST_ID,
    };
    private static final String[] LOWER = new String[NAMES.length];
    /** Bit {@code n} set when one of the names has {@code n} characters. */
    private static final long NAME_LENGTHS;

    static {
        long lengths = 0;
        for (int i = 0; i < NAMES.length; i++) {
            LOWER[i] = NAMES[i].toLowerCase(Locale.ROOT);
            lengths |= 1L << NAMES[i].length();
        }
        NAME_LENGTHS = lengths;
    }

    private final Propagation.Getter<Map<String, V>> exact;
    private final Propagation.Getter<Map<String, V>> anyCase;

    /** A reader of maps whose values {@code text} turns into strings (null: absent). */
    public MapCarrier(Function<? super V, String> text) {
        this.exact = (map, name) -> {
            V v = map == null ? null : map.get(lowerCase(name));
            return v == null ? null : text.apply(v);
        };
        this.anyCase = (map, name) -> {
            if (map == null) {
                return null;
            }
            String key = lowerCase(name);
            V v = map.get(key);
            if (v == null) {
                for (Map.Entry<String, V> e : map.entrySet()) {
                    if (key.equalsIgnoreCase(e.getKey())) {
                        v = e.getValue();
                        break;
                    }
                }
            }
            return v == null ? null : text.apply(v);
        };
    }

    /**
     * The getter for {@code map}: lookups by the lower-case name, unless the map holds one of
     * the names in another case ({@code X-Trace-Id}), which only a scan of its keys finds.
     */
    public Propagation.Getter<Map<String, V>> getter(Map<String, V> map) {
        if (map == null || map.isEmpty()) {
            return exact;
        }
        for (String key : map.keySet()) {
            if (key != null && key.length() < 64 && (NAME_LENGTHS & (1L << key.length())) != 0 && inOtherCase(key)) {
                return anyCase;
            }
        }
        return exact;
    }

    /** True if {@code key} is one of the names, not in lower case. */
    static boolean inOtherCase(String key) {
        for (String lower : LOWER) {
            if (lower.length() == key.length() && !lower.equals(key) && lower.equalsIgnoreCase(key)) {
                return true;
            }
        }
        return false;
    }

    /** The lower-case form of {@code name}: Propagation's own constants without a new string. */
    static String lowerCase(String name) {
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i] == name) {
                return LOWER[i];
            }
        }
        return name.toLowerCase(Locale.ROOT);
    }
}
