package io.rpctrace.instrumentation.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.CollectingWriter;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Consumed Kafka headers are read in place: names matched on their bytes, values kept as the fetched slices. */
class ConsumedHeadersTest {
    private CollectingWriter writer;

    @BeforeEach
    void start() {
        writer = CollectingWriter.startTracing();
    }

    /** A header as the consumer makes one: name and value are slices of a larger fetched buffer. */
    private static RecordHeader fetched(String key, String value, boolean direct) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        ByteBuffer all = direct ? ByteBuffer.allocateDirect(k.length + v.length + 8) : ByteBuffer.allocate(k.length + v.length + 8);
        all.position(3);
        all.put(k).put(v);
        ByteBuffer keySlice = ((ByteBuffer) all.duplicate().position(3).limit(3 + k.length)).slice();
        ByteBuffer valueSlice = ((ByteBuffer) all.duplicate().position(3 + k.length).limit(3 + k.length + v.length)).slice();
        return new RecordHeader(keySlice, valueSlice);
    }

    private static Object field(Object o, String name) throws ReflectiveOperationException {
        Field f = o.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return f.get(o);
    }

    @Test
    void aWantedNameIsMatchedInAnyCaseWithoutDecodingIt() throws Exception {
        RecordHeader h = fetched("X-Trace-Id", "t-1", false);
        assertEquals("x-trace-id", ConsumedHeaders.wantedName(h));
        assertNull(field(h, "key"), "the name is not decoded");
        assertEquals("", ConsumedHeaders.wantedName(fetched("x-trace-idx", "t-1", false)));
        assertEquals("", ConsumedHeaders.wantedName(fetched("app", "1", false)));
        assertEquals("b3", ConsumedHeaders.wantedName(fetched("B3", "1", true)));
        RecordHeader decoded = fetched("X-Rpc-Id", "0.3", false);
        assertEquals("X-Rpc-Id", decoded.key());
        assertEquals("X-Rpc-Id", ConsumedHeaders.wantedName(decoded), "a name decoded already is used as it is");
        assertEquals("", ConsumedHeaders.wantedName(new RecordHeader("app", new byte[] {1})));
    }

    @Test
    void aValueIsTheFetchedSliceUntouchedAndDecodesTheSame() throws Exception {
        for (boolean direct : new boolean[] {false, true}) {
            RecordHeader h = fetched("x-rpc-id", "0.4.7", direct);
            Object raw = ConsumedHeaders.rawValue(h);
            assertTrue(raw instanceof ByteBuffer, "not copied");
            assertNull(field(h, "value"));
            assertEquals("0.4.7", ConsumedHeaders.utf8(raw));
            assertEquals("0.4.7", ConsumedHeaders.utf8(raw), "the slice is read without moving it");
            assertEquals("0.4.7", new String(h.value(), StandardCharsets.UTF_8), "Kafka's own copy is unchanged");
            assertSame(h.value(), ConsumedHeaders.rawValue(h), "once copied, Kafka's array");
        }
    }

    @Test
    void kafkasHeaderListIsReadByIndexAndNoOtherIs() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("x-trace-id", new byte[] {1});
        headers.add("app", new byte[] {2});
        List<?> list = ConsumedHeaders.headerList(headers);
        assertEquals(2, list.size());
        assertSame(headers.lastHeader("app"), list.get(1));
        assertNull(ConsumedHeaders.headerList(new ArrayList<Header>()));
        assertNull(ConsumedHeaders.headerList(null));
    }

    @Test
    void anotherHeaderClassIsLeftToItsOwnMethods() {
        Header other = new Header() {
            @Override
            public String key() {
                return "x-trace-id";
            }

            @Override
            public byte[] value() {
                return new byte[] {1};
            }
        };
        assertNull(ConsumedHeaders.wantedName(other));
        assertNull(ConsumedHeaders.rawValue(other));
    }

    @Test
    void headerValuesAreDecodedWhenReadAndTheLastOfANameWins() {
        Object[] pairs = null;
        pairs = ConsumedHeaders.addHeader(pairs, "traceparent",
                bytes("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
        pairs = ConsumedHeaders.addHeader(pairs, "x-rpc-id", bytes("0.4"));
        pairs = ConsumedHeaders.addHeader(pairs, "x-request-id", bytes("r-1"));
        pairs = ConsumedHeaders.addHeader(pairs, "X-RPC-ID", bytes("0.7"));   // a fourth header grows the array
        assertEquals(12, pairs.length);   // room for three, doubled
        String[] ids = MessagingTest.takeOne(pairs);
        String traceId = ids[0];
        String rpcId = ids[1];
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", traceId);   // from traceparent: no x-trace-id
        assertEquals("0.7.1", rpcId);
        List<Map<String, Object>> consumed = writer.named("kafka.consume");
        assertEquals(1, consumed.size());
        assertEquals("0.7.1", consumed.get(0).get("x_rpc_id"));
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", consumed.get(0).get("x_trace_id"));
    }

    @Test
    void theIdsOfSlicesEnterTheMessagesScope() {
        Object[] pairs = null;
        for (RecordHeader h : new RecordHeader[] {fetched("x-trace-id", "4bf92f3577b34da6a3ce929d0e0e4736", false),
            fetched("app", "1", false), fetched("X-RPC-ID", "0.6", true)}) {
            String name = ConsumedHeaders.wantedName(h);
            if (!name.isEmpty()) {
                pairs = ConsumedHeaders.addHeader(pairs, name, ConsumedHeaders.rawValue(h));
            }
        }
        String traceId = MessagingTest.takeOne(pairs)[0];
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", traceId);
        assertEquals("0.6.1", writer.named("kafka.consume").get(0).get("x_rpc_id"));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
