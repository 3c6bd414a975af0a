package io.rpctrace.instrumentation.redisson;

import io.rpctrace.internal.ParamJson;
import io.rpctrace.instrumentation.redis.RedisCommands;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * {@code x_param} of a Redisson command (capture.param, or a debug trace): its parameters after
 * the first (the key) as redis-common renders Jedis's, secrets masked. Redisson passes values
 * already encoded by the codec, in Netty {@code ByteBuf}s; they are read through
 * {@code nioBuffer()} (a view: the application's buffer keeps its indexes), the first
 * {@value #MAX_BYTES} bytes at most. Strings, {@code byte[]}, numbers and booleans are taken as
 * they are; other objects are named by their type ({@code <Type>}), never {@code toString()}-ed.
 *
 * <p>Design note: Netty is not visible from the boot class path, where this class is; the buffer
 * is recognised by its class name and read by reflection, the method kept per class. Only commands
 * whose parameters are captured pay for it.
 */
final class RedissonParams {
    static final int MAX_BYTES = ParamJson.MAX_VALUE_CHARS * 4;
    private static final String BYTE_BUF = "io.netty.buffer.ByteBuf";
    private static final Method NOT_A_BUFFER;
    /**
     * {@code nioBuffer()} of a ByteBuf class, {@link #NOT_A_BUFFER} for other classes: kept by
     * each class itself (a static map would hold the application's class loader).
     */
    private static final ClassValue<Method> NIO_BUFFER = new ClassValue<Method>() {
        @Override
        protected Method computeValue(Class<?> c) {
            return isByteBuf(c) ? find(c) : NOT_A_BUFFER;
        }
    };

    static {
        try {
            NOT_A_BUFFER = Object.class.getMethod("hashCode");
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private RedissonParams() {
    }

    /** The JSON array of {@code params} after the first, or null (none, or a command whose arguments are secret). */
    static String json(String command, Object[] params) {
        if (params == null || params.length < 2) {
            return null;
        }
        byte[][] raw = new byte[Math.min(params.length, ParamJson.MAX_PARAMS + 1)][];
        for (int i = 1; i < raw.length; i++) {
            raw[i] = bytes(params[i]);
        }
        return RedisCommands.paramsJson(command, raw);
    }

    /** A parameter as the bytes Redis gets (a capped prefix), or its type's name in angle brackets. */
    static byte[] bytes(Object p) {
        if (p == null) {
            return null;
        }
        if (p instanceof byte[]) {
            return (byte[]) p;
        }
        if (p instanceof CharSequence) {
            CharSequence s = (CharSequence) p;
            return (s.length() > MAX_BYTES ? s.subSequence(0, MAX_BYTES) : s).toString().getBytes(StandardCharsets.UTF_8);
        }
        if (p instanceof Number || p instanceof Boolean || p instanceof Character || p instanceof Enum) {
            return p.toString().getBytes(StandardCharsets.UTF_8);
        }
        ByteBuffer b = p instanceof ByteBuffer ? ((ByteBuffer) p).duplicate() : nioBuffer(p);
        if (b != null) {
            byte[] out = new byte[Math.min(b.remaining(), MAX_BYTES)];
            b.get(out);
            return out;
        }
        return ('<' + p.getClass().getSimpleName() + '>').getBytes(StandardCharsets.UTF_8);
    }

    /** {@code ((ByteBuf) p).nioBuffer()}, or null when {@code p} is not a Netty buffer or cannot be read. */
    private static ByteBuffer nioBuffer(Object p) {
        Method m = NIO_BUFFER.get(p.getClass());
        if (m == NOT_A_BUFFER) {
            return null;
        }
        try {
            Object b = m.invoke(p);
            return b instanceof ByteBuffer ? (ByteBuffer) b : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;   // released already, or a composite Netty cannot view as one buffer
        }
    }

    private static boolean isByteBuf(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            if (k.getName().equals(BYTE_BUF)) {
                return true;
            }
        }
        return false;
    }

    private static Method find(Class<?> c) {
        try {
            Method m = c.getMethod("nioBuffer");
            m.setAccessible(true);
            return m;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return NOT_A_BUFFER;
        }
    }
}
