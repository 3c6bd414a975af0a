package io.rpctrace.viewer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Command-line arguments of a sub-command: positionals and {@code --options} in any order. */
final class Arguments {
    final List<String> positional = new ArrayList<>();
    private final Map<String, String> values = new HashMap<>();
    private final Set<String> flags = new HashSet<>();

    /**
     * @param withValue options that take a value ({@code --top 10} or {@code --top=10})
     * @param flagNames options that take none
     * @throws IllegalArgumentException for an unknown option or a missing value
     */
    static Arguments parse(List<String> args, List<String> withValue, List<String> flagNames) {
        Arguments a = new Arguments();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--") || arg.equals("--")) {
                if (arg.equals("--")) {
                    a.positional.addAll(args.subList(i + 1, args.size()));
                    break;
                }
                a.positional.add(arg);
                continue;
            }
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (withValue.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.size()) {
                        throw new IllegalArgumentException(name + " needs a value");
                    }
                    value = args.get(++i);
                }
                a.values.put(name, value);
            } else if (flagNames.contains(name) && value == null) {
                a.flags.add(name);
            } else {
                throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        return a;
    }

    static Arguments parse(String[] args, int from, List<String> withValue, List<String> flagNames) {
        return parse(Arrays.asList(args).subList(from, args.length), withValue, flagNames);
    }

    String value(String name) {
        return values.get(name);
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    /** A positive integer option, or {@code def}. */
    int intValue(String name, int def) {
        String v = values.get(name);
        if (v == null) {
            return def;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(name + " " + v + " is not a positive whole number");
    }
}
