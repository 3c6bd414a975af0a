package io.rpctrace.instrumentation.methods;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The {@code methods} key parsed: which classes and methods to trace
 * (docs/instrumentation/methods.md#patterns).
 *
 * <pre>{@code
 * MethodPatterns p = MethodPatterns.parse("com.shop.OrderService[place,cancel];com.shop.dao.*;com.shop.Cache[get]:metrics");
 * p.mayName("com.shop.dao.UserDao");              // true: a name test, nothing loaded
 * p.match("com.shop.Cache", "get");               // the pattern, whose metricsOnly() is true
 * p.errors();                                     // what was rejected, and why
 * }</pre>
 *
 * <p>Patterns are separated by {@code ;}. A class is named exactly ({@code com.shop.OrderService}),
 * by package ({@code com.shop.dao.*}: the classes of that package; {@code com.shop.**}: and of
 * its sub-packages) or by a glob on the simple name ({@code com.shop.api.*Controller},
 * {@code com.shop.Order*}). An optional method list {@code [place,cancel]} ({@code |} also
 * separates, for agent arguments) names methods exactly, whatever their visibility; without it
 * the public methods are traced. {@code :metrics} keeps only the metrics of what the pattern
 * selects. A pattern that cannot be parsed is reported in {@link #errors()} and skipped; the
 * others apply. Matching is by name only: no class is loaded or resolved.
 */
final class MethodPatterns {
    /** Packages never traced: the JDK and Byte Buddy, which the tracer runs on. */
    private static final String[] FORBIDDEN = {"java.", "javax.", "jdk.", "sun.", "com.sun.", "net.bytebuddy."};
    /**
     * rpctrace's own packages (and its API, {@code io.rpctrace.Trace} …), which the tracer runs
     * on too; its examples and tests are applications and may be traced.
     */
    private static final String[] RPCTRACE = {"agent.", "bench.", "config.", "context.", "grpc.", "instrumentation.",
        "internal.", "log4j2.", "logback.", "metrics.", "record.", "shipping.", "testing.", "viewer.", "writer."};

    private final List<Pattern> patterns;
    private final List<String> errors;

    private MethodPatterns(List<Pattern> patterns, List<String> errors) {
        this.patterns = patterns;
        this.errors = errors;
    }

    /** No pattern: nothing traced by configuration. */
    static MethodPatterns none() {
        return new MethodPatterns(Collections.<Pattern>emptyList(), Collections.<String>emptyList());
    }

    /** Parses the value of {@code methods}; null or blank is {@link #none()}. */
    static MethodPatterns parse(String value) {
        if (value == null || value.trim().isEmpty()) {
            return none();
        }
        List<Pattern> ok = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        for (String part : value.split(";")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            try {
                ok.add(Pattern.parse(p));
            } catch (IllegalArgumentException e) {
                bad.add("'" + p + "' " + e.getMessage());
            }
        }
        return new MethodPatterns(Collections.unmodifiableList(ok), Collections.unmodifiableList(bad));
    }

    /** The patterns that parsed. */
    List<Pattern> patterns() {
        return patterns;
    }

    /** One entry per rejected pattern: the pattern and why, e.g. {@code 'com.x.[a' has no closing ]}. */
    List<String> errors() {
        return errors;
    }

    boolean isEmpty() {
        return patterns.isEmpty();
    }

    /**
     * True for rpctrace's own classes and the patterns that can only name them: the API
     * ({@code io.rpctrace.Trace}) and the packages the tracer runs on. Its examples are not.
     */
    static boolean isRpctrace(String name) {
        if (!name.startsWith("io.rpctrace.")) {
            return false;
        }
        String rest = name.substring("io.rpctrace.".length());
        if (rest.indexOf('.') < 0) {
            return !"**".equals(rest);   // io.rpctrace.Trace, io.rpctrace.*; not io.rpctrace.**
        }
        for (String p : RPCTRACE) {
            if (rest.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when some pattern names the class {@code className} (binary name, {@code a.b.C$D}),
     * never one of rpctrace's own.
     */
    boolean mayName(String className) {
        if (className.startsWith("io.rpctrace.") && isRpctrace(className)) {
            return false;
        }
        for (int i = 0; i < patterns.size(); i++) {
            if (patterns.get(i).namesClass(className)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The first pattern that selects {@code method} of {@code className} by name, or null. A
     * pattern without a method list selects every name here: the caller keeps the public
     * methods only ({@link Pattern#explicitMethods()}).
     */
    Pattern match(String className, String method) {
        for (int i = 0; i < patterns.size(); i++) {
            Pattern p = patterns.get(i);
            if (p.namesClass(className) && p.namesMethod(method)) {
                return p;
            }
        }
        return null;
    }

    /** One parsed pattern. */
    static final class Pattern {
        private final String text;
        /** The package with its trailing dot ({@code com.shop.}), or "" for the default package. */
        private final String pkg;
        private final boolean subPackages;
        /** Glob on the simple (binary) name: "*" any, or with one or more {@code *} inside. */
        private final String simpleGlob;
        /** Method names, or null for "the public methods". */
        private final List<String> methods;
        private final boolean metricsOnly;

        private Pattern(String text, String pkg, boolean subPackages, String simpleGlob, List<String> methods,
                        boolean metricsOnly) {
            this.text = text;
            this.pkg = pkg;
            this.subPackages = subPackages;
            this.simpleGlob = simpleGlob;
            this.methods = methods;
            this.metricsOnly = metricsOnly;
        }

        static Pattern parse(String text) {
            String s = text;
            boolean metricsOnly = false;
            int colon = s.lastIndexOf(':');
            if (colon >= 0) {
                String sw = s.substring(colon + 1).trim();
                if (!"metrics".equals(sw)) {
                    throw new IllegalArgumentException("has an unknown switch ':" + sw + "' (only ':metrics')");
                }
                metricsOnly = true;
                s = s.substring(0, colon).trim();
            }
            List<String> methods = null;
            int open = s.indexOf('[');
            if (open >= 0) {
                if (!s.endsWith("]")) {
                    throw new IllegalArgumentException("has no closing ] at the end of its method list");
                }
                methods = new ArrayList<>();
                for (String m : s.substring(open + 1, s.length() - 1).split("[,|]")) {
                    String name = m.trim();
                    if (name.isEmpty()) {
                        continue;
                    }
                    if (!isIdentifier(name) || "<init>".equals(name)) {
                        throw new IllegalArgumentException("has a method name that is not a Java identifier: '" + name + "'");
                    }
                    methods.add(name);
                }
                if (methods.isEmpty()) {
                    throw new IllegalArgumentException("has an empty method list");
                }
                s = s.substring(0, open).trim();
            } else if (s.indexOf(']') >= 0) {
                throw new IllegalArgumentException("has a ] without [");
            }
            if (s.isEmpty()) {
                throw new IllegalArgumentException("names no class");
            }
            for (String f : FORBIDDEN) {
                if (s.startsWith(f)) {
                    throw new IllegalArgumentException("is in " + f + "*, which rpctrace does not trace (the tracer itself runs on it)");
                }
            }
            if (isRpctrace(s)) {
                throw new IllegalArgumentException("is rpctrace's own code, which it does not trace");
            }
            int dot = s.lastIndexOf('.');
            String pkgPart = dot < 0 ? "" : s.substring(0, dot);
            String last = s.substring(dot + 1);
            boolean sub = false;
            if ("**".equals(last)) {
                sub = true;
                last = "*";
            }
            if (dot < 0 && "*".equals(last)) {
                throw new IllegalArgumentException("names every class: give a package (com.shop.*)");
            }
            for (String seg : pkgPart.isEmpty() ? new String[0] : pkgPart.split("\\.", -1)) {
                if (!isIdentifier(seg)) {
                    throw new IllegalArgumentException(seg.indexOf('*') >= 0
                            ? "has a * in its package: only the class name may have one (com.shop.*, com.shop.**, com.shop.*Dao)"
                            : "is not a class name (segment '" + seg + "')");
                }
            }
            if (last.isEmpty() || !isIdentifier(last.replace("*", "").isEmpty() ? "x" : last.replace("*", "x"))) {
                throw new IllegalArgumentException("is not a class name (segment '" + last + "')");
            }
            return new Pattern(text, pkgPart.isEmpty() ? "" : pkgPart + ".", sub, last,
                    methods == null ? null : Collections.unmodifiableList(methods), metricsOnly);
        }

        /** A Java identifier, {@code $} included (binary names of nested classes). */
        private static boolean isIdentifier(String s) {
            if (s.isEmpty() || !Character.isJavaIdentifierStart(s.charAt(0))) {
                return false;
            }
            for (int i = 1; i < s.length(); i++) {
                if (!Character.isJavaIdentifierPart(s.charAt(i))) {
                    return false;
                }
            }
            return true;
        }

        /** True when this pattern selects the class {@code className}. */
        boolean namesClass(String className) {
            if (!className.startsWith(pkg)) {
                return false;
            }
            String rest = className.substring(pkg.length());
            int dot = rest.lastIndexOf('.');
            if (dot >= 0) {
                if (!subPackages) {
                    return false;
                }
                rest = rest.substring(dot + 1);
            }
            return glob(simpleGlob, rest);
        }

        /** True when the method list names {@code method}, or there is no list. */
        boolean namesMethod(String method) {
            return methods == null || methods.contains(method);
        }

        /** True when the pattern names its methods (then any visibility is traced). */
        boolean explicitMethods() {
            return methods != null;
        }

        boolean metricsOnly() {
            return metricsOnly;
        }

        @Override
        public String toString() {
            return text;
        }

        /** {@code *} matches any run of characters (none included); everything else matches itself. */
        static boolean glob(String glob, String s) {
            return glob(glob, 0, s, 0);
        }

        private static boolean glob(String g, int gi, String s, int si) {
            while (gi < g.length()) {
                char c = g.charAt(gi);
                if (c == '*') {
                    for (int k = s.length(); k >= si; k--) {
                        if (glob(g, gi + 1, s, k)) {
                            return true;
                        }
                    }
                    return false;
                }
                if (si >= s.length() || s.charAt(si) != c) {
                    return false;
                }
                gi++;
                si++;
            }
            return si == s.length();
        }
    }
}
