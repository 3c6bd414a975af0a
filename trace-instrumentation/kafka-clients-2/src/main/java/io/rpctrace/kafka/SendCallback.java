package io.rpctrace.kafka;

import io.rpctrace.Span;
import io.rpctrace.context.Propagation;
import io.rpctrace.instrumentation.kafka.ProduceCall;
import io.rpctrace.internal.AdviceErrors;
import io.rpctrace.internal.HostPorts;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.clients.Metadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import java.util.Arrays;

/**
 * The callback the producer gets for a traced send: ends the send's {@code kafka.produce} call
 * (naming the partition leader that took the message), then runs the application's callback.
 * It is also the message's {@code x-rpc-id} header.
 *
 * <p>Design note: one object per send is the call, Kafka's callback, the claim flag and the
 * {@code x-rpc-id} header (a name and a value, as {@link IdHeader}): the header costs one
 * field instead of a 24-byte object (docs/RATIONALE.md, "Per-call cost"). It behaves as a
 * header to whoever reads the message's headers: compared, hashed and printed as Kafka's
 * {@code RecordHeader}.
 *
 * <p>Helper class: it implements the application's Kafka {@code Callback}, so the agent defines
 * it next to the application's kafka-clients (io.rpctrace.internal.HelperClasses), never on the
 * boot class path; the advice reaches it through {@link Factory}.
 */
public final class SendCallback extends ProduceCall implements Callback, Header, Propagation.AsciiSetter<Headers> {
    private static final String RPC_ID = "x-rpc-id";
    /**
     * The last header made for a value array of the scope's own ({@code Scope.traceIdBytes}, the
     * same array for every send of a request): its sends share one immutable header object, as
     * they share its value array (docs/RATIONALE.md, "Per-call cost"). One entry for the JVM, not
     * per thread (a thread-local would hold the application's Kafka classes on pool threads);
     * concurrent requests replace it and make their own.
     */
    private static volatile Header shared;

    private final Callback delegate;
    /** The {@code x-rpc-id} value this call sends, once {@link #addHeaders} wrote it. */
    private byte[] rpcId;

    /** A header of {@code name} and {@code value}: the shared one when {@code value} is the array it holds. */
    static Header header(String name, byte[] value) {
        Header h = shared;
        if (h != null && h.value() == value && h.key() == name) {
            return h;
        }
        h = new IdHeader(name, value);
        if ("x-trace-id".equals(name)) {   // the one value that is the scope's array
            shared = h;
        }
        return h;
    }

    /**
     * A header the agent writes: its name and value, nothing else (24 bytes; Kafka's
     * {@code RecordHeader} is 32 with the slices it keeps for consumed headers). Immutable;
     * compared by name and value, hashed and printed as {@code RecordHeader} is.
     */
    static final class IdHeader implements Header {
        private final String key;
        private final byte[] value;

        IdHeader(String key, byte[] value) {
            this.key = key;
            this.value = value;
        }

        @Override public String key() { return key; }
        @Override public byte[] value() { return value; }
        @Override public boolean equals(Object o) { return sameHeader(this, o); }
        @Override public int hashCode() { return headerHash(this); }
        @Override public String toString() { return headerString(this); }
    }

    /** Equality of Kafka's {@code RecordHeader}: name and value. */
    static boolean sameHeader(Header h, Object o) {
        return o instanceof Header && Objects.equals(h.key(), ((Header) o).key())
                && Arrays.equals(h.value(), ((Header) o).value());
    }

    /** The hash of Kafka's {@code RecordHeader}. */
    static int headerHash(Header h) {
        return 31 * Objects.hashCode(h.key()) + Arrays.hashCode(h.value());
    }

    /** What Kafka's {@code RecordHeader} prints. */
    static String headerString(Header h) {
        return "RecordHeader(key = " + h.key() + ", value = " + Arrays.toString(h.value()) + ")";
    }

    private SendCallback(Span span, Object client, Callback delegate) {
        super(span, client);
        this.delegate = delegate;
    }

    /** Makes the calls of the kafka-clients this class is linked against (public: made by HelperClasses). */
    public static final class Factory extends ProduceCall.Factory {
        @Override
        public ProduceCall newCall(Span span, Object client, Object callback) {
            return new SendCallback(span, client, (Callback) callback);
        }
    }

    /** Writes the call's headers, through this call as the setter (no setter object per send). */
    @Override
    public void addHeaders(Object headers) {
        Headers h = (Headers) headers;
        if (h.lastHeader(RPC_ID) != null) {
            // an earlier send's ids (a message sent again, or built from a consumed one): every
            // header is this send's, its traceparent too (docs/propagation.md#interop)
            inject(h, new EveryHeader(this));
        } else {
            inject(h, this);
        }
    }

    /**
     * An interop header ({@code traceparent}, …) on a message that was not sent before stays as
     * the application's own tracer (Spring Kafka's observation) put it (docs/propagation.md#interop).
     */
    @Override
    public boolean has(Headers headers, String name) {
        return headers.lastHeader(name) != null;
    }

    /** This call's setter that writes every header ({@link Propagation.Setter#has} false): for headers sent before. */
    private static final class EveryHeader implements Propagation.AsciiSetter<Headers> {
        private final SendCallback call;

        EveryHeader(SendCallback call) {
            this.call = call;
        }

        @Override
        public void set(Headers headers, String name, String value) {
            call.set(headers, name, value);
        }

        @Override
        public void setAscii(Headers headers, String name, byte[] value) {
            call.setAscii(headers, name, value);
        }
    }

    /** Kafka headers take byte values: ids from strings (the debug pair, forwarded ones) are encoded here. */
    @Override
    public void set(Headers headers, String name, String value) {
        setAscii(headers, name, value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Puts one header, replacing what a message sent again carries from its earlier send
     * ({@code remove()} walks an iterator, two objects per name: only when there is one to
     * remove). The call itself is the {@code x-rpc-id} header.
     */
    @Override
    public void setAscii(Headers headers, String name, byte[] value) {
        if (headers.lastHeader(name) != null) {
            headers.remove(name);
        }
        if (RPC_ID.equals(name)) {
            rpcId = value;
            headers.add(this);
        } else {
            headers.add(header(name, value));
        }
    }

    // x-rpc-id: this call is that header once it wrote its headers, read as Kafka's RecordHeader
    @Override public String key() { return RPC_ID; }
    @Override public byte[] value() { return rpcId; }
    @Override public boolean equals(Object o) { return sameHeader(this, o); }
    @Override public int hashCode() { return headerHash(this); }
    @Override public String toString() { return headerString(this); }

    @Override
    public void onCompletion(RecordMetadata md, Exception error) {
        if (claim()) {
            complete(md, error);
        }
        if (delegate != null) {
            delegate.onCompletion(md, error);
        }
    }

    private void complete(RecordMetadata md, Exception error) {
        String host = null;
        int partition = -1;
        if (md != null) {
            try {
                partition = md.partition();
            } catch (NullPointerException noPartition) {
                // a send refused before a partition was chosen gets metadata without one (3.x)
            }
        }
        try {
            if (partition >= 0 && client() instanceof Metadata) {
                host = leader(((Metadata) client()).fetch().partitionsForTopic(md.topic()), partition);
            }
        } catch (RuntimeException e) {
            AdviceErrors.record(e);
        }
        if (error != null || md == null) {
            failed(error, host, partition);
        } else {
            acked(host, partition, md.offset(), md.serializedValueSize());
        }
    }

    /**
     * The leader of {@code partition} as {@code ip:port}, or null; looked up in the topic's
     * partition list (usually in partition order) rather than by a {@code TopicPartition} made per
     * acknowledgement.
     */
    static String leader(List<PartitionInfo> partitions, int partition) {
        int n = partitions.size();
        PartitionInfo p = partition < n ? partitions.get(partition) : null;
        for (int k = 0; (p == null || p.partition() != partition) && k < n; k++) {
            p = partitions.get(k);
        }
        if (p == null || p.partition() != partition) {
            return null;
        }
        Node leader = p.leader();
        return leader == null || leader.isEmpty() ? null : HostPorts.of(leader.host(), leader.port());
    }
}
