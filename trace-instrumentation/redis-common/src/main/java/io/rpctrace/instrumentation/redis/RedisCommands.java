package io.rpctrace.instrumentation.redis;

import io.rpctrace.internal.KeyShape;
import io.rpctrace.internal.ParamJson;
import io.rpctrace.internal.Secrets;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How a Redis command appears in a record: {@code x_action} is the command and its first
 * argument (the key of keyed commands, capped at {@value #MAX_KEY_CHARS} characters);
 * {@code x_param}, with capture.param only, the further arguments as a JSON array (each
 * capped, at most {@link ParamJson#MAX_PARAMS}). Credentials never show: AUTH and HELLO keep
 * their name only, and the value after an {@code AUTH}, {@code AUTH2},
 * {@code requirepass} or {@code masterauth} argument is masked.
 *
 * <pre>{@code
 * RedisCommands.action("GET", "user:42".getBytes())   // "GET user:42"
 * RedisCommands.action("AUTH", "s3cret".getBytes())   // "AUTH"
 * }</pre>
 */
public final class RedisCommands {
    static final int MAX_KEY_CHARS = 128;
    private static final int MAX_NAMES = 1024;
    private static final ConcurrentHashMap<Object, String> NAMES = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<Class<?>, Method> GET_RAW = new ConcurrentHashMap<>();

    private RedisCommands() {
    }

    /** The command's name as sent, upper case (cached per command object). */
    public static String name(Object command, byte[] raw) {
        if (command != null) {
            String n = NAMES.get(command);
            if (n != null) {
                return n;
            }
        }
        String n = raw == null ? String.valueOf(command) : new String(raw, StandardCharsets.UTF_8);
        n = n.toUpperCase(Locale.ROOT);
        if (command != null && NAMES.size() < MAX_NAMES) {
            NAMES.put(command, n);
        }
        return n;
    }

    /** {@code x_action}: the command and its first argument. */
    public static String action(String name, byte[] firstArg) {
        String key = firstArg(name, firstArg);
        return key == null ? name : name + ' ' + key;
    }

    /** The first argument as it may be written, or null (none, or a credential). */
    static String firstArg(String name, byte[] firstArg) {
        if (firstArg == null || secretCommand(name)) {
            return null;
        }
        int n = Math.min(firstArg.length, MAX_KEY_CHARS * 4);
        String s = new String(firstArg, 0, n, StandardCharsets.UTF_8);
        if (s.length() > MAX_KEY_CHARS) {
            s = s.substring(0, MAX_KEY_CHARS) + ParamJson.CUT;
        }
        return s;
    }

    private static boolean secretCommand(String name) {
        return name.equals("AUTH") || name.equals("HELLO");
    }

    /**
     * Where {@code x_module} is cached: the command and the key's shape, so that
     * {@code user:1} and {@code user:2}, or two UUIDs, share a call site ({@link KeyShape#of}).
     */
    static String siteKey(String name, String key) {
        return KeyShape.of(name, key);
    }

    /** {@code SELECT n}: the database index, or {@code current} when unparseable. */
    static int parseDb(byte[] arg, int current) {
        int v = 0;
        if (arg.length == 0 || arg.length > 9) {
            return current;
        }
        for (byte b : arg) {
            if (b < '0' || b > '9') {
                return current;
            }
            v = v * 10 + (b - '0');
        }
        return v;
    }

    /** {@code x_code} of a failure: the reply's error prefix ({@code WRONGTYPE}, {@code ERR}), else the exception's simple name. */
    public static String errorCode(Throwable t) {
        String msg = t.getMessage();
        if (msg != null) {
            int end = 0;
            while (end < msg.length() && end < 32 && Character.isUpperCase(msg.charAt(end))) {
                end++;
            }
            if (end >= 2 && (end == msg.length() || msg.charAt(end) == ' ')) {
                return msg.substring(0, end);
            }
        }
        return t.getClass().getSimpleName();
    }

    /**
     * {@code x_param}: the arguments after the first, as a JSON array. {@code args} is a
     * {@code byte[][]} without the command, or an {@code Iterable} of raw arguments (objects
     * with {@code getRaw()}) starting with the command.
     */
    public static String paramsJson(String name, Object args) {
        if (args == null || secretCommand(name)) {
            return null;
        }
        StringBuilder sb = new StringBuilder(64).append('[');
        int index = 0;
        int written = 0;
        boolean maskNext = false;
        if (args instanceof byte[][]) {
            for (byte[] a : (byte[][]) args) {
                if (index++ == 0) {
                    continue;
                }
                maskNext = append(sb, a, maskNext || acl(name, a), written++);
                if (written >= ParamJson.MAX_PARAMS) {
                    break;
                }
            }
        } else if (args instanceof Iterable) {
            for (Object o : (Iterable<?>) args) {
                if (index++ < 2) {
                    continue;   // the command, then the first argument
                }
                byte[] a = raw(o);
                maskNext = append(sb, a, maskNext || acl(name, a), written++);
                if (written >= ParamJson.MAX_PARAMS) {
                    break;
                }
            }
        } else {
            return null;
        }
        return written == 0 ? null : sb.append(']').toString();
    }

    private static boolean append(StringBuilder sb, byte[] arg, boolean mask, int written) {
        if (written > 0) {
            sb.append(',');
        }
        String s = arg == null ? null : new String(arg, 0, Math.min(arg.length, ParamJson.MAX_VALUE_CHARS * 4),
                StandardCharsets.UTF_8);
        if (mask) {
            ParamJson.appendString(sb, Secrets.MASK);
        } else {
            ParamJson.appendValue(sb, s);
        }
        if (s == null) {
            return false;
        }
        String lower = s.toLowerCase(Locale.ROOT);
        return lower.equals("auth") || lower.equals("auth2") || lower.equals("requirepass")
                || lower.equals("masterauth");
    }

    /** An ACL rule that carries a password ({@code >pw}, {@code <pw}, {@code #hash}). */
    private static boolean acl(String name, byte[] a) {
        return name.equals("ACL") && a != null && a.length > 0 && (a[0] == '>' || a[0] == '<' || a[0] == '#');
    }

    /** {@code getRaw()} of a client's argument object (capture.param only). */
    private static byte[] raw(Object o) {
        if (o instanceof byte[]) {
            return (byte[]) o;
        }
        if (o == null) {
            return null;
        }
        try {
            Method m = GET_RAW.get(o.getClass());
            if (m == null) {
                m = o.getClass().getMethod("getRaw");
                m.setAccessible(true);
                GET_RAW.put(o.getClass(), m);
            }
            Object r = m.invoke(o);
            return r instanceof byte[] ? (byte[]) r : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return String.valueOf(o).getBytes(StandardCharsets.UTF_8);
        }
    }
}
