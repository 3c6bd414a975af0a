package io.rpctrace.instrumentation.rabbitmq;

import io.rpctrace.context.Propagation;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The AMQP headers of one publish: the application's (those {@link Propagation#isInjected}
 * does not name, and the interop headers of a message not sent before) followed by this call's
 * ids, in two arrays. A read-only {@code Map} that the client's {@code BasicProperties}
 * constructor copies into its own map, which is all it is for: it saves the {@code HashMap} the
 * headers were otherwise built in before that copy.
 *
 * <p>Design note: the id values stay {@code String}s, which the client encodes twice (once to
 * size the table). Its own {@code LongString} would avoid that but costs more: the client
 * writes one through a new 4 KB copy buffer per value.
 *
 * <pre>{@code
 * Map<String, Object> h = AmqpCalls.headers(call, props.getHeaders());
 * props = new AMQP.BasicProperties(..., h, ...);   // copied there
 * }</pre>
 */
public final class PublishHeaders extends AbstractMap<String, Object> {
    /** Puts the ids of {@link Propagation#inject}. */
    static final Propagation.Setter<PublishHeaders> SETTER = new Propagation.Setter<PublishHeaders>() {
        @Override
        public void set(PublishHeaders carrier, String name, String value) {
            carrier.add(name, value);
        }

        /** An interop header kept from the application's (see the constructor) is not written again. */
        @Override
        public boolean has(PublishHeaders carrier, String name) {
            for (int i = 0; i < carrier.size; i++) {
                if (carrier.names[i].equalsIgnoreCase(name)) {
                    return true;
                }
            }
            return false;
        }
    };

    private static final String RPC_ID = "x-rpc-id";
    private String[] names;
    private Object[] values;
    private int size;

    PublishHeaders(Map<String, Object> app) {
        // the ids are three entries unless the trace is in debug mode or forwards interop headers
        int capacity = (app == null ? 0 : app.size()) + 3;
        names = new String[capacity];
        values = new Object[capacity];
        if (app != null) {
            // a message not sent before (no x-rpc-id) keeps the interop headers (traceparent, …) the
            // application's own tracer put there (Spring AMQP's observation); a message sent again
            // or built from a consumed one gets all of this publish's (docs/propagation.md#interop)
            boolean resent = app.containsKey(RPC_ID);
            for (Map.Entry<String, Object> e : app.entrySet()) {
                String name = e.getKey();
                if (!Propagation.isInjected(name) || (!resent && Propagation.isInterop(name))) {
                    add(name, e.getValue());
                }
            }
        }
    }

    private void add(String name, Object value) {
        if (size == names.length) {
            int capacity = size + 8;
            names = java.util.Arrays.copyOf(names, capacity);
            values = java.util.Arrays.copyOf(values, capacity);
        }
        names[size] = name;
        values[size] = value;
        size++;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Object get(Object name) {
        for (int i = 0; i < size; i++) {
            if (names[i].equals(name)) {
                return values[i];
            }
        }
        return null;
    }

    @Override
    public boolean containsKey(Object name) {
        for (int i = 0; i < size; i++) {
            if (names[i].equals(name)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Set<Map.Entry<String, Object>> entrySet() {
        return new AbstractSet<Map.Entry<String, Object>>() {
            @Override
            public Iterator<Map.Entry<String, Object>> iterator() {
                return new Cursor();
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    /**
     * An iterator that is its own entry, valid until the next {@code next()}.
     * Design note: what iterates this map (the {@code HashMap} copy constructor, the client's
     * table writer, {@code AbstractMap}'s own methods) reads each entry's key and value at once;
     * one cursor instead of an entry per header.
     */
    private final class Cursor implements Iterator<Map.Entry<String, Object>>, Map.Entry<String, Object> {
        private int next;
        private int current = -1;

        @Override
        public boolean hasNext() {
            return next < size;
        }

        @Override
        public Map.Entry<String, Object> next() {
            if (next >= size) {
                throw new NoSuchElementException();
            }
            current = next++;
            return this;
        }

        @Override
        public String getKey() {
            return names[current];
        }

        @Override
        public Object getValue() {
            return values[current];
        }

        @Override
        public Object setValue(Object value) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int hashCode() {   // Map.Entry's contract, for AbstractMap.hashCode
            return java.util.Objects.hashCode(getKey()) ^ java.util.Objects.hashCode(getValue());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Map.Entry && java.util.Objects.equals(getKey(), ((Map.Entry<?, ?>) o).getKey())
                    && java.util.Objects.equals(getValue(), ((Map.Entry<?, ?>) o).getValue());
        }
    }
}
