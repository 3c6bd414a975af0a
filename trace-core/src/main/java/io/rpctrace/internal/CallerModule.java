package io.rpctrace.internal;

import io.rpctrace.config.ConfigKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code x_module} of a client call: the application method that made it, as
 * {@code <class>_<method>} in snake case ({@code com.acme.order.OrderDao.find} →
 * {@code order_dao_find}), so that calls group by code location.
 *
 * <p>The application frame is the first one under {@code module.prefix} when that is set
 * (package prefixes, comma or semicolon separated), else the first frame that is not the
 * JDK, a driver or client, a pool or rpctrace. At most {@code module.depth} frames are
 * looked at (default {@value #DEFAULT_DEPTH}; 0 turns {@code x_module} off): a Spring Data
 * repository's query runs some 80 frames below the controller that called it (driver, pool,
 * datasource-proxy, Hibernate, the repository's AOP chain), and the whole stack is captured
 * anyway, so looking further costs only the loop, once per call-site key.
 *
 * <p>Design note: Java 8 has no {@code StackWalker}, and a stack trace costs tens of
 * microseconds, so the result is cached per call-site key — the SQL text's shape, the Redis or
 * memcache command and key shape ({@link KeyShape}), or a string of a {@link Namespace} (a
 * topic, an exchange, a Dubbo method) — which nearly always comes from one method. Each table
 * holds {@value #MAX_KEYS} keys and starts over when full; a key seen again costs one map probe.
 * A key that is new on every call (a shape a key's layout defeats) would capture a stack on
 * every call, so captures are budgeted: a burst of {@value #CAPTURE_BURST}, then
 * {@value #CAPTURES_PER_SECOND} a second; a call over the budget gets no {@code x_module}
 * (and nothing is cached for it), so the cost stays bounded (docs/RATIONALE.md,
 * "x_module is cached per call-site key").
 */
public final class CallerModule {
    static final int MAX_KEYS = 4096;
    static final int DEFAULT_DEPTH = 128;
    /** Stack captures allowed at once (a start-up's first calls from many sites). */
    static final int CAPTURE_BURST = 1024;
    /** Stack captures allowed a second once the burst is spent: about 0.3 % of a core at tens of µs each. */
    static final int CAPTURES_PER_SECOND = 64;
    /**
     * Texts of one shape that each capture the stack before the shape answers for the next ones
     * ({@link #of(String, Shape)}): a few texts of one shape may well come from a few methods.
     */
    static final int SHAPE_TEXTS = 16;
    private static final String NONE = "";
    /** {@link #lookup}'s answer when a capture was due and the budget is spent (compared by identity). */
    @SuppressWarnings("StringOperationCanBeSimplified")
    private static final String OVER_BUDGET = new String("over budget");
    private static volatile CaptureBudget budget = new CaptureBudget(CAPTURE_BURST, CAPTURES_PER_SECOND);

    /** Frames that never name the caller: the JDK, rpctrace, drivers, clients, pools, frameworks' plumbing. */
    private static final String[] LIBRARY = {
            "java.", "javax.", "jdk.", "sun.", "com.sun.", "jakarta.",
            "io.rpctrace.internal.", "io.rpctrace.Trace", "io.rpctrace.Span", "io.rpctrace.instrumentation.",
            "io.rpctrace.agent.", "net.bytebuddy.",
            "org.h2.", "com.mysql.", "org.mariadb.", "org.postgresql.", "oracle.jdbc.", "com.microsoft.sqlserver.",
            "org.hsqldb.", "org.apache.derby.", "org.sqlite.", "com.zaxxer.hikari.", "com.alibaba.druid.",
            "org.apache.commons.dbcp", "org.apache.tomcat.jdbc.", "com.mchange.", "io.agroal.", "org.springframework.jdbc.",
            "net.ttddyy.dsproxy.", "com.p6spy.",
            // Spring Data repositories and the AOP chain (transactions, exception translation) in front of them
            "org.springframework.data.", "org.springframework.orm.", "org.springframework.aop.",
            "org.springframework.transaction.", "org.springframework.dao.",
            "org.apache.ibatis.", "org.mybatis.", "org.hibernate.", "org.jooq.", "org.jdbi.",
            "io.quarkus.",  // Panache and its sessions: Quarkus's own code is never the application's
            "redis.clients.", "io.lettuce.", "io.netty.", "reactor.", "org.apache.commons.pool2.",
            "com.rabbitmq.client.", "org.apache.rocketmq.", "org.apache.kafka.",
            "org.apache.dubbo.",
            // Spring's messaging templates and listener adapters (RabbitTemplate over its channel proxy, KafkaTemplate)
            "org.springframework.amqp.", "org.springframework.kafka.", "org.springframework.messaging.",
            "org.springframework.retry.",
            "net.spy.memcached.", "net.rubyeye.xmemcached.", "com.google.code.yanf4j.", "org.redisson.",
            "kotlin.", "scala.", "groovy.", "org.codehaus.groovy.",
    };

    private static final ConcurrentHashMap<Object, String> BY_KEY = new ConcurrentHashMap<>();
    /** {@link #of(String, Shape)}'s second level: a key's shape, looked up when the key itself is new. */
    private static final ConcurrentHashMap<String, ShapeSites> BY_SHAPE = new ConcurrentHashMap<>();
    private static volatile Settings settings;

    private CallerModule() {
    }

    /**
     * The module of the application method on this thread's stack, cached under
     * {@code siteKey}; null when none is found or the feature is off.
     */
    public static String of(Object siteKey) {
        return cached(settings(), BY_KEY, siteKey);
    }

    /**
     * What of a call-site key stays the same from one call of a site to the next: SQL text
     * without its literals. See {@link #of(String, Shape)}.
     */
    public abstract static class Shape {
        /** The shape of {@code key} (not null). */
        protected abstract String of(String key);
    }

    /**
     * The module cached under {@code siteKey}; for a key not seen before, the stack is captured,
     * unless {@value #SHAPE_TEXTS} texts of its {@code shape} have been already: then the
     * shape's module is taken. SQL run as text with its values inline is a new key on every
     * call, and its shape is not; two statements that differ in a value or two
     * ({@code status = 'NEW'}, {@code status = 'PAID'}) may come from two methods, and each is
     * named after its own. A key seen again costs one map probe; a new key of a busy shape, the
     * shape and a second probe.
     */
    public static String of(String siteKey, Shape shape) {
        Settings s = settings();
        if (s.depth == 0) {
            return null;
        }
        if (siteKey == null) {
            return find(s);
        }
        String m = BY_KEY.get(siteKey);
        if (m == null) {
            String shaped = shape.of(siteKey);
            ShapeSites sites = BY_SHAPE.get(shaped);
            if (sites != null && sites.texts >= SHAPE_TEXTS) {
                m = sites.module;   // values inline: one site, found already
            } else {
                if (!budget.take(System.nanoTime())) {
                    return null;   // nothing found, so nothing to keep under the key either
                }
                m = find(s);
                if (m == null) {
                    m = NONE;
                }
                if (sites == null) {
                    sites = new ShapeSites();
                    put(BY_SHAPE, shaped, sites);
                }
                sites.module = m;
                sites.texts++;   // racing increments may lose one: a capture more, no harm
            }
            put(BY_KEY, siteKey, m);
        }
        return m.isEmpty() ? null : m;
    }

    /** The texts of one shape seen so far ({@link #of(String, Shape)}): how many, and the last one's module. */
    private static final class ShapeSites {
        volatile String module;
        volatile int texts;
    }

    /**
     * A family of call-site keys that are plain strings (a topic, an exchange, a method):
     * {@link #of(Namespace, String)} looks them up in the family's own table, so that they never
     * meet another module's keys (SQL text, Redis key shapes) and no key object is made per call.
     *
     * <pre>{@code
     * private static final CallerModule.Namespace TOPICS = CallerModule.namespace();
     * span.module(CallerModule.of(TOPICS, topic));
     * }</pre>
     */
    public static final class Namespace {
        private final ConcurrentHashMap<String, String> byKey = new ConcurrentHashMap<>();
        /** The settings its entries were found with: other settings (a new tracer) start it over. */
        private volatile Settings settings;

        private Namespace() {
        }
    }

    /** A new family of string keys, made once per instrumentation (a static field). */
    public static Namespace namespace() {
        return new Namespace();
    }

    /**
     * The module of the application method on this thread's stack, cached under {@code key}
     * (null: not cached) in {@code namespace}; null when none is found or the feature is off.
     */
    public static String of(Namespace namespace, String key) {
        Settings s = settings();
        if (namespace.settings != s) {
            namespace.byKey.clear();
            namespace.settings = s;
        }
        return cached(s, namespace.byKey, key);
    }

    private static <K> String cached(Settings s, ConcurrentHashMap<K, String> table, K key) {
        if (s.depth == 0) {
            return null;
        }
        if (key == null) {
            return find(s);
        }
        String m = lookup(s, table, key);
        return m.isEmpty() || m == OVER_BUDGET ? null : m;
    }

    /**
     * The module under {@code key}, found and kept when new: {@link #NONE} when the stack has no
     * application frame, {@link #OVER_BUDGET} (kept nowhere, so a later call looks again) when
     * the capture budget is spent.
     */
    private static <K> String lookup(Settings s, ConcurrentHashMap<K, String> table, K key) {
        String m = table.get(key);
        if (m == null) {
            if (!budget.take(System.nanoTime())) {
                return OVER_BUDGET;
            }
            m = find(s);
            if (m == null) {
                m = NONE;
            }
            put(table, key, m);
        }
        return m;
    }

    /** Replaces the capture budget and returns the one it replaces (tests: a spent budget). */
    static CaptureBudget budget(CaptureBudget replacement) {
        CaptureBudget previous = budget;
        budget = replacement;
        return previous;
    }

    private static <K, V> void put(ConcurrentHashMap<K, V> table, K key, V value) {
        if (table.size() >= MAX_KEYS) {
            table.clear();
        }
        table.put(key, value);
    }

    private static String find(Settings s) {
        return find(new Throwable().getStackTrace(), s.depth, s.prefixes);
    }

    /** The module of the first application frame among the first {@code depth} of {@code stack}. */
    static String find(StackTraceElement[] stack, int depth, String[] prefixes) {
        int n = Math.min(stack.length, depth);
        for (int i = 0; i < n; i++) {
            String cls = stack[i].getClassName();
            // Dubbo 3 generates a consumer's proxy in the interface's package: <Interface>DubboProxy<n>
            if (prefixes != null ? startsWithAny(cls, prefixes)
                    : !startsWithAny(cls, LIBRARY) && !cls.contains("DubboProxy")) {
                return format(cls, stack[i].getMethodName());
            }
        }
        return null;
    }

    /** {@code com.acme.OrderDao}, {@code find} → {@code order_dao_find}. */
    public static String format(String className, String method) {
        String simple = className.substring(className.lastIndexOf('.') + 1);
        int lambda = method.indexOf("lambda$");
        if (lambda >= 0) {
            String rest = method.substring(lambda + 7);
            int end = rest.indexOf('$');
            method = end > 0 ? rest.substring(0, end) : rest;
        }
        StringBuilder sb = new StringBuilder(simple.length() + method.length() + 4);
        snake(simple, sb);
        sb.append('_');
        snake(method, sb);
        return sb.toString();
    }

    private static void snake(String s, StringBuilder sb) {
        boolean prevLower = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '$' || c == '_' || c == '<' || c == '>' || c == '-') {
                if (c == '$' || c == '_') {
                    if (sb.length() > 0 && sb.charAt(sb.length() - 1) != '_') {
                        sb.append('_');
                    }
                }
                prevLower = false;
                continue;
            }
            if (Character.isUpperCase(c)) {
                boolean acronymEnd = i > 0 && Character.isUpperCase(s.charAt(i - 1)) && i + 1 < s.length()
                        && Character.isLowerCase(s.charAt(i + 1));
                if ((prevLower || acronymEnd) && sb.length() > 0 && sb.charAt(sb.length() - 1) != '_') {
                    sb.append('_');
                }
                sb.append(Character.toLowerCase(c));
                prevLower = false;
            } else {
                sb.append(c);
                prevLower = Character.isLetterOrDigit(c);
            }
        }
    }

    private static boolean startsWithAny(String s, String[] prefixes) {
        for (String p : prefixes) {
            if (s.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    private static Settings settings() {
        Settings s = settings;
        Tracing t = Tracing.get();
        if (s == null || s.tracing != t) {
            settings = s = new Settings(t);
            BY_KEY.clear();
            BY_SHAPE.clear();
        }
        return s;
    }

    /**
     * A token bucket of stack captures: {@code burst} at once, refilled at {@code perSecond}.
     * Only a cache miss takes from it, so the lock is off the path of a cached key.
     */
    static final class CaptureBudget {
        private final int burst;
        private final int perSecond;
        private double tokens;
        private long lastNanos;
        private boolean started;

        CaptureBudget(int burst, int perSecond) {
            this.burst = burst;
            this.perSecond = perSecond;
            this.tokens = burst;
        }

        /** True when a capture may run at {@code nowNanos} (and counts it). */
        synchronized boolean take(long nowNanos) {
            if (started) {
                long elapsed = nowNanos - lastNanos;
                if (elapsed > 0) {
                    tokens = Math.min(burst, tokens + elapsed * 1e-9 * perSecond);
                }
            }
            started = true;
            lastNanos = nowNanos;
            if (tokens >= 1) {
                tokens--;
                return true;
            }
            return false;
        }
    }

    private static final class Settings {
        final Tracing tracing;
        final int depth;
        final String[] prefixes;

        Settings(Tracing t) {
            this.tracing = t;
            this.depth = t.config().getInt(ConfigKeys.MODULE_DEPTH, DEFAULT_DEPTH, 0, 1000);
            String p = t.config().get(ConfigKeys.MODULE_PREFIX, null);
            List<String> list = new ArrayList<>();
            if (p != null) {
                for (String part : p.split("[,;]")) {
                    if (!part.trim().isEmpty()) {
                        list.add(part.trim());
                    }
                }
            }
            this.prefixes = list.isEmpty() ? null : list.toArray(new String[0]);
        }
    }

}
