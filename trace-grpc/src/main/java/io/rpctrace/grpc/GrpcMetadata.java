package io.rpctrace.grpc;

import io.grpc.InternalMetadata;
import io.grpc.Metadata;
import io.rpctrace.context.Propagation;
import io.rpctrace.context.Scope;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;

/**
 * docs/propagation.md#headers on gRPC metadata: lower-case ASCII keys, one value each.
 *
 * <p>Design note: values rpctrace builds as bytes ({@code traceparent}) go in as bytes, and the
 * served call's {@code x-trace-id} goes back on the response as the very array the request
 * carried, through keys whose marshaller hands bytes through untouched. With the public string
 * keys, {@code Metadata} encodes every value into a new array (and a {@code traceparent} built
 * as bytes would first become a string): about 220 bytes per call. The byte keys come from
 * gRPC's {@code InternalMetadata.keyOf} (public, marked internal, unchanged since 1.0, what
 * gRPC's own transports use); if a gRPC lacks it, string keys are used, with the same values
 * on the wire.
 */
final class GrpcMetadata {
    private static final ConcurrentHashMap<String, Metadata.Key<String>> KEYS = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<String, Metadata.Key<byte[]>> BYTE_KEYS = new ConcurrentHashMap<>();
    /** Null when this gRPC has no {@code InternalMetadata.keyOf(String, TrustedAsciiMarshaller)}. */
    private static final Metadata.Key<byte[]> TRACE_ID_BYTES = byteKey(Propagation.TRACE_ID);

    /** Reads values as strings, and {@code x-trace-id} as the array the metadata holds (no string made). */
    static final Propagation.AsciiGetter<Metadata> GETTER = new Propagation.AsciiGetter<Metadata>() {
        @Override
        public String get(Metadata md, String name) {
            return md.get(key(name));
        }

        @Override
        public byte[] getAscii(Metadata md, String name) {
            Metadata.Key<byte[]> k = byteKey(name);
            return k == null ? null : md.get(k);
        }
    };

    static final Propagation.AsciiSetter<Metadata> SETTER = new Propagation.AsciiSetter<Metadata>() {
        @Override
        public void set(Metadata md, String name, String value) {
            Metadata.Key<String> k = key(name);
            md.discardAll(k);
            md.put(k, value);
        }

        @Override
        public void setAscii(Metadata md, String name, byte[] value) {
            Metadata.Key<byte[]> k = byteKey(name);
            if (k == null) {
                set(md, name, new String(value, StandardCharsets.ISO_8859_1));
                return;
            }
            md.discardAll(k);   // keys compare by name: this drops a value put through a string key too
            md.put(k, value);
        }

        /** An interop header the application's own interceptor put on the call (an OpenTelemetry one) stays. */
        @Override
        public boolean has(Metadata md, String name) {
            return md.containsKey(key(name));
        }
    };

    private GrpcMetadata() {
    }

    static Metadata.Key<String> key(String name) {
        Metadata.Key<String> k = KEYS.get(name);
        if (k == null) {
            // Metadata.Key lower-cases the name: lookups are case-insensitive, as
            // docs/propagation.md#headers asks.
            k = Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
            KEYS.putIfAbsent(name, k);
        }
        return k;
    }

    /**
     * Puts the trace id of {@code scope} as {@code x-trace-id} on a served call's response
     * {@code headers}: the scope's bytes, which for a call that came with a valid id are the
     * request's own value (no copy, no string).
     */
    static void putTraceId(Metadata headers, Scope scope) {
        if (TRACE_ID_BYTES != null) {
            headers.put(TRACE_ID_BYTES, scope.traceIdBytes());
        } else {
            headers.put(key(Propagation.TRACE_ID), scope.traceId());
        }
    }

    private static Metadata.Key<byte[]> byteKey(String name) {
        Metadata.Key<byte[]> k = BYTE_KEYS.get(name);
        if (k == null) {
            try {
                k = InternalMetadata.keyOf(name, AsciiBytes.INSTANCE);
            } catch (LinkageError | RuntimeException e) {
                return null;   // a gRPC without the internal key: string keys
            }
            BYTE_KEYS.putIfAbsent(name, k);
        }
        return k;
    }

    /** ASCII values as the bytes they are on the wire, both ways. */
    private static final class AsciiBytes implements InternalMetadata.TrustedAsciiMarshaller<byte[]> {
        static final AsciiBytes INSTANCE = new AsciiBytes();

        @Override
        public byte[] toAsciiString(byte[] value) {
            return value;
        }

        @Override
        public byte[] parseAsciiString(byte[] serialized) {
            return serialized;
        }
    }
}
