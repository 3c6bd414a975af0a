package io.rpctrace.instrumentation.api;

import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The class the agent is deciding about on this thread, with its loader and its class file:
 * the agent {@linkplain #enter enters} it before any matcher runs and {@linkplain #exit exits}
 * when the decision is made. Matchers that see every class the JVM loads answer from the
 * class file's bytes ({@link SuperTypes}, {@link #mayMention}) instead of having Byte Buddy
 * parse the whole class. For any other type (a class already loaded, a test's description)
 * they fall back to the type description.
 */
public final class LoadingClass {
    private static final ThreadLocal<LoadingClass> CURRENT = new ThreadLocal<LoadingClass>() {
        @Override
        protected LoadingClass initialValue() {
            return new LoadingClass();
        }
    };

    private String name;
    private ClassLoader loader;
    private ClassFileLocator locator;
    private byte[] bytes;
    private boolean read;
    private ProtectionDomain domain;
    /** Bits of {@link TypeHierarchy} for this class, valid when {@code generation} is current. */
    long summary;
    int generation = -1;

    private LoadingClass() {
    }

    /** Called by the agent for each class it is offered, before matching. */
    public static void enter(String name, ClassLoader loader, ClassFileLocator locator) {
        LoadingClass c = CURRENT.get();
        c.name = name;
        c.loader = loader;
        c.locator = locator;
        c.bytes = null;
        c.read = false;
        c.domain = null;
        c.generation = -1;
    }

    /**
     * Called by the agent with the protection domain of the class entered on this thread (it
     * says which jar the class comes from: {@link PackageLocations}).
     */
    public static void domain(ProtectionDomain domain) {
        CURRENT.get().domain = domain;
    }

    /** Called by the agent when the class is decided: nothing of it (its loader) stays referenced. */
    public static void exit() {
        LoadingClass c = CURRENT.get();
        c.name = null;
        c.loader = null;
        c.locator = null;
        c.bytes = null;
        c.domain = null;
        c.generation = -1;
    }

    /** The class being decided on this thread if it is {@code type}, else null. */
    static LoadingClass of(TypeDescription type) {
        LoadingClass c = CURRENT.get();
        String n = c.name;
        return n != null && n.equals(type.getName()) && c.bytes() != null ? c : null;
    }

    String name() {
        return name;
    }

    ClassLoader loader() {
        return loader;
    }

    ProtectionDomain domain() {
        return domain;
    }

    /** The class file as offered to the agent, or null when it cannot be read. */
    byte[] bytes() {
        if (!read) {
            read = true;
            try {
                bytes = locator.locate(name).resolve();
            } catch (Exception | LinkageError e) {
                bytes = null;
            }
        }
        return bytes;
    }

    /**
     * False only when {@code type} is the class being loaded and its constant pool has no entry
     * {@code ascii} (e.g. {@code "Lcom/example/Traced;"}, the type of an annotation on the class
     * or any member): a cheap test to put before a matcher that needs the class parsed
     * ({@code isAnnotatedWith}, {@code declaresMethod}).
     */
    public static ElementMatcher.Junction<TypeDescription> mayMention(String ascii) {
        final byte[] needle = ascii.getBytes(StandardCharsets.US_ASCII);
        return new ElementMatcher.Junction.AbstractBase<TypeDescription>() {
            @Override
            public boolean matches(TypeDescription type) {
                LoadingClass c = of(type);
                return c == null || ClassHeader.poolContains(c.bytes, needle);
            }

            @Override
            public String toString() {
                return "mayMention(" + ascii + ")";
            }
        };
    }
}
