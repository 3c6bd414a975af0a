package io.rpctrace.agent;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.instrumentation.api.SuperTypes;
import java.io.Serializable;
import java.util.concurrent.Callable;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

class SuperTypesTest {
    interface Base extends Callable<String> {
    }

    abstract static class Parent implements Base {
    }

    abstract static class Child extends Parent implements Serializable {
    }

    @Test
    void matchesTheTypeItselfItsSuperclassesAndEveryInterface() {
        for (TypeDescription child : new TypeDescription[] {
            TypeDescription.ForLoadedType.of(Child.class),
            TypePool.Default.of(ClassFileLocator.ForClassLoader.of(getClass().getClassLoader()))
                    .describe(Child.class.getName()).resolve(),
        }) {
            assertTrue(SuperTypes.named(Child.class.getName()).matches(child));
            assertTrue(SuperTypes.named(Parent.class.getName()).matches(child));
            assertTrue(SuperTypes.named(Base.class.getName()).matches(child));
            assertTrue(SuperTypes.named("java.util.concurrent.Callable").matches(child));
            assertTrue(SuperTypes.named("java.io.Serializable").matches(child));
            assertTrue(SuperTypes.named("java.lang.Object").matches(child));
            assertFalse(SuperTypes.named("java.lang.Runnable").matches(child));
        }
    }

    @Test
    void aMissingSupertypeEndsItsBranchWithoutThrowing() {
        // A class file whose superclass and interface no class loader can find.
        net.bytebuddy.jar.asm.ClassWriter writer = new net.bytebuddy.jar.asm.ClassWriter(0);
        writer.visit(net.bytebuddy.jar.asm.Opcodes.V1_8, net.bytebuddy.jar.asm.Opcodes.ACC_PUBLIC, "com/example/Orphan",
                null, "com/example/Missing", new String[] {"java/io/Serializable"});
        writer.visitEnd();
        byte[] bytes = writer.toByteArray();
        // Described lazily, as the agent's type pool does: a supertype's name is known unresolved.
        TypePool pool = new TypePool.Default.WithLazyResolution(new TypePool.CacheProvider.Simple(),
                new ClassFileLocator.Compound(ClassFileLocator.Simple.of("com.example.Orphan", bytes),
                        ClassFileLocator.ForClassLoader.ofSystemLoader()), TypePool.Default.ReaderMode.FAST);
        TypeDescription orphan = pool.describe("com.example.Orphan").resolve();
        assertTrue(SuperTypes.named("java.io.Serializable").matches(orphan));
        assertTrue(SuperTypes.named("com.example.Missing").matches(orphan));
        assertFalse(SuperTypes.named("java.sql.Driver").matches(orphan));
    }
}
