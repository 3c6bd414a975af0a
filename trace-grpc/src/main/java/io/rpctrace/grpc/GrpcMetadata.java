package io.rpctrace.grpc;

import io.grpc.Metadata;
import io.rpctrace.context.Propagation;
import java.util.concurrent.ConcurrentHashMap;

/** docs/propagation.md#headers on gRPC metadata: lower-case ASCII keys, one value each. */
final class GrpcMetadata {
    private static final ConcurrentHashMap<String, Metadata.Key<String>> KEYS = new ConcurrentHashMap<>();

    static final Propagation.Getter<Metadata> GETTER = (md, name) -> md.get(key(name));

    static final Propagation.Setter<Metadata> SETTER = (md, name, value) -> {
        Metadata.Key<String> k = key(name);
        md.discardAll(k);
        md.put(k, value);
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
}
