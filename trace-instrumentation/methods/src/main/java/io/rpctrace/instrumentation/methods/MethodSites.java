package io.rpctrace.instrumentation.methods;

import io.rpctrace.Traced;
import io.rpctrace.internal.Tracing;
import java.lang.reflect.Method;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The {@link MethodSite} of each traced method, resolved on its first call and then found
 * without allocating: a {@link ClassValue} per class (it goes away with the class) holding a
 * map keyed by the method's signature, a class-file constant whose hash is cached.
 */
public final class MethodSites {
    private static final ClassValue<ConcurrentMap<String, MethodSite>> SITES =
            new ClassValue<ConcurrentMap<String, MethodSite>>() {
                @Override
                protected ConcurrentMap<String, MethodSite> computeValue(Class<?> type) {
                    return new ConcurrentHashMap<>(4);
                }
            };

    private MethodSites() {
    }

    /**
     * The site of {@code type}'s method {@code signature} ({@code place(java.lang.String,int)}).
     * Never null.
     */
    public static MethodSite of(Class<?> type, String signature) {
        ConcurrentMap<String, MethodSite> sites = SITES.get(type);
        MethodSite s = sites.get(signature);
        if (s == null) {
            // not computeIfAbsent: resolving reflects on the class, which may run other traced
            // methods (a static initialiser) and so come back here for another key
            s = resolve(type, signature);
            MethodSite raced = sites.putIfAbsent(signature, s);
            if (raced != null) {
                s = raced;
            }
        }
        return s;
    }

    static MethodSite resolve(Class<?> type, String signature) {
        String className = type.getName();
        int paren = signature.indexOf('(');
        String method = paren < 0 ? signature : signature.substring(0, paren);
        String params = paren < 0 ? "()" : signature.substring(paren);
        Traced traced = annotation(type, method, params);
        MethodPatterns.Pattern pattern = MethodSettings.patterns().match(className, method);
        boolean records = MethodSettings.records() && (pattern == null || !pattern.metricsOnly())
                && (traced == null || traced.records());
        String moduleName = traced != null && !traced.module().isEmpty() ? traced.module() : simpleName(className);
        String function = traced != null && !traced.name().isEmpty() ? traced.name() : method;
        String service = Tracing.get().service().name();
        return new MethodSite(service + '_' + moduleName + '_' + function,
                className + '.' + method + simpleParams(params), records);
    }

    /** The method's {@code @Traced}, else its class's, else null. */
    private static Traced annotation(Class<?> type, String method, String params) {
        try {
            for (Method m : type.getDeclaredMethods()) {
                if (m.getName().equals(method) && params.equals(javaSignature(m))) {
                    Traced t = m.getAnnotation(Traced.class);
                    if (t != null) {
                        return t;
                    }
                    break;
                }
            }
            return type.getAnnotation(Traced.class);
        } catch (Throwable e) {
            // a parameter type that cannot be loaded: the defaults apply
            return null;
        }
    }

    /** {@code (java.lang.String,[I)}: binary names, as the advice's {@code #s} renders them. */
    static String javaSignature(Method m) {
        StringBuilder sb = new StringBuilder("(");
        Class<?>[] p = m.getParameterTypes();
        for (int i = 0; i < p.length; i++) {
            sb.append(i == 0 ? "" : ",").append(p[i].getName());
        }
        return sb.append(')').toString();
    }

    /** {@code com.shop.Order$Line} → {@code Line}; {@code com.shop.Order$1} → {@code Order$1}. */
    static String simpleName(String className) {
        String s = className.substring(className.lastIndexOf('.') + 1);
        int dollar = s.lastIndexOf('$');
        if (dollar >= 0 && dollar + 1 < s.length() && !Character.isDigit(s.charAt(dollar + 1))) {
            return s.substring(dollar + 1);
        }
        return s;
    }

    /**
     * {@code (java.lang.String,java.util.List,[I,[[Ljava.lang.Object;)} →
     * {@code (String,List,int[],Object[][])}.
     */
    static String simpleParams(String params) {
        StringBuilder sb = new StringBuilder(params.length());
        int start = 0;
        for (int i = 0; i < params.length(); i++) {
            char c = params.charAt(i);
            if (c == '(' || c == ',' || c == ')') {
                if (i > start) {
                    sb.append(simpleType(params.substring(start, i)));
                }
                sb.append(c);
                start = i + 1;
            }
        }
        return sb.toString();
    }

    /** A binary type name by its simple name; arrays ({@code [I}, {@code [Ljava.lang.String;}) with {@code []}. */
    static String simpleType(String binary) {
        int dims = 0;
        while (dims < binary.length() && binary.charAt(dims) == '[') {
            dims++;
        }
        if (dims == 0) {
            return simpleName(binary);
        }
        String element = binary.substring(dims);
        String name;
        switch (element) {
            case "Z": name = "boolean"; break;
            case "B": name = "byte"; break;
            case "C": name = "char"; break;
            case "S": name = "short"; break;
            case "I": name = "int"; break;
            case "J": name = "long"; break;
            case "F": name = "float"; break;
            case "D": name = "double"; break;
            default:
                name = simpleName(element.startsWith("L") && element.endsWith(";")
                        ? element.substring(1, element.length() - 1) : element);
        }
        StringBuilder sb = new StringBuilder(name);
        for (int i = 0; i < dims; i++) {
            sb.append("[]");
        }
        return sb.toString();
    }
}
