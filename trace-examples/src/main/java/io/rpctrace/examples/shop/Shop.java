package io.rpctrace.examples.shop;

import io.grpc.MethodDescriptor;
import io.rpctrace.testing.grpc.StringMethods;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the shop's services share: where the others listen (system properties the launcher
 * sets), the inventory's gRPC method (hand-written, no protoc) and a tiny flat-JSON codec.
 * Nothing here knows about tracing.
 */
final class Shop {
    /** The Kafka topic orders publishes and the notifier consumes. */
    static final String ORDER_CREATED = "order.created";

    /** {@code shop.Inventory/Reserve}: {"sku":"book","qty":1} → {"sku":"book","left":41}. */
    static final MethodDescriptor<String, String> RESERVE = StringMethods.unary("shop.Inventory/Reserve");

    /** The line a service prints on stdout once it serves: the launcher waits for it. */
    static final String READY = "ready";

    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\"\\s*:\\s*(\"((?:[^\"\\\\]|\\\\.)*)\"|-?\\d+)");

    private Shop() {
    }

    /** A port given by the launcher as {@code -Dshop.<name>.port}. */
    static int port(String name) {
        String p = System.getProperty("shop." + name + ".port");
        if (p == null) {
            throw new IllegalStateException("-Dshop." + name + ".port is not set (the launcher sets it)");
        }
        return Integer.parseInt(p);
    }

    /** {@code shop.<name>} as a system property, else {@code SHOP_<NAME>} from the environment, else {@code def}. */
    static String setting(String name, String def) {
        String v = System.getProperty("shop." + name);
        if (v == null) {
            v = System.getenv("SHOP_" + name.toUpperCase(java.util.Locale.ROOT).replace('.', '_'));
        }
        return v == null || v.isEmpty() ? def : v;
    }

    /** The fields of a flat JSON object (strings and integers). */
    static Map<String, String> parse(String json) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = FIELD.matcher(json == null ? "" : json);
        while (m.find()) {
            out.put(m.group(1), m.group(3) != null ? m.group(3).replace("\\\"", "\"").replace("\\\\", "\\") : m.group(2));
        }
        return out;
    }

    /** A flat JSON object from key/value pairs; numbers stay numbers. */
    static String json(Object... kv) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < kv.length; i += 2) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append('"').append(kv[i]).append("\":");
            Object v = kv[i + 1];
            if (v instanceof Number) {
                sb.append(v);
            } else {
                sb.append('"').append(String.valueOf(v).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
        }
        return sb.append('}').toString();
    }
}
