package io.rpctrace.instrumentation.http;

import io.rpctrace.internal.Secrets;

import java.io.UnsupportedEncodingException;
import java.net.URLDecoder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A raw query string as the JSON text of {@code x_param} ({@code capture.param}): one key per
 * parameter, a string value, or an array of strings when the parameter repeats; values of
 * secret-looking names are {@code ***} (docs/record.md#secrets).
 *
 * <pre>{@code
 * QueryParams.toJson("id=7&tag=a&tag=b&token=s")  // {"id":"7","tag":["a","b"],"token":"***"}
 * }</pre>
 */
public final class QueryParams {
    private QueryParams() {
    }

    /** The JSON object text; {@code {}} for an empty query. */
    public static String toJson(String rawQuery) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                List<String> values = params.get(name);
                if (values == null) {
                    values = new ArrayList<>(1);
                    params.put(name, values);
                }
                values.add(Secrets.isSecretName(name) ? Secrets.MASK : value);
            }
        }
        StringBuilder sb = new StringBuilder(rawQuery == null ? 2 : rawQuery.length() + 16).append('{');
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            string(sb, e.getKey()).append(':');
            List<String> values = e.getValue();
            if (values.size() == 1) {
                string(sb, values.get(0));
            } else {
                sb.append('[');
                for (int i = 0; i < values.size(); i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    string(sb, values.get(i));
                }
                sb.append(']');
            }
        }
        return sb.append('}').toString();
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, "UTF-8");
        } catch (IllegalArgumentException | UnsupportedEncodingException e) {
            return s; // a malformed escape: keep the raw text
        }
    }

    /** A JSON string literal: quotes, backslashes and control characters escaped. */
    static StringBuilder string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"');
    }
}
