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
 *
 * <p>Helper class: it implements the application's Kafka {@code Callback}, so the agent defines
 * it next to the application's kafka-clients (io.rpctrace.internal.HelperClasses), never on the
 * boot class path; the advice reaches it through {@link Factory}.
 */
public final class SendCallback extends ProduceCall implements Callback {
    /** Kafka headers take byte values: the ids are encoded once, {@code traceparent} is built as bytes. */
    private static final Propagation.AsciiSetter<Headers> HEADERS = new Propagation.AsciiSetter<Headers>() {
        @Override
        public void set(Headers headers, String name, String value) {
            setAscii(headers, name, value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void setAscii(Headers headers, String name, byte[] value) {
            // a message sent again carries the ids of its earlier send: replace them (remove()
            // walks an iterator, two objects per name: only when there is one to remove)
            if (headers.lastHeader(name) != null) {
                headers.remove(name);
            }
            headers.add(header(name, value));
        }
    };
    /**
     * The last header made for a value array of the scope's own ({@code Scope.traceIdBytes}, the
     * same array for every send of a request): its sends share one immutable header object, as
     * they share its value array (docs/RATIONALE.md, "Per-call cost"). One entry for the JVM, not
     * per thread (a thread-local would hold the application's Kafka classes on pool threads);
     * concurrent requests replace it and make their own.
     */
    private static volatile Header shared;

    private final Callback delegate;

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

        @Override
        public String key() {
            return key;
        }

        @Override
        public byte[] value() {
            return value;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Header && Objects.equals(key, ((Header) o).key()) && Arrays.equals(value, ((Header) o).value());
        }

        @Override
        public int hashCode() {
            return 31 * Objects.hashCode(key) + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "RecordHeader(key = " + key + ", value = " + Arrays.toString(value) + ")";
        }
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

    @Override
    public void addHeaders(Object headers) {
        inject((Headers) headers, HEADERS);
    }

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
