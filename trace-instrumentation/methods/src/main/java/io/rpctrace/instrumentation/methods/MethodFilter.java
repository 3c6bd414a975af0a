package io.rpctrace.instrumentation.methods;

/**
 * Which public methods a class pattern leaves out: getters, setters and the methods every
 * object has. They are cheap, called often (serializers, logs, collections) and say nothing
 * about the module; a pattern that names them in its method list traces them anyway.
 */
final class MethodFilter {
    private MethodFilter() {
    }

    /**
     * True for {@code getX()} returning something, {@code isX()} returning boolean,
     * {@code setX(v)} returning void, and {@code toString()}, {@code hashCode()},
     * {@code equals(o)}.
     */
    static boolean isAccessorOrObjectMethod(String name, int params, boolean returnsVoid, boolean returnsBoolean) {
        if (params == 0 && ("toString".equals(name) || "hashCode".equals(name))) {
            return true;
        }
        if (params == 1 && "equals".equals(name)) {
            return true;
        }
        if (params == 0 && !returnsVoid && property(name, "get")) {
            return true;
        }
        if (params == 0 && returnsBoolean && property(name, "is")) {
            return true;
        }
        return params == 1 && returnsVoid && property(name, "set");
    }

    /** {@code getName} for "get", not {@code getaway} nor {@code get}. */
    private static boolean property(String name, String prefix) {
        return name.length() > prefix.length() && name.startsWith(prefix)
                && !Character.isLowerCase(name.charAt(prefix.length()));
    }
}
