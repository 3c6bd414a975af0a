package io.rpctrace.agent;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.instrumentation.api.LoadingClass;
import io.rpctrace.instrumentation.api.SuperTypes;
import java.io.Serializable;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.concurrent.Callable;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.matcher.ElementMatcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class being loaded is matched from its class-file header: a description of the same name
 * that says otherwise (a latent type extending only Object) is not consulted while the class is
 * entered, and is again once it is exited.
 */
class LoadingClassTest {
    interface Base extends Callable<String> {
    }

    abstract static class Parent implements Base {
    }

    @AfterEach
    void exit() {
        LoadingClass.exit();
    }

    /** A class file: {@code name extends superName implements interfaces}, with a long and a double constant. */
    private static byte[] classFile(String name, String superName, String... interfaces) {
        ClassWriter writer = new ClassWriter(0);
        writer.visit(Opcodes.V1_8, Opcodes.ACC_PUBLIC, name.replace('.', '/'), null,
                superName == null ? null : superName.replace('.', '/'), interfaces);
        // Long and Double take two constant-pool slots; the header reader must skip them right.
        writer.visitField(Opcodes.ACC_STATIC | Opcodes.ACC_FINAL, "L", "J", null, 1234567890123L).visitEnd();
        writer.visitField(Opcodes.ACC_STATIC | Opcodes.ACC_FINAL, "D", "D", null, 2.5d).visitEnd();
        writer.visitField(Opcodes.ACC_STATIC | Opcodes.ACC_FINAL, "S", "Ljava/lang/String;", null, "text").visitEnd();
        writer.visitEnd();
        return writer.toByteArray();
    }

    private static TypeDescription latent(String name) {
        return new TypeDescription.Latent(name, Visibility.PUBLIC.getMask(), TypeDescription.Generic.OfNonGenericType.ForLoadedType.of(Object.class));
    }

    private static void enter(String name, byte[] bytes) {
        LoadingClass.enter(name, LoadingClassTest.class.getClassLoader(), new ClassFileLocator.Compound(
                ClassFileLocator.Simple.of(name, bytes), ClassFileLocator.ForClassLoader.of(LoadingClassTest.class.getClassLoader())));
    }

    @Test
    void supertypesComeFromTheHeaderAndFromTheSupertypesClassFiles() {
        String name = "com.example.header.Child";
        String[] interfaces = {Serializable.class.getName().replace('.', '/'), "java/util/RandomAccess"};
        enter(name, classFile(name, Parent.class.getName(), interfaces));
        TypeDescription child = latent(name);
        assertTrue(SuperTypes.named(name).matches(child));
        assertTrue(SuperTypes.named(Parent.class.getName()).matches(child), "superclass, from the header");
        assertTrue(SuperTypes.named(Base.class.getName()).matches(child), "the superclass's interface, from its class file");
        assertTrue(SuperTypes.named("java.util.concurrent.Callable").matches(child), "two levels up");
        assertTrue(SuperTypes.named("java.io.Serializable").matches(child));
        assertTrue(SuperTypes.named("java.util.RandomAccess").matches(child));
        assertTrue(SuperTypes.named("java.lang.Object").matches(child));
        assertFalse(SuperTypes.named("java.lang.Runnable").matches(child));
        assertFalse(SuperTypes.concreteSubtypeOf("java.sql.Driver").matches(child));

        LoadingClass.exit();
        assertFalse(SuperTypes.named(Parent.class.getName()).matches(child), "exited: the description answers");
        assertTrue(SuperTypes.named("java.lang.Object").matches(child));
    }

    @Test
    void aSupertypesClassFileLargerThanTheReadBufferIsReadWhole() throws Exception {
        try (java.io.InputStream in = ClassLoader.getSystemResourceAsStream("java/util/concurrent/ConcurrentHashMap.class")) {
            assertTrue(in.available() > 16 * 1024 || in.skip(16 * 1024 + 1) > 16 * 1024, "the case needs a large class file");
        }
        String name = "com.example.header.BigMap";
        enter(name, classFile(name, "java.util.concurrent.ConcurrentHashMap"));
        assertTrue(SuperTypes.named("java.util.concurrent.ConcurrentMap").matches(latent(name)));
        assertTrue(SuperTypes.named("java.util.AbstractMap").matches(latent(name)));
    }

    @Test
    void aSupertypeNoLoaderFindsCountsByNameOnly() {
        String name = "com.example.header.Orphan";
        enter(name, classFile(name, "com.example.header.Missing", "java/io/Serializable"));
        TypeDescription orphan = latent(name);
        assertTrue(SuperTypes.named("com.example.header.Missing").matches(orphan));
        assertTrue(SuperTypes.named("java.io.Serializable").matches(orphan));
        assertFalse(SuperTypes.named("java.sql.Driver").matches(orphan));
    }

    @Test
    void anotherTypeOfTheSameThreadIsAnsweredByItsDescription() {
        enter("com.example.header.Other", classFile("com.example.header.Other", "java.lang.Object"));
        assertTrue(SuperTypes.named(Base.class.getName()).matches(TypeDescription.ForLoadedType.of(Parent.class)));
        assertFalse(SuperTypes.named(Base.class.getName()).matches(latent("com.example.header.Other")));
    }

    @Test
    void mayMentionIsFalseOnlyForTheLoadingClassWithoutTheName() {
        ElementMatcher<TypeDescription> traced = LoadingClass.mayMention("Lio/rpctrace/Traced;");
        String name = "com.example.header.Plain";
        enter(name, classFile(name, "java.lang.Object"));
        assertFalse(traced.matches(latent(name)));
        assertTrue(traced.matches(latent("com.example.header.NotLoading")), "unknown bytes: the full matcher decides");

        ClassWriter writer = new ClassWriter(0);
        writer.visit(Opcodes.V1_8, Opcodes.ACC_PUBLIC, "com/example/header/Annotated", null, "java/lang/Object", null);
        writer.visitAnnotation("Lio/rpctrace/Traced;", false).visitEnd();
        writer.visitEnd();
        enter("com.example.header.Annotated", writer.toByteArray());
        assertTrue(traced.matches(latent("com.example.header.Annotated")));

        writer = new ClassWriter(0);
        writer.visit(Opcodes.V1_8, Opcodes.ACC_PUBLIC, "com/example/header/OnAMethod", null, "java/lang/Object", null);
        writer.visitField(Opcodes.ACC_STATIC, "NOTE", "Ljava/lang/String;", null, "see Lio/rpctrace/Traced; below").visitEnd();
        writer.visitMethod(Opcodes.ACC_PUBLIC, "run", "()V", null, null)
                .visitAnnotation("Lio/rpctrace/Traced;", true).visitEnd();
        writer.visitEnd();
        enter("com.example.header.OnAMethod", writer.toByteArray());
        assertTrue(traced.matches(latent("com.example.header.OnAMethod")), "an annotated method");

        writer = new ClassWriter(0);
        writer.visit(Opcodes.V1_8, Opcodes.ACC_PUBLIC, "com/example/header/Quoted", null, "java/lang/Object", null);
        writer.visitField(Opcodes.ACC_STATIC, "NOTE", "Ljava/lang/String;", null, "see Lio/rpctrace/Traced; below").visitEnd();
        writer.visitEnd();
        enter("com.example.header.Quoted", writer.toByteArray());
        assertFalse(traced.matches(latent("com.example.header.Quoted")), "the name inside a longer string is no annotation");
        LoadingClass.exit();
        assertTrue(traced.matches(latent(name)), "exited");
    }

    @Test
    void aSupertypeIsReadFromTheJarItsPackageCameFrom(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("lib.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("com/example/jar/Base.class"));
            out.write(classFile("com.example.jar.Base", "java.lang.Object", "java/util/RandomAccess"));
            out.closeEntry();
        }
        ProtectionDomain fromJar = new ProtectionDomain(
                new CodeSource(new URL("jar:" + jar.toUri() + "!/"), (Certificate[]) null), null);
        String name = "com.example.jar.Child";
        ElementMatcher<TypeDescription> randomAccess = SuperTypes.named("java.util.RandomAccess");

        // Loaders that cannot find the jar's classes themselves: only the jar of the package can.
        ClassLoader unknown = new URLClassLoader(new URL[0], null);
        LoadingClass.enter(name, unknown, ClassFileLocator.Simple.of(name, classFile(name, "com.example.jar.Base")));
        assertFalse(randomAccess.matches(latent(name)), "no jar known: Base cannot be read");

        ClassLoader known = new URLClassLoader(new URL[0], null);
        LoadingClass.enter(name, known, ClassFileLocator.Simple.of(name, classFile(name, "com.example.jar.Base")));
        LoadingClass.domain(fromJar);
        assertTrue(randomAccess.matches(latent(name)), "Base's interface, read from the jar Child came from");
    }

    @Test
    void aNonAsciiNameIsRead() {
        String name = "com.example.header.Kind\u00e9";
        String parent = "com.example.header.Eltern\u00fc";
        enter(name, classFile(name, parent));
        assertTrue(SuperTypes.named(parent).matches(latent(name)));
    }
}
