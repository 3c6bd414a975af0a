package io.rpctrace.context;

import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads the ids of docs/propagation.md#headers from a carrier that is a {@code Map} keyed by
 * header name (Dubbo's invocation attachments, AMQP message headers, RocketMQ's user properties),
 * in any case, as {@link Propagation#extract} asks: one map lookup by the carrier's key of the
 * name (the lower-case name, as {@link Propagation#inject} writes them for these carriers, or the
 * carrier's own spelling), and a scan of the keys only when the map holds one of them in another
 * case.
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
    /** The names {@link Propagation#extract} reads. */
    private static final String[] NAMES = {
        Propagation.TRACE_ID, Propagation.RPC_ID, Propagation.DEBUG, Propagation.DEBUG_TOKEN, Propagation.TRACEPARENT,
        Propagation.TRACESTATE, Propagation.B3_TRACE_ID, Propagation.B3_SPAN_ID, Propagation.B3_SAMPLED,
        Propagation.B3_SINGLE, Propagation.REQUEST_ID,
    };

    /** The carrier's key of each of {@link #NAMES}, made once. */
    private final String[] keys = new String[NAMES.length];
    /** Bit {@code n} set when one of the keys has {@code n} characters. */
    private final long keyLengths;
    private final Function<String, String> keyOf;
    private final Propagation.Getter<Map<String, V>> exact;
    private final Propagation.Getter<Map<String, V>> anyCase;

    /** A reader of maps keyed by the lower-case names, whose values {@code text} turns into strings (null: absent). */
    public MapCarrier(Function<? super V, String> text) {
        this(text, name -> name.toLowerCase(Locale.ROOT));
    }

    /**
     * A reader of maps keyed by {@code keyOf} of each name (compared without regard to case),
     * whose values {@code text} turns into strings (null: absent).
     */
    public MapCarrier(Function<? super V, String> text, Function<String, String> keyOf) {
        this.keyOf = keyOf;
        long lengths = 0;
        for (int i = 0; i < NAMES.length; i++) {
            keys[i] = keyOf.apply(NAMES[i]);
            lengths |= 1L << keys[i].length();
        }
        this.keyLengths = lengths;
        this.exact = (map, name) -> {
            V v = map == null ? null : map.get(key(name));
            return v == null ? null : text.apply(v);
        };
        this.anyCase = (map, name) -> {
            if (map == null) {
                return null;
            }
            String key = key(name);
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
            if (key != null && key.length() < 64 && (keyLengths & (1L << key.length())) != 0 && inOtherCase(key)) {
                return anyCase;
            }
        }
        return exact;
    }

    /** The getter that only looks up (what {@link #getter} returns for a map without our keys in another case). */
    public Propagation.Getter<Map<String, V>> byLookup() {
        return exact;
    }

    /** The getter that also scans the keys for another case. */
    public Propagation.Getter<Map<String, V>> inAnyCase() {
        return anyCase;
    }

    /** True if {@code key} is one of the carrier's keys, in another case. */
    boolean inOtherCase(String key) {
        for (String k : keys) {
            if (k.length() == key.length() && !k.equals(key) && k.equalsIgnoreCase(key)) {
                return true;
            }
        }
        return false;
    }

    /** The carrier's key of {@code name}: Propagation's own constants without a new string. */
    public String key(String name) {
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i] == name) {
                return keys[i];
            }
        }
        return keyOf.apply(name);
    }
}
