package io.rpctrace.instrumentation.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.CollectingWriter;
import io.rpctrace.Trace;
import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
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
        assertEquals("x-trace-id", ConsumeScopes.wantedName(h));
        assertNull(field(h, "key"), "the name is not decoded");
        assertEquals("", ConsumeScopes.wantedName(fetched("x-trace-idx", "t-1", false)));
        assertEquals("", ConsumeScopes.wantedName(fetched("app", "1", false)));
        assertEquals("b3", ConsumeScopes.wantedName(fetched("B3", "1", true)));
        RecordHeader decoded = fetched("X-Rpc-Id", "0.3", false);
        assertEquals("X-Rpc-Id", decoded.key());
        assertEquals("X-Rpc-Id", ConsumeScopes.wantedName(decoded), "a name decoded already is used as it is");
        assertEquals("", ConsumeScopes.wantedName(new RecordHeader("app", new byte[] {1})));
    }

    @Test
    void aValueIsTheFetchedSliceUntouchedAndDecodesTheSame() throws Exception {
        for (boolean direct : new boolean[] {false, true}) {
            RecordHeader h = fetched("x-rpc-id", "0.4.7", direct);
            Object raw = ConsumeScopes.rawValue(h);
            assertTrue(raw instanceof ByteBuffer, "not copied");
            assertNull(field(h, "value"));
            assertEquals("0.4.7", ConsumeScopes.utf8(raw));
            assertEquals("0.4.7", ConsumeScopes.utf8(raw), "the slice is read without moving it");
            assertEquals("0.4.7", new String(h.value(), StandardCharsets.UTF_8), "Kafka's own copy is unchanged");
            assertSame(h.value(), ConsumeScopes.rawValue(h), "once copied, Kafka's array");
        }
    }

    @Test
    void kafkasHeaderListIsReadByIndexAndNoOtherIs() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("x-trace-id", new byte[] {1});
        headers.add("app", new byte[] {2});
        List<?> list = ConsumeScopes.headerList(headers);
        assertEquals(2, list.size());
        assertSame(headers.lastHeader("app"), list.get(1));
        assertNull(ConsumeScopes.headerList(new ArrayList<Header>()));
        assertNull(ConsumeScopes.headerList(null));
    }

    @Test
    void aThreadsPollsFillOneBatchAgainAndALargerPollGetsANewOne() {
        ConsumeScopes.Batch first = ConsumeScopes.batch("g", 2);
        first.add(new Object(), "orders", 0, 1, null);
        first.add(new Object(), "orders", 0, 2, null);
        ConsumeScopes.Batch second = ConsumeScopes.batch("h", 1);
        assertSame(first, second);
        assertEquals(0, second.size);
        assertNull(second.messages[0], "the earlier poll's messages are not held");
        assertNull(second.messages[1]);
        assertEquals("h", second.group);
        assertNotSame(second, ConsumeScopes.batch("h", 3));
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
        assertNull(ConsumeScopes.wantedName(other));
        assertNull(ConsumeScopes.rawValue(other));
    }

    @Test
    void theIdsOfSlicesEnterTheMessagesScope() {
        Object[] pairs = null;
        for (RecordHeader h : new RecordHeader[] {fetched("x-trace-id", "4bf92f3577b34da6a3ce929d0e0e4736", false),
            fetched("app", "1", false), fetched("X-RPC-ID", "0.6", true)}) {
            String name = ConsumeScopes.wantedName(h);
            if (!name.isEmpty()) {
                pairs = ConsumeScopes.addHeader(pairs, name, ConsumeScopes.rawValue(h));
            }
        }
        String traceId = MessagingTest.takeOne(pairs)[0];
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", traceId);
        assertEquals("0.6.1", writer.named("kafka.consume").get(0).get("x_rpc_id"));
    }

    /** A poll of {@code messages} on this thread, each carrying {@code x-trace-id} {@code ids[i]}: its container. */
    private static Object poll(Object[] messages, String[] ids) {
        ConsumeScopes.pollStarted();
        ConsumeScopes.Batch b = ConsumeScopes.batch("g", messages.length);
        for (int i = 0; i < messages.length; i++) {
            b.add(messages[i], "orders", 0, i, ConsumeScopes.addHeader(null, "x-trace-id",
                    ids[i].getBytes(StandardCharsets.UTF_8)));
        }
        Object records = new Object();
        ConsumeScopes.polled(records, b);
        return records;
    }

    /**
     * An application iterating one poll's records while it polls again on the same thread (a
     * long batch kept alive by polls of paused partitions, a poll loop inside the iteration):
     * the rest of the first poll's messages still enter their own scopes, with their own ids.
     */
    @Test
    void anIterationOfAnEarlierPollKeepsItsMessagesAfterTheNextPoll() {
        Object a1 = new Object();
        Object a2 = new Object();
        Object recordsA = poll(new Object[] {a1, a2}, new String[] {"trace-a1", "trace-a2"});
        Iterator<Object> itA = ConsumeScopes.iterator(recordsA, Arrays.asList(a1, a2).iterator());
        itA.next();
        assertEquals("trace-a1", Trace.traceId());
        poll(new Object[] {new Object(), new Object()}, new String[] {"trace-b1", "trace-b2"});
        itA.next();
        assertEquals("trace-a2", Trace.traceId(), "the second message of the first poll");
        assertFalse(itA.hasNext());
        assertEquals(2, writer.named("kafka.consume").size());
    }

    /** A list of one partition's records, handed to a worker thread that iterates it while the consumer polls on. */
    @Test
    void aPartitionsListIteratedOnAWorkerAfterTheNextPollKeepsItsIds() throws Exception {
        Object a1 = new Object();
        Object recordsA = poll(new Object[] {a1}, new String[] {"trace-a1"});
        List<Object> partition = ConsumeScopes.list(recordsA, Collections.singletonList(a1));
        poll(new Object[] {new Object()}, new String[] {"trace-b1"});
        String[] seen = new String[1];
        Thread worker = new Thread(() -> {
            for (Object m : partition) {
                seen[0] = Trace.traceId();
            }
        });
        worker.start();
        worker.join();
        assertEquals("trace-a1", seen[0]);
    }

    /**
     * Polls that return nothing (an idle consumer, or one closed while its thread lives on in a
     * pool) hold none of the last messages: they and their fetched buffers can be collected.
     */
    @Test
    void anEmptyPollLetsTheLastPollsMessagesGo() throws Exception {
        WeakReference<Object> ref = pollAndIterateOne();
        ConsumeScopes.pollStarted();   // the poll returns no records: its exit adds no batch
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertNull(ref.get(), "the message is not held by the thread's batch");
    }

    /** A poll of one message, iterated to its end (in a frame of its own: no local keeps the message). */
    private static WeakReference<Object> pollAndIterateOne() {
        Object message = new Object();
        Object records = poll(new Object[] {message}, new String[] {"trace-a1"});
        for (Iterator<Object> it = ConsumeScopes.iterator(records, Collections.singletonList(message).iterator()); it.hasNext(); ) {
            it.next();
        }
        return new WeakReference<>(message);
    }
}
