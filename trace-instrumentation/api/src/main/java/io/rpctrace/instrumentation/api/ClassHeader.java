package io.rpctrace.instrumentation.api;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The direct supertypes named in a class file's header (superclass and interfaces), read
 * without parsing the rest of the file: the constant pool is skipped entry by entry, then
 * the three fields after it are read. A hierarchy walk needs nothing else, and this makes
 * no garbage beyond the names (a full parse describes every method, field and annotation).
 */
final class ClassHeader {
    private static final String[] NONE = new String[0];
    /** Sizes kept per thread for reuse; a larger class file gets an array of its own. */
    private static final int KEPT_BUFFER = 16 * 1024;
    private static final int KEPT_OFFSETS = 4096;
    private static final ThreadLocal<byte[]> BUFFER = new ThreadLocal<byte[]>() {
        @Override
        protected byte[] initialValue() {
            return new byte[KEPT_BUFFER];
        }
    };
    private static final ThreadLocal<int[]> OFFSETS = new ThreadLocal<int[]>() {
        @Override
        protected int[] initialValue() {
            return new int[KEPT_OFFSETS];
        }
    };

    private ClassHeader() {
    }

    /**
     * Binary names ({@code java.lang.Object}) of the superclass (if any) and the interfaces,
     * in that order; null when {@code bytes} is not a readable class file.
     */
    static String[] supertypes(byte[] bytes) {
        return bytes == null ? null : supertypes(bytes, bytes.length);
    }

    /** As {@link #supertypes(byte[])}, for a class file in the first {@code length} bytes of {@code bytes}. */
    static String[] supertypes(byte[] bytes, int length) {
        try {
            if (length < 10 || readInt(bytes, 0) != 0xCAFEBABE) {
                return null;
            }
            int count = readShort(bytes, 8);
            int[] offsets = OFFSETS.get();     // start of each constant's payload (after the tag)
            if (offsets.length < count) {
                offsets = new int[count];
            }
            int p = 10;
            for (int i = 1; i < count; i++) {
                if (p >= length) {
                    return null;
                }
                int tag = bytes[p] & 0xFF;
                offsets[i] = p + 1;
                switch (tag) {
                    case 1:                                         // Utf8
                        p += 3 + readShort(bytes, p + 1);
                        break;
                    case 7: case 8: case 16: case 19: case 20:      // Class, String, MethodType, Module, Package
                        p += 3;
                        break;
                    case 15:                                        // MethodHandle
                        p += 4;
                        break;
                    case 3: case 4: case 9: case 10: case 11: case 12: case 17: case 18:
                        p += 5;
                        break;
                    case 5: case 6:                                 // Long, Double: two slots
                        p += 9;
                        i++;
                        break;
                    default:
                        return null;
                }
            }
            if (p + 8 > length) {
                return null;
            }
            int superIndex = readShort(bytes, p + 4);
            int interfaces = readShort(bytes, p + 6);
            if (p + 8 + 2 * interfaces > length) {
                return null;
            }
            String[] names = new String[(superIndex == 0 ? 0 : 1) + interfaces];
            if (names.length == 0) {
                return NONE;
            }
            int n = 0;
            if (superIndex != 0) {
                names[n++] = className(bytes, offsets, count, superIndex);
            }
            for (int i = 0; i < interfaces; i++) {
                names[n++] = className(bytes, offsets, count, readShort(bytes, p + 8 + 2 * i));
            }
            return names;
        } catch (RuntimeException e) {
            return null;                                            // truncated or malformed
        }
    }

    /**
     * Whether the constant pool of class file {@code bytes} holds the string {@code ascii} as an
     * entry of its own. Every name, descriptor and annotation type a class file uses is such an
     * entry ({@code Lcom/example/Ann;} for an annotation of that type, on the class or on any of
     * its members), so a class without it cannot carry that annotation. Only entries of the same
     * length are compared, and the code after the pool is never read: the methods module asks
     * this of every class loaded. True when {@code bytes} is not a readable class file (the full
     * matcher then decides).
     */
    static boolean poolContains(byte[] bytes, byte[] ascii) {
        int length = bytes.length;
        try {
            if (length < 10 || readInt(bytes, 0) != 0xCAFEBABE) {
                return true;
            }
            int count = readShort(bytes, 8);
            int p = 10;
            for (int i = 1; i < count; i++) {
                switch (bytes[p] & 0xFF) {
                    case 1:                                         // Utf8
                        int n = readShort(bytes, p + 1);
                        if (n == ascii.length && equalAt(bytes, p + 3, ascii)) {
                            return true;
                        }
                        p += 3 + n;
                        break;
                    case 7: case 8: case 16: case 19: case 20:
                        p += 3;
                        break;
                    case 15:
                        p += 4;
                        break;
                    case 3: case 4: case 9: case 10: case 11: case 12: case 17: case 18:
                        p += 5;
                        break;
                    case 5: case 6:
                        p += 9;
                        i++;
                        break;
                    default:
                        return true;
                }
            }
            return false;
        } catch (RuntimeException e) {
            return true;                                            // truncated: let the full matcher decide
        }
    }

    private static boolean equalAt(byte[] bytes, int at, byte[] ascii) {
        for (int j = 0; j < ascii.length; j++) {
            if (bytes[at + j] != ascii[j]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The supertypes of class {@code name} as {@code loader} (null: the bootstrap loader) sees
     * it, read from its class file resource into this thread's buffer; null when not found.
     */
    static String[] supertypes(ClassLoader loader, String name) {
        String resource = name.replace('.', '/') + ".class";
        try (InputStream in = open(loader, resource)) {
            if (in == null) {
                return null;
            }
            byte[] buffer = BUFFER.get();
            int n = 0;
            for (int r; (r = in.read(buffer, n, buffer.length - n)) > 0; ) {
                n += r;
                if (n == buffer.length) {
                    buffer = Arrays.copyOf(buffer, 2 * buffer.length);
                }
            }
            return supertypes(buffer, n);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Design note: a {@link URLClassLoader} (Spring Boot's launcher's too) is asked for its own
     * jars first ({@code findResource}), and only when they lack the class through
     * {@code getResourceAsStream}, which asks the parents first. A supertype read here is
     * almost always the application's own, and the parents' lookup searched the JDK's module
     * image for each name in vain: half the time the petclinic start spent reading supertypes.
     * A class present in both a parent and the child (a duplicate on the class path) is read
     * from the child's copy, where the JVM would use the parent's; both copies name the same
     * supertypes unless they are different versions of the class.
     */
    private static InputStream open(ClassLoader loader, String resource) throws IOException {
        if (loader == null) {
            return ClassLoader.getSystemResourceAsStream(resource);
        }
        InputStream known = PackageLocations.open(loader, resource.substring(0, resource.length() - 6).replace('/', '.'),
                resource);
        if (known != null) {
            return known;
        }
        if (loader instanceof URLClassLoader) {
            URL own = ((URLClassLoader) loader).findResource(resource);
            if (own != null) {
                return own.openStream();
            }
        }
        return loader.getResourceAsStream(resource);
    }

    private static String className(byte[] bytes, int[] offsets, int count, int classIndex) {
        int nameIndex = classIndex < count ? readShort(bytes, offsets[classIndex]) : count;
        if (nameIndex >= count) {
            throw new IllegalArgumentException("constant " + classIndex + " out of the pool");
        }
        int utf8 = offsets[nameIndex];
        int length = readShort(bytes, utf8);
        int start = utf8 + 2;
        for (int i = start; i < start + length; i++) {
            if (bytes[i] < 0) {
                return modifiedUtf8(bytes, start, length).replace('/', '.');
            }
        }
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            byte b = bytes[start + i];
            chars[i] = b == '/' ? '.' : (char) b;
        }
        return new String(chars);
    }

    /** A non-ASCII name: the class file's modified UTF-8 (no supplementary or NUL bytes in names in practice). */
    private static String modifiedUtf8(byte[] bytes, int start, int length) {
        return new String(bytes, start, length, StandardCharsets.UTF_8);
    }

    private static int readShort(byte[] b, int p) {
        return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
    }

    private static int readInt(byte[] b, int p) {
        return (readShort(b, p) << 16) | readShort(b, p + 2);
    }
}
