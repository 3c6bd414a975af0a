package io.rpctrace.instrumentation.kafka;

/**
 * Stands in for Spring Kafka's {@code org.springframework.kafka.listener.BatchListenerFailedException}
 * in the unit tests (the instrumentation finds it by its simple name and reads its public
 * {@code getIndex()} and {@code getRecord()}); {@code SpringKafkaTest} throws the real one against a
 * real broker.
 */
public final class BatchListenerFailedException extends RuntimeException {
    private final int index;
    private final Object record;

    public BatchListenerFailedException(String message, Throwable cause, int index) {
        super(message, cause);
        this.index = index;
        this.record = null;
    }

    public BatchListenerFailedException(String message, Object record) {
        super(message);
        this.index = -1;
        this.record = record;
    }

    public int getIndex() {
        return index;
    }

    public Object getRecord() {
        return record;
    }
}
