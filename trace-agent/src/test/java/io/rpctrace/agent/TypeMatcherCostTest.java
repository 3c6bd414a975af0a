package io.rpctrace.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.instrumentation.api.InstrumentationModule;
import io.rpctrace.instrumentation.api.LoadingClass;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

/**
 * Every bundled type matcher turns away a class it does not instrument from the class's name and
 * class-file header alone. The agent offers each of the thousands of classes an application loads
 * to every matcher; asking a description for anything else (modifiers, methods, annotations, a
 * supertype through Byte Buddy's pool) parses the class file, or reads and parses its supertypes',
 * for every class (docs/RATIONALE.md, "Start-up: classes are ignored by name, hierarchies walked
 * once, supertypes cached").
 */
class TypeMatcherCostTest {
    /**
     * An unrelated class in each package prefix a bundled matcher narrows to first, and one
     * outside all of them: past a name test, only the header may be read.
     */
    private static final String[] UNRELATED = {
        "com.example.shop.OrderService",
        "redis.clients.jedis.util.SafeEncoderLike",
        "io.lettuce.core.internal.HostAndPortLike",
        "reactor.core.scheduler.SchedulersLike",
        "org.apache.logging.log4j.core.util.ClockLike",
        "org.springframework.kafka.listener.ContainerLike",
        "org.springframework.amqp.rabbit.listener.ContainerLike",
        "org.apache.dubbo.rpc.InvokerLike",
        "org.apache.rocketmq.client.impl.ClientLike",
        "io.grpc.internal.CallLike",
        "okhttp3.internal.CallLike",
    };

    @Test
    void unrelatedClassesAreTurnedAwayFromTheirNameAndHeader() {
        int matchers = 0;
        List<String> parsed = new ArrayList<>();
        for (InstrumentationModule module : ServiceLoader.load(InstrumentationModule.class)) {
            for (TypeInstrumentation type : module.typeInstrumentations()) {
                matchers++;
                for (String name : UNRELATED) {
                    List<String> asked = new ArrayList<>();
                    byte[] classFile = plainClass(name);
                    LoadingClass.enter(name, getClass().getClassLoader(), ClassFileLocator.Simple.of(name, classFile));
                    boolean matched;
                    try {
                        matched = type.typeMatcher().matches(headerOnly(name, asked));
                    } catch (RuntimeException e) {
                        matched = false;    // what was asked says why
                    } finally {
                        LoadingClass.exit();
                    }
                    assertFalse(matched, type.getClass().getName() + " matched " + name);
                    if (!asked.isEmpty()) {
                        parsed.add(type.getClass().getName() + " asked " + name + " for " + asked);
                    }
                }
            }
        }
        assertTrue(matchers > 50, "bundled type instrumentations found: " + matchers);
        assertEquals(new ArrayList<String>(), parsed);
    }

    /** A class file of {@code name} that extends Object and implements nothing. */
    private static byte[] plainClass(String name) {
        ClassWriter writer = new ClassWriter(0);
        writer.visit(Opcodes.V1_8, Opcodes.ACC_PUBLIC, name.replace('.', '/'), null, "java/lang/Object", null);
        writer.visitEnd();
        return writer.toByteArray();
    }

    /** A description that answers only its name and notes every other question a matcher asks. */
    private static TypeDescription headerOnly(final String name, final List<String> asked) {
        return (TypeDescription) Proxy.newProxyInstance(TypeMatcherCostTest.class.getClassLoader(),
                new Class<?>[] {TypeDescription.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "getName":
                        case "getActualName":
                        case "getTypeName":
                        case "toString":
                            return name;
                        case "hashCode":
                            return name.hashCode();
                        case "equals":
                            return proxy == args[0];
                        default:
                            asked.add(method.getName());
                            throw new IllegalStateException("parsed: " + method.getName());
                    }
                });
    }
}
