package org.panamaipc.mq;

import org.panamaipc.Outcome;
import org.panamaipc.Access;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.AlreadyExistsException;
import org.panamaipc.InvalidNameException;
import org.panamaipc.MessageTooLongException;
import org.panamaipc.NotFoundException;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One JVM: creating, opening, the three forms of send and receive, sizes, modes, names. */
@ExtendWith(NoLeakedObjects.class)
@Timeout(60)
class MessageQueueTest {

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldSendAndReceiveWithPriorityAndReportAttributes() throws Exception {
        String name = TestNames.unique("mq-basic");
        try (MessageQueue queue = MessageQueue.create(name, QueueOptions.of(5, 64))) {
            assertTrue(queue.created());
            assertEquals(name, queue.name());
            assertEquals(5, queue.maxMessages());
            assertEquals(64, queue.maxMessageLength());
            assertEquals(0, queue.messageCount());
            queue.send(bytes("low"), 1);
            queue.send(bytes("high"), 7);
            assertEquals(2, queue.messageCount());
            try (MessageQueue other = MessageQueue.open(name)) {
                assertFalse(other.created());
                assertEquals(new Message(bytes("high"), 7), other.receive());
                assertEquals(new Message(bytes("low"), 1), other.receive());
            }
            assertEquals(0, queue.messageCount());
        } finally {
            MessageQueue.unlinkIfExists(name);
        }
    }

    @Test
    void shouldApplyTheModeExactlyWhateverTheUmask() {
        String name = TestNames.unique("mq-mode");
        String defaultName = TestNames.unique("mq-mode-default");
        // 0666 would become 0644 under the usual umask 022 if the mode were only passed to mq_open
        try (MessageQueue queue = MessageQueue.create(name, QueueOptions.of(2, 16).mode(0666));
             MessageQueue defaults = MessageQueue.create(defaultName, QueueOptions.of(2, 16))) {
            assertEquals(0666, queue.mode());
            assertEquals(0600, defaults.mode());
        } finally {
            MessageQueue.unlinkIfExists(name);
            MessageQueue.unlinkIfExists(defaultName);
        }
        assertThrows(IllegalArgumentException.class, () -> MessageQueue.create(name, QueueOptions.of(2, 16).mode(01777)));
    }

    @Test
    void shouldTellExistingMissingAndInvalidNamesApart() {
        String name = TestNames.unique("mq-names");
        try (MessageQueue queue = MessageQueue.create(name, QueueOptions.of(2, 16))) {
            assertTrue(MessageQueue.exists(name));
            AlreadyExistsException exists = assertThrows(AlreadyExistsException.class,
                    () -> MessageQueue.create(name, QueueOptions.of(2, 16)));
            assertEquals("EEXIST", exists.errnoName());
            try (MessageQueue again = MessageQueue.openOrCreate(name, QueueOptions.of(3, 32))) {
                assertFalse(again.created());
                assertEquals(2, again.maxMessages(), "an existing queue keeps its sizes");
            }
            queue.unlink();
            assertFalse(MessageQueue.exists(name));
            assertEquals(0, queue.trySend(bytes("still usable"), 0));
        } finally {
            MessageQueue.unlinkIfExists(name);
        }
        NotFoundException missing = assertThrows(NotFoundException.class, () -> MessageQueue.open(name));
        assertTrue(missing.getMessage().startsWith("Unable to open message queue " + name + " since it does not exist"),
                missing.getMessage());
        assertThrows(NotFoundException.class, () -> MessageQueue.unlink(name));
        assertFalse(MessageQueue.unlinkIfExists(name));
        InvalidNameException invalid = assertThrows(InvalidNameException.class, () -> MessageQueue.create("no-slash", QueueOptions.of(2, 16)));
        assertEquals(0, invalid.errno(), "refused before any system call");
        assertThrows(InvalidNameException.class, () -> MessageQueue.open("/a/b"));
        try (MessageQueue created = MessageQueue.openOrCreate(name, QueueOptions.of(3, 32))) {
            assertTrue(created.created());
            assertEquals(3, created.maxMessages());
        } finally {
            MessageQueue.unlinkIfExists(name);
        }
    }

    @Test
    void shouldReturnValuesNotExceptionsForAFullOrEmptyQueue() throws Exception {
        String name = TestNames.unique("mq-try");
        try (MessageQueue queue = MessageQueue.create(name, QueueOptions.of(2, 16)); Arena arena = Arena.ofConfined()) {
            assertNull(queue.tryReceive());
            MemorySegment buffer = arena.allocate(16);
            assertEquals(Outcome.EMPTY, queue.tryReceive(buffer));
            ByteBuffer empty = ByteBuffer.allocate(20).position(2);
            assertEquals(Outcome.EMPTY, queue.tryReceive(empty));
            assertEquals(2, empty.position(), "nothing received: the position stays");
            assertEquals(0, queue.trySend(bytes("a"), 0));
            assertEquals(0, queue.trySend(ByteBuffer.wrap(bytes("b")), 0));
            assertEquals(Outcome.FULL, queue.trySend(bytes("c"), 0), "full");
            ByteBuffer unsent = ByteBuffer.wrap(bytes("xc"));
            unsent.position(1);
            assertEquals(Outcome.FULL, queue.trySend(unsent, 0), "full");
            assertEquals(1, unsent.position(), "nothing sent: the position stays");
            assertEquals(Outcome.FULL, queue.trySend(MemorySegment.ofArray(bytes("c")), 0), "full");
            assertEquals("a", queue.tryReceive().text());
            assertEquals("b", queue.tryReceive().text());
            assertNull(queue.tryReceive());
        } finally {
            MessageQueue.unlinkIfExists(name);
        }
    }

    @Test
    void shouldTimeOutNoEarlierThanTheDeadline() throws Exception {
        String name = TestNames.unique("mq-timeout");
        try (MessageQueue queue = MessageQueue.create(name, QueueOptions.of(1, 16))) {
            long start = System.nanoTime();
            assertNull(queue.receive(Duration.ofMillis(150)));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(150));
            assertEquals(0, queue.trySend(bytes("fills it"), 0));
            start = System.nanoTime();
            assertEquals(Outcome.FULL, queue.send(bytes("no room"), 0, Duration.ofMillis(150)));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(150));
            assertEquals(Outcome.FULL, queue.send(bytes("no room"), 0, Duration.ZERO));
            assertEquals("fills it", queue.receive(Duration.ofMillis(150)).text(), "a message there returns at once");
            assertEquals(Outcome.EMPTY, queue.receive(ByteBuffer.allocate(16), Duration.ofMillis(20)));
        } finally {
            MessageQueue.unlinkIfExists(name);
        }
    }

    @Test
    void shouldRefuseAnOversizedMessageAndKeepTheQueueIntact() throws Exception {
        String name = TestNames.unique("mq-oversized");
        try (MessageQueue queue = MessageQueue.create(name, QueueOptions.of(4, 8))) {
            queue.send(bytes("before"), 3);
            MessageTooLongException e = assertThrows(MessageTooLongException.class,
                    () -> queue.send(bytes("nine byte"), 5));
            assertEquals(9, e.length());
            assertEquals(8, e.maxLength());
            assertTrue(e.getMessage().contains("message of 9 bytes is longer than its maximum of 8 bytes"), e.getMessage());
            assertTrue(e.getMessage().contains(name), e.getMessage());
            assertEquals("EMSGSIZE", e.errnoName(), "EMSGSIZE also when Java found it before any system call");
            assertTrue(e.errno() > 0, "errno=" + e.errno());
            assertThrows(MessageTooLongException.class, () -> queue.trySend(ByteBuffer.allocateDirect(9), 0));
            try (Arena arena = Arena.ofConfined()) {
                assertThrows(MessageTooLongException.class, () -> queue.trySend(arena.allocate(100), 0));
            }
            assertEquals(1, queue.messageCount(), "nothing was sent");
            queue.send(bytes("after"), 3);
            assertEquals(new Message(bytes("before"), 3), queue.receive());
            assertEquals(new Message(bytes("after"), 3), queue.receive());
        } finally {
            MessageQueue.unlinkIfExists(name);
        }
    }

    @Test
    void shouldCheckPrioritiesBuffersAndAccess() throws Exception {
        String name = TestNames.unique("mq-checks");
        try (MessageQueue queue = MessageQueue.create(name, QueueOptions.of(4, 32)); Arena arena = Arena.ofConfined()) {
            assertThrows(IllegalArgumentException.class, () -> queue.trySend(bytes("x"), -1));
            assertThrows(IllegalArgumentException.class, () -> queue.trySend(bytes("x"), MessageQueue.MAX_PRIORITY + 1));
            assertEquals(0, queue.trySend(bytes("top"), MessageQueue.MAX_PRIORITY));
            IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                    () -> queue.tryReceive(arena.allocate(31)));
            assertTrue(small.getMessage().contains("byteSize=31 is less than maxMessageLength=32"), small.getMessage());
            assertThrows(IllegalArgumentException.class, () -> queue.tryReceive(ByteBuffer.allocate(31)));
            assertEquals(MessageQueue.MAX_PRIORITY, queue.tryReceive().priority());
            assertEquals(MessageQueue.MAX_PRIORITY, queue.lastHeader().priority(), "a Message receive notes it too");
            try (MessageQueue reader = MessageQueue.open(name, Access.READ_ONLY);
                 MessageQueue writer = MessageQueue.open(name, Access.WRITE_ONLY)) {
                assertThrows(IllegalStateException.class, () -> reader.trySend(bytes("x"), 0));
                assertThrows(IllegalStateException.class, writer::tryReceive);
                assertEquals(0, writer.trySend(bytes("w"), 2));
                assertEquals(new Message(bytes("w"), 2), reader.tryReceive());
            }
            assertThrows(IllegalArgumentException.class, () -> MessageQueue.create(name + "x", QueueOptions.of(0, 16)));
            assertThrows(IllegalArgumentException.class, () -> MessageQueue.create(name + "x", QueueOptions.of(1, 0)));
        } finally {
            MessageQueue.unlinkIfExists(name);
        }
    }

    @Test
    void shouldReceiveIntoSegmentsAndBuffers() throws Exception {
        String name = TestNames.unique("mq-into");
        try (MessageQueue queue = MessageQueue.create(name, QueueOptions.of(8, 32)); Arena arena = Arena.ofConfined()) {
            queue.send(bytes("native"), 4);
            queue.send(bytes("heap"), 3);
            queue.send(bytes("buffer"), 2);
            queue.send(bytes("direct"), 1);

            MemorySegment nativeSegment = arena.allocate(64);
            QueueMessageHeader header = queue.lastHeader();
            assertEquals(6, queue.receive(nativeSegment));
            assertSame(header, queue.lastHeader(), "one header per thread and queue, reused");
            assertEquals(6, header.length());
            assertEquals(4, header.priority());
            assertArrayEquals(bytes("native"), nativeSegment.asSlice(0, 6).toArray(ValueLayout.JAVA_BYTE));

            MemorySegment heap = MemorySegment.ofArray(new byte[32]);
            int length = queue.receive(heap, Duration.ofSeconds(5));
            assertEquals(3, queue.lastHeader().priority());
            assertArrayEquals(bytes("heap"), heap.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE));

            ByteBuffer buffer = ByteBuffer.allocate(40);
            buffer.position(3);
            assertEquals(6, queue.receive(buffer));
            assertEquals(2, queue.lastHeader().priority());
            assertEquals(9, buffer.position(), "advanced by the length");
            assertEquals("buffer", new String(buffer.array(), 3, 6, StandardCharsets.UTF_8));

            ByteBuffer direct = ByteBuffer.allocateDirect(32);
            assertEquals(6, queue.tryReceive(direct));
            assertEquals(1, queue.lastHeader().priority());
            assertEquals(6, direct.flip().remaining());

            ByteBuffer toSend = ByteBuffer.wrap(bytes("xxpayload"));
            toSend.position(2);
            queue.send(toSend, 0);
            assertEquals(toSend.limit(), toSend.position(), "a sent buffer is consumed");
            MemorySegment slice = arena.allocate(16).fill((byte) 'z').asSlice(0, 5);
            queue.send(slice, 0);
            assertEquals("payload", queue.receive().text());
            assertEquals("zzzzz", queue.receive().text());
            assertEquals(0, queue.trySend(new byte[0], 0), "an empty message is a message");
            assertEquals(0, queue.tryReceive().length());
        } finally {
            MessageQueue.unlinkIfExists(name);
        }
    }

    @Test
    void shouldThrowAfterCloseAndCloseTwiceQuietly() {
        String name = TestNames.unique("mq-closed");
        try {
            MessageQueue queue = MessageQueue.create(name, QueueOptions.of(2, 16));
            queue.close();
            queue.close();
            assertTrue(queue.isClosed());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> queue.trySend(bytes("x"), 0));
            assertTrue(e.getMessage().contains("is closed"), e.getMessage());
            assertThrows(IllegalStateException.class, queue::tryReceive);
            assertThrows(IllegalStateException.class, queue::messageCount);
        } finally {
            MessageQueue.unlinkIfExists(name);
        }
    }

    @Test
    void shouldServeManyThreadsAtOnce() throws Exception {
        String name = TestNames.unique("mq-threads");
        int perThread = 2000;
        try (MessageQueue queue = MessageQueue.create(name, QueueOptions.of(10, 16))) {
            List<Thread> threads = new ArrayList<>();
            long[] sums = new long[2];
            for (int t = 0; t < 2; t++) {
                int id = t;
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        MemorySegment value = Arena.ofAuto().allocate(8);
                        for (int i = 0; i < perThread; i++) {
                            value.set(ValueLayout.JAVA_LONG, 0, i);
                            queue.send(value, 0);
                        }
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }));
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        MemorySegment into = Arena.ofAuto().allocate(16);
                        for (int i = 0; i < perThread; i++) {
                            int received = queue.receive(into, Duration.ofSeconds(30));
                            assertEquals(8, received);
                            sums[id] += into.get(ValueLayout.JAVA_LONG, 0);
                        }
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(50));
                assertFalse(thread.isAlive(), thread + " did not finish");
            }
            long expected = 2L * perThread * (perThread - 1) / 2;
            assertEquals(expected, sums[0] + sums[1]);
            assertEquals(0, queue.messageCount());
        } finally {
            MessageQueue.unlinkIfExists(name);
        }
    }
}
