package io.rpctrace.instrumentation.rocketmq;

import io.rpctrace.context.MapCarrier;
import io.rpctrace.context.Propagation;
import java.util.Locale;
import java.util.Map;

/**
 * The names of docs/propagation.md#headers in a RocketMQ message's user properties:
 * {@code x_trace_id}, {@code x_rpc_id}, {@code x_debug}, {@code x_debug_token} (underscores, as
 * the carrier table has them), and the interop names in lower case ({@code traceparent},
 * {@code tracestate}, {@code x-b3-traceid}, …, {@code x-request-id}). Read without regard to case.
 */
public final class UserProperties {
    /** The property names, in the order {@link #CARRIED} lists their propagation names. */
    private static final String[][] NAMES = {
        {Propagation.TRACE_ID, "x_trace_id"},
        {Propagation.RPC_ID, "x_rpc_id"},
        {Propagation.DEBUG, "x_debug"},
        {Propagation.DEBUG_TOKEN, "x_debug_token"},
        {Propagation.TRACEPARENT, "traceparent"},
        {Propagation.TRACESTATE, "tracestate"},
        {Propagation.B3_TRACE_ID, "x-b3-traceid"},
        {Propagation.B3_SPAN_ID, "x-b3-spanid"},
        {Propagation.B3_SAMPLED, "x-b3-sampled"},
        {Propagation.B3_SINGLE, "b3"},
        {Propagation.REQUEST_ID, "x-request-id"},
    };
    /** Every property name this instrumentation writes (a message sent again gets fresh ones). */
    public static final String[] CARRIED;
    /** The trace id's property: a message that has it was sent (or consumed) with ids before. */
    public static final String TRACE_ID = "x_trace_id";

    static {
        CARRIED = new String[NAMES.length - 1];
        int n = 0;
        for (String[] pair : NAMES) {
            if (!pair[0].equals(Propagation.B3_SINGLE)) {   // read, never written
                CARRIED[n++] = pair[1];
            }
        }
    }

    /** Writes name/value pairs into the first free places of an array that a null ends (one pair a name at most). */
    static final Propagation.Setter<String[]> SETTER = (pairs, name, value) -> {
        int i = 0;
        while (pairs[i] != null) {
            i += 2;
        }
        if (i + 2 < pairs.length) {   // a null always ends the pairs
            pairs[i] = propertyName(name);
            pairs[i + 1] = value;
        }
    };

    /**
     * A message's properties read in any case, one hash lookup a name unless one of ours is
     * there in another case ({@code X_TRACE_ID}).
     *
     * <p>Design note: a consumed message carries a dozen properties of the library's own
     * ({@code UNIQ_KEY}, {@code MIN_OFFSET}, …), and extraction asks for eleven names, most of
     * them absent: scanning every property for each absent name was the consume thread's largest
     * cost in the agent's JFR samples. trace-core's {@code MapCarrier} decides with one pass over
     * the keys whether the scan can find anything.
     */
    private static final MapCarrier<String> PROPERTIES = new MapCarrier<>(v -> v, UserProperties::propertyName);
    /** Reads a message's properties when each of ours there is named exactly as above: one lookup a name. */
    static final Propagation.Getter<Map<String, String>> EXACT = PROPERTIES.byLookup();
    /** Reads a message's properties ({@code Message.getProperties()}) in any case. */
    static final Propagation.Getter<Map<String, String>> GETTER = PROPERTIES.inAnyCase();

    private UserProperties() {
    }

    /** The getter for a message's properties: {@link #EXACT} unless one of ours is there in another case. */
    static Propagation.Getter<Map<String, String>> getterFor(Map<String, String> props) {
        return PROPERTIES.getter(props);
    }

    /** The property name that carries the propagation name {@code name} (any case). */
    static String propertyName(String name) {
        for (String[] pair : NAMES) {   // Propagation's own constants: no case-insensitive compares
            if (pair[0] == name) {
                return pair[1];
            }
        }
        for (String[] pair : NAMES) {
            if (pair[0].equalsIgnoreCase(name) || pair[1].equalsIgnoreCase(name)) {
                return pair[1];
            }
        }
        return lowerCase(name);
    }

    static String lowerCase(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
}
