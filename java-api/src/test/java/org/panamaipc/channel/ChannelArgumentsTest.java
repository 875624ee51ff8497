package org.panamaipc.channel;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.panamaipc.PeerGoneException;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The convention of docs/conventions.md on ring channels: a null argument is a
 * {@link NullPointerException} naming the parameter, thrown before anything changes; every
 * {@link Duration} goes through one rule (huge means as long as it takes, zero or negative means
 * do not wait).
 */
@ExtendWith(NoLeakedObjects.class)
@Timeout(60)
class ChannelArgumentsTest {

    /** Longer than a long of nanoseconds: "as long as it takes". */
    private static final Duration FOREVER = Duration.ofSeconds(Long.MAX_VALUE);
    private static final MessageHandler NOTHING = (h, b, o, l) -> { };

    private interface Body {
        void run(RingChannel channel) throws Exception;
    }

    private static void withChannel(ChannelType type, Body body) throws Exception {
        String name = TestNames.unique("args-" + type);
        try (RingChannel channel = RingChannel.create(name, ChannelOptions.of(type).capacity(1024).maxMessageLength(100))) {
            body.run(channel);
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    private static void assertNamed(String parameter, Executable call) {
        NullPointerException e = assertThrows(NullPointerException.class, call);
        assertEquals(parameter, e.getMessage(), "the exception names the parameter");
    }

    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void shouldNameTheNullParameterAndChangeNothing(ChannelType type) throws Exception {
        withChannel(type, channel -> {
            assertNamed("strategy", () -> channel.sender(null));
            assertNamed("strategy", () -> channel.receiver(null, true));
            assertNamed("name", () -> RingChannel.open((String) null));
            assertNamed("memory", () -> RingChannel.open((org.panamaipc.shm.SharedMemory) null));
            assertNamed("options", () -> RingChannel.anonymous(null));
            assertNamed("name", () -> RingChannel.create((String) null, ChannelOptions.of(type)));
            assertNamed("name", () -> RingChannel.openOrCreate(null, ChannelOptions.of(type)));
            assertNamed("options", () -> RingChannel.openOrCreate("/x", null));
            assertNamed("name", () -> RingChannel.unlink(null));
            assertNamed("name", () -> RingChannel.unlinkIfExists(null));
            assertNamed("name", () -> RingChannel.exists(null));
            try (Sender sender = channel.sender(WaitStrategy.busySpin());
                 Receiver receiver = channel.receiver(WaitStrategy.busySpin(), false);
                 Arena arena = Arena.ofConfined()) {
                MemorySegment destination = arena.allocate(100);
                assertNamed("message", () -> sender.trySend(1, (byte[]) null));
                assertNamed("message", () -> sender.send(1, (byte[]) null));
                assertNamed("message", () -> sender.send(1, (byte[]) null, Duration.ofSeconds(1)));
                assertNamed("message", () -> sender.trySend(1, (ByteBuffer) null));
                assertNamed("source", () -> sender.trySend(1, (MemorySegment) null, 0, 1));
                assertNamed("source", () -> sender.send(1, (MemorySegment) null, 0, 1));
                assertNamed("source", () -> sender.send(1, (MemorySegment) null, 0, 1, Duration.ofSeconds(1)));
                assertNamed("messages", () -> sender.trySend(1, (MemorySegment[]) null, 0, 1));
                assertNamed("messages", () -> sender.send(1, (MemorySegment[]) null, 0, 1));
                assertNamed("messages", () -> sender.send(1, (MemorySegment[]) null, 0, 1, Duration.ofSeconds(1)));
                assertNamed("timeout", () -> sender.send(1, new MemorySegment[1], 0, 1, null));
                assertNamed("timeout", () -> sender.send(1, new byte[1], null));
                assertNamed("timeout", () -> sender.send(1, MemorySegment.ofArray(new byte[1]), 0, 1, null));
                assertNamed("timeout", () -> sender.claim(1, 1, null));
                assertNamed("message", () -> sender.send(1, (ByteBuffer) null));
                assertNamed("message", () -> sender.send(1, (ByteBuffer) null, Duration.ofSeconds(1)));
                assertNamed("timeout", () -> sender.send(1, ByteBuffer.allocate(1), null));
                assertEquals(Receiver.EMPTY, receiver.tryReceive(destination, 0), "nothing was sent");
                assertEquals(1, sender.trySend(1, new byte[] {42}), "no sequence number was used");

                assertNamed("handler", () -> receiver.poll(null, 1));
                assertNamed("handler", () -> receiver.receive((MessageHandler) null, 1));
                assertNamed("handler", () -> receiver.receive((MessageHandler) null, 1, Duration.ofSeconds(1)));
                assertNamed("destination", () -> receiver.tryReceive(null, 0));
                assertNamed("destination", () -> receiver.receive((MemorySegment) null, 0));
                assertNamed("destination", () -> receiver.receive((MemorySegment) null, 0, Duration.ofSeconds(1)));
                assertNamed("timeout", () -> receiver.receive(NOTHING, 1, null));
                assertNamed("timeout", () -> receiver.receive(destination, 0, null));
                assertNamed("timeout", () -> receiver.receiveBytes(null));
                assertNamed("destination", () -> receiver.tryReceive((ByteBuffer) null));
                assertNamed("destination", () -> receiver.receive((ByteBuffer) null));
                assertNamed("destination", () -> receiver.receive((ByteBuffer) null, Duration.ofSeconds(1)));
                assertNamed("timeout", () -> receiver.receive(ByteBuffer.allocate(100), null));
                assertArrayEquals(new byte[] {42}, receiver.receiveBytes(Duration.ZERO), "the message stayed");
            }
        });
    }

    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void shouldTakeADurationTooLongForNanosecondsAsForever(ChannelType type) throws Exception {
        withChannel(type, channel -> {
            try (Receiver receiver = channel.receiver(WaitStrategy.blocking(), true);
                 Arena arena = Arena.ofConfined()) {
                MemorySegment destination = arena.allocate(100);
                try (Sender sender = channel.sender(WaitStrategy.blocking())) {
                    assertEquals(1, sender.send(1, new byte[] {1}, FOREVER));
                    assertEquals(2, sender.send(1, MemorySegment.ofArray(new byte[] {2}), 0, 1, FOREVER));
                    long index = sender.claim(1, 1, FOREVER);
                    sender.buffer().set(java.lang.foreign.ValueLayout.JAVA_BYTE, index, (byte) 3);
                    assertEquals(3, sender.commit(index));
                    assertEquals(1, receiver.receive(destination, 0, FOREVER));
                    assertArrayEquals(new byte[] {2}, receiver.receiveBytes(FOREVER));
                    assertEquals(1, receiver.receive(NOTHING, 10, FOREVER));
                }
                // the sender has gone and the ring is empty: each returns at once, told so
                assertEquals(Receiver.CLOSED, receiver.receive(destination, 0, FOREVER));
                assertEquals(Receiver.CLOSED, receiver.receive(NOTHING, 1, FOREVER));
                assertThrows(PeerGoneException.class, () -> receiver.receiveBytes(FOREVER));
                assertEquals(Receiver.CLOSED, receiver.receive(ByteBuffer.allocate(100), FOREVER));
            }
            try (Sender sender = channel.sender(WaitStrategy.blocking())) {
                Receiver receiver = channel.receiver(WaitStrategy.blocking(), false);
                while (sender.trySend(1, new byte[100]) > 0) {
                    // fill
                }
                receiver.close();
                assertEquals(Sender.CLOSED, sender.send(1, new byte[100], FOREVER));
                assertEquals(Sender.CLOSED, sender.claim(1, 100, FOREVER));
            }
        });
    }

    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void shouldNotWaitForAZeroOrNegativeDuration(ChannelType type) throws Exception {
        withChannel(type, channel -> {
            try (Sender sender = channel.sender(WaitStrategy.blocking());
                 Receiver receiver = channel.receiver(WaitStrategy.blocking(), false);
                 Arena arena = Arena.ofConfined()) {
                MemorySegment destination = arena.allocate(100);
                for (Duration none : new Duration[] {Duration.ZERO, Duration.ofNanos(-1), Duration.ofSeconds(Long.MIN_VALUE)}) {
                    assertEquals(Receiver.EMPTY, receiver.receive(destination, 0, none));
                    assertEquals(Receiver.EMPTY, receiver.receive(NOTHING, 1, none));
                    assertNull(receiver.receiveBytes(none));
                }
                while (sender.trySend(1, new byte[100]) > 0) {
                    // fill
                }
                for (Duration none : new Duration[] {Duration.ZERO, Duration.ofNanos(-1), Duration.ofSeconds(Long.MIN_VALUE)}) {
                    assertEquals(Sender.FULL, sender.send(1, new byte[100], none));
                    assertEquals(Sender.FULL, sender.claim(1, 100, none));
                }
                assertTrue(receiver.receive(destination, 0, Duration.ZERO) >= 0, "a message that is there is taken");
            }
        });
    }

    private static void assertOffsetRefused(Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains("offset=-1"), "the exception names the offset: " + e.getMessage());
    }

    /**
     * A negative offset into the caller's memory is a caller bug: {@link IllegalArgumentException}
     * naming {@code offset=-1}, not FFM's {@link IndexOutOfBoundsException}; nothing is sent and
     * the waiting message stays. Before the fix every form threw FFM's "new offset = -1".
     */
    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void shouldRefuseANegativeOffsetNamingIt(ChannelType type) throws Exception {
        withChannel(type, channel -> {
            try (Sender sender = channel.sender(WaitStrategy.busySpin());
                 Receiver receiver = channel.receiver(WaitStrategy.busySpin(), false);
                 Arena arena = Arena.ofConfined()) {
                MemorySegment memory = arena.allocate(100);
                assertOffsetRefused(() -> sender.trySend(1, memory, -1, 8));
                assertOffsetRefused(() -> sender.send(1, memory, -1, 8));
                assertOffsetRefused(() -> sender.send(1, memory, -1, 8, Duration.ofMillis(10)));
                assertEquals(Receiver.EMPTY, receiver.tryReceive(memory, 0), "a refused send sends nothing");
                assertTrue(sender.trySend(5, new byte[] {1, 2, 3}) >= 0);
                assertOffsetRefused(() -> receiver.tryReceive(memory, -1));
                assertOffsetRefused(() -> receiver.receive(memory, -1));
                assertOffsetRefused(() -> receiver.receive(memory, -1, Duration.ofMillis(10)));
                assertThrows(IllegalArgumentException.class, () -> receiver.tryReceive(memory, memory.byteSize() + 1));
                assertEquals(3, receiver.tryReceive(memory, 0), "the message stayed in the channel");
                assertEquals(5, receiver.lastHeader().type());
            }
        });
    }
}
