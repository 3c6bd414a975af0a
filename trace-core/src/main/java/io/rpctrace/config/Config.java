package io.rpctrace.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * rpctrace configuration (docs/configuration.md). A key such as {@code log.dir} is looked up, first
 * match wins, in: the agent arguments
 * ({@code -javaagent:trace-agent.jar=log.dir=/var/log/app,...}), the system property
 * {@code rpctrace.log.dir}, the environment variable {@code RPCTRACE_LOG_DIR}, the properties file
 * named by {@code rpctrace.config} (system property or {@code RPCTRACE_CONFIG}), then the default.
 *
 * <p>A bad value is reported once on stderr with the key, where it came from and why, and
 * the default is used: the application always starts.
 *
 * <pre>{@code
 * Config c = Config.load(agentArgs);
 * int flushMs = c.getInt(ConfigKeys.FLUSH_INTERVAL_MS, 1000, 1, 2000);
 * }</pre>
 */
public final class Config {
    private static final String PREFIX = "rpctrace.";

    private final Map<String, String> agentArgs;
    private final Map<String, String> file;
    private final Map<String, String> env;
    private final Properties system;
    private final String fileName;
    private final PrintStream diagnostics;
    private final Set<String> reported = Collections.newSetFromMap(new ConcurrentHashMap<String, Boolean>());

    private Config(Map<String, String> agentArgs, Map<String, String> file, String fileName,
                   Map<String, String> env, Properties system, PrintStream diagnostics) {
        this.agentArgs = agentArgs;
        this.file = file;
        this.fileName = fileName;
        this.env = env;
        this.system = system;
        this.diagnostics = diagnostics;
    }

    /** Reads the configuration of this JVM; {@code agentArgs} may be null. */
    public static Config load(String agentArgs) {
        return load(agentArgs, System.getenv(), System.getProperties(), System.err);
    }

    /** Reads the configuration from explicit sources (tests). */
    public static Config load(String agentArgs, Map<String, String> env, Properties system, PrintStream diagnostics) {
        Map<String, String> args = parseAgentArgs(agentArgs, diagnostics);
        String fileName = args.get("config");
        if (fileName == null) {
            fileName = system.getProperty(PREFIX + "config");
        }
        if (fileName == null) {
            fileName = env.get("RPCTRACE_CONFIG");
        }
        Map<String, String> fileValues = new HashMap<>();
        if (fileName != null && !fileName.isEmpty()) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(Paths.get(fileName))) {
                p.load(in);
                for (String k : p.stringPropertyNames()) {
                    String key = k.startsWith(PREFIX) ? k.substring(PREFIX.length()) : k;
                    fileValues.put(key, p.getProperty(k).trim());
                }
            } catch (IOException | RuntimeException e) {
                diagnostics.println("rpctrace: config file " + fileName + " (rpctrace.config) cannot be read: "
                        + e + "; continuing without it");
            }
        }
        return new Config(args, fileValues, fileName, env, system, diagnostics);
    }

    /** A configuration made of exactly these values (tests, embedded use). */
    public static Config of(Map<String, String> values) {
        return new Config(new HashMap<>(values), Collections.<String, String>emptyMap(), null,
                Collections.<String, String>emptyMap(), new Properties(), System.err);
    }

    /**
     * Parses {@code key=value,key=value}; a value may not contain a comma, except between
     * {@code [} and {@code ]} (the method lists of {@code methods=com.shop.A[place,cancel]}). A
     * part that is not {@code key=value} is reported on {@code diagnostics} and ignored.
     */
    static Map<String, String> parseAgentArgs(String args, PrintStream diagnostics) {
        Map<String, String> out = new HashMap<>();
        if (args == null || args.trim().isEmpty()) {
            return out;
        }
        for (String part : splitOutsideBrackets(args)) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                diagnostics.println("rpctrace: agent argument '" + oneLine(part.trim(), 80)
                        + "' is not key=value; ignored");
                continue;
            }
            String key = part.substring(0, eq).trim();
            if (key.startsWith(PREFIX)) {
                key = key.substring(PREFIX.length());
            }
            out.put(key, part.substring(eq + 1).trim());
        }
        return out;
    }

    /** {@code args} split at the commas that are not between {@code [} and {@code ]}. */
    private static List<String> splitOutsideBrackets(String args) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < args.length(); i++) {
            char c = args.charAt(i);
            if (c == '[') {
                depth++;
            } else if (c == ']' && depth > 0) {
                depth--;
            } else if (c == ';') {
                depth = 0;   // a list never spans patterns: an unclosed [ does not swallow later arguments
            } else if (c == ',' && depth == 0) {
                parts.add(args.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(args.substring(start));
        return parts;
    }

    /** The environment variable for a key: {@code log.dir} → {@code RPCTRACE_LOG_DIR}. */
    public static String envName(String key) {
        return "RPCTRACE_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The raw value of {@code key}, or null when no source sets it. */
    public String raw(String key) {
        String v = agentArgs.get(key);
        if (v == null) {
            v = system.getProperty(PREFIX + key);
        }
        if (v == null) {
            v = env.get(envName(key));
        }
        if (v == null) {
            v = file.get(key);
        }
        return v == null ? null : v.trim();
    }

    /**
     * Every key some source sets, with the value that wins ({@link #raw}), sorted by key. Keys
     * from the environment are read back from their variable names ({@code RPCTRACE_LOG_DIR} →
     * {@code log.dir}). What the agent's rewrite cache keys its entries by.
     */
    public SortedMap<String, String> explicitValues() {
        SortedMap<String, String> out = new TreeMap<>();
        for (String k : agentArgs.keySet()) {
            out.put(k, raw(k));
        }
        for (String k : file.keySet()) {
            out.put(k, raw(k));
        }
        for (String name : system.stringPropertyNames()) {
            if (name.startsWith(PREFIX)) {
                String k = name.substring(PREFIX.length());
                out.put(k, raw(k));
            }
        }
        for (String name : env.keySet()) {
            if (name.startsWith("RPCTRACE_") && name.length() > "RPCTRACE_".length()) {
                String k = name.substring("RPCTRACE_".length()).toLowerCase(Locale.ROOT).replace('_', '.');
                String v = raw(k);
                out.put(k, v != null ? v : env.get(name).trim());
            }
        }
        return out;
    }

    /** Where {@code key} was found: "agent args", "system property", "environment", the file, or "default". */
    public String sourceOf(String key) {
        if (agentArgs.containsKey(key)) {
            return "agent argument";
        }
        if (system.getProperty(PREFIX + key) != null) {
            return "system property " + PREFIX + key;
        }
        if (env.get(envName(key)) != null) {
            return "environment " + envName(key);
        }
        if (file.containsKey(key)) {
            return "file " + fileName;
        }
        return "default";
    }

    /** One line for the start-up banner: which sources were used. */
    public String describeSources() {
        StringBuilder sb = new StringBuilder();
        if (!agentArgs.isEmpty()) {
            sb.append("agent args");
        }
        if (fileName != null) {
            sb.append(sb.length() > 0 ? ", " : "").append("file ").append(fileName);
        }
        return sb.length() == 0 ? "system properties/environment/defaults" : sb + ", system properties/environment";
    }

    /** A string value, or {@code def} when unset or empty. */
    public String get(String key, String def) {
        String v = raw(key);
        return v == null || v.isEmpty() ? def : v;
    }

    /** A boolean ({@code true/false/yes/no/on/off/1/0}), or {@code def}. */
    public boolean getBoolean(String key, boolean def) {
        String v = raw(key);
        if (v == null || v.isEmpty()) {
            return def;
        }
        switch (v.toLowerCase(Locale.ROOT)) {
            case "true": case "yes": case "on": case "1":
                return true;
            case "false": case "no": case "off": case "0":
                return false;
            default:
                report(key, v, "is not a boolean (true/false)", String.valueOf(def));
                return def;
        }
    }

    /** An integer within {@code [min, max]}, or {@code def}. */
    public int getInt(String key, int def, int min, int max) {
        return (int) getLong(key, def, min, max);
    }

    /** A long within {@code [min, max]}, or {@code def}. */
    public long getLong(String key, long def, long min, long max) {
        String v = raw(key);
        if (v == null || v.isEmpty()) {
            return def;
        }
        long n;
        try {
            n = Long.parseLong(v.replace("_", ""));
        } catch (NumberFormatException e) {
            report(key, v, "is not a whole number", String.valueOf(def));
            return def;
        }
        return inRange(key, v, n, def, min, max);
    }

    /** A size in bytes ({@code 65536}, {@code 64k}, {@code 1m}, {@code 2g}) within {@code [min, max]}, or {@code def}. */
    public long getBytes(String key, long def, long min, long max) {
        String v = raw(key);
        if (v == null || v.isEmpty()) {
            return def;
        }
        String s = v.toLowerCase(Locale.ROOT).replace("_", "");
        if (s.endsWith("b")) {
            s = s.substring(0, s.length() - 1);
        }
        long mult = 1;
        if (s.endsWith("k") || s.endsWith("m") || s.endsWith("g")) {
            char unit = s.charAt(s.length() - 1);
            mult = unit == 'k' ? 1L << 10 : unit == 'm' ? 1L << 20 : 1L << 30;
            s = s.substring(0, s.length() - 1);
        }
        try {
            long n = Long.parseLong(s.trim());
            if (n > Long.MAX_VALUE / mult) {
                report(key, v, "is too large", String.valueOf(def));
                return def;
            }
            return inRange(key, v, n * mult, def, min, max);
        } catch (NumberFormatException e) {
            report(key, v, "is not a size (e.g. 65536, 64k, 1m)", String.valueOf(def));
            return def;
        }
    }

    /**
     * A duration in milliseconds ({@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 7d};
     * a bare number uses {@code bareUnitMs}), or {@code def}.
     */
    public long getDurationMs(String key, long def, long bareUnitMs, long min, long max) {
        String v = raw(key);
        if (v == null || v.isEmpty()) {
            return def;
        }
        long ms = parseDurationMs(v, bareUnitMs);
        if (ms < 0) {
            report(key, v, "is not a duration (e.g. 10s, 5m, 1h)", def + "ms");
            return def;
        }
        return inRange(key, v, ms, def, min, max);
    }

    /** Parses {@code 10s}, {@code 5m}, {@code 1h}, {@code 7d}, {@code 250ms}; -1 when malformed. */
    public static long parseDurationMs(String v, long bareUnitMs) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        long mult = bareUnitMs;
        if (s.endsWith("ms")) {
            mult = 1;
            s = s.substring(0, s.length() - 2);
        } else if (!s.isEmpty() && "smhd".indexOf(s.charAt(s.length() - 1)) >= 0) {
            char u = s.charAt(s.length() - 1);
            mult = u == 's' ? 1000L : u == 'm' ? 60_000L : u == 'h' ? 3_600_000L : 86_400_000L;
            s = s.substring(0, s.length() - 1);
        }
        try {
            long n = Long.parseLong(s.trim());
            if (n < 0 || n > Long.MAX_VALUE / mult) {
                return -1;
            }
            return n * mult;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private long inRange(String key, String raw, long n, long def, long min, long max) {
        if (n < min || n > max) {
            report(key, raw, "is outside [" + min + ", " + max + "]", String.valueOf(def));
            return def;
        }
        return n;
    }

    /** Reports a bad value once per key: key, source, reason and what is used instead. */
    public void report(String key, String value, String reason, String using) {
        if (reported.add(key)) {
            diagnostics.println("rpctrace: config " + key + "=" + oneLine(value, 80) + " (" + sourceOf(key) + ") "
                    + reason + "; using " + using);
        }
    }

    /** {@code value} cut to {@code max} chars with control characters shown as {@code \\uXXXX}: one line, always. */
    static String oneLine(String value, int max) {
        StringBuilder sb = new StringBuilder(Math.min(value.length(), max) + 8);
        for (int i = 0; i < value.length() && i < max; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f || c == 0x85 || c == 0x2028 || c == 0x2029) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (value.length() > max) {
            sb.append("...");
        }
        return sb.toString();
    }
}
