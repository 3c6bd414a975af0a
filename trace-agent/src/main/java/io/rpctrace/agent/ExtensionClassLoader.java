package io.rpctrace.agent;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.commons.ClassRemapper;
import net.bytebuddy.jar.asm.commons.Remapper;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Loads extension modules ({@code agent.extensions}) compiled against the plain
 * {@code net.bytebuddy} API: their classes, and the class files Byte Buddy reads as advice,
 * are rewritten to the agent's relocated Byte Buddy on the way in. The SPI and Byte Buddy
 * come from the agent (parent-first); only the extension's own classes are defined here.
 */
final class ExtensionClassLoader extends URLClassLoader {
    // Built at run time: the shade plugin would rewrite a literal into the relocated name.
    private static final String PLAIN = String.join("/", "net", "bytebuddy", "");
    private static final String RELOCATED = relocatedPrefix();

    ExtensionClassLoader(URL[] urls, ClassLoader agentLoader) {
        super(urls, agentLoader);
    }

    private static String relocatedPrefix() {
        String matcher = ElementMatcher.class.getName().replace('.', '/');   // <prefix>matcher/ElementMatcher
        return matcher.substring(0, matcher.length() - "matcher/ElementMatcher".length());
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        URL url = findResource(name.replace('.', '/') + ".class");
        if (url == null) {
            throw new ClassNotFoundException(name);
        }
        try {
            byte[] bytes = relocate(read(url));
            return defineClass(name, bytes, 0, bytes.length);
        } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
        }
    }

    @Override
    public InputStream getResourceAsStream(String name) {
        URL own = name.endsWith(".class") ? findResource(name) : null;
        if (own == null) {
            return super.getResourceAsStream(name);
        }
        try {
            return new ByteArrayInputStream(relocate(read(own)));
        } catch (IOException e) {
            return null;
        }
    }

    static byte[] relocate(byte[] classFile) {
        if (PLAIN.equals(RELOCATED)) {
            return classFile;      // running unshaded (IDE)
        }
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(0);
        reader.accept(new ClassRemapper(writer, new Remapper() {
            @Override
            public String map(String internalName) {
                return internalName.startsWith(PLAIN) ? RELOCATED + internalName.substring(PLAIN.length()) : internalName;
            }
        }), 0);
        return writer.toByteArray();
    }

    private static byte[] read(URL url) throws IOException {
        try (InputStream in = url.openStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        }
    }
}
