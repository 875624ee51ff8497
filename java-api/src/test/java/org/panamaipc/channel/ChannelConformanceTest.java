package org.panamaipc.channel;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.panamaipc.MessageTooLongException;
import org.panamaipc.PeerGoneException;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.testkit.KernelWaits;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The behaviour every channel type shares, run against each: SPSC, MPSC and MPMC. Across
 * processes: {@link ChannelAcrossProcessesTest}.
 */
@ExtendWith(NoLeakedObjects.class)
@Timeout(60)
class ChannelConformanceTest {

    private interface Body {
        void run(RingChannel channel) throws Exception;
    }

    private static void withChannel(ChannelOptions options, Body body) throws Exception {
        String name = TestNames.unique("chan-" + options.type());
        try (RingChannel channel = RingChannel.create(name, options)) {
            body.run(channel);
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void shouldDeliverMessagesInOrderWithTheirHeaders(ChannelType type) throws Exception {
        withChannel(ChannelOptions.of(type).capacity(1 << 16), channel -> {
            try (Sender sender = channel.sender(WaitStrategy.busySpin());
                 Receiver receiver = channel.receiver(WaitStrategy.busySpin(), false)) {
                for (int i = 0; i < 100; i++) {
                    assertEquals(i + 1, sender.trySend(7 + i, ("message " + i).getBytes(StandardCharsets.UTF_8)));
                }
                List<String> seen = new ArrayList<>();
                int polled = receiver.poll((header, buffer, offset, length) -> {
                    String text = new String(buffer.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE),
                            StandardCharsets.UTF_8);
                    seen.add(header.type() + ":" + header.sequence() + ":" + header.source() + ":" + text);
                }, 1000);
                assertEquals(100, polled);
                for (int i = 0; i < 100; i++) {
                    assertEquals((7 + i) + ":" + (i + 1) + ":" + sender.endpointId() + ":message " + i, seen.get(i));
                }
                assertEquals(Receiver.EMPTY, receiver.poll((h, b, o, l) -> { }, 10));
                ChannelStats stats = channel.stats();
                assertEquals(100, stats.messagesSent());
                assertEquals(100, stats.messagesReceived());
                assertEquals(stats.bytesSent(), stats.bytesReceived());
                assertEquals(stats.tail(), stats.head());
            }
        });
    }

    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void shouldReportFullAndEmptyWithoutExceptions(ChannelType type) throws Exception {
        withChannel(ChannelOptions.of(type).capacity(1024), channel -> {
            try (Sender sender = channel.sender(WaitStrategy.busySpin());
                 Receiver receiver = channel.receiver(WaitStrategy.busySpin(), false);
                 Arena arena = Arena.ofConfined()) {
                MemorySegment destination = arena.allocate(512);
                assertEquals(Receiver.EMPTY, receiver.tryReceive(destination, 0));
                int sent = 0;
                while (sender.trySend(1, new byte[100]) > 0) {
                    sent++;
                }
                assertEquals(1024 / RecordDescriptor.recordLength(100), sent);
                assertEquals(Sender.FULL, sender.trySend(1, new byte[100]));
                assertTrue(channel.stats().timesFull() >= 1);
                for (int i = 0; i < sent; i++) {
                    assertEquals(100, receiver.tryReceive(destination, 0));
                }
                assertEquals(Receiver.EMPTY, receiver.tryReceive(destination, 0));
                assertTrue(sender.trySend(1, new byte[100]) > 0, "room again");
            }
        });
    }

    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void shouldWrapAroundManyTimesWithVariableSizes(ChannelType type) throws Exception {
        withChannel(ChannelOptions.of(type).capacity(4096).maxMessageLength(1000), channel -> {
            try (Sender sender = channel.sender(WaitStrategy.busySpin());
                 Receiver receiver = channel.receiver(WaitStrategy.busySpin(), false);
                 Arena arena = Arena.ofConfined()) {
                MemorySegment destination = arena.allocate(1000);
                long sentCount = 0;
                long receivedCount = 0;
                while (receivedCount < 20_000) {
                    // send until full, then receive one: the ring wraps at every offset over time
                    while (sentCount < 20_000) {
                        int length = sizeOf(sentCount);
                        long index = sender.tryClaim((int) sentCount, length);
                        if (index < 0) {
                            break;
                        }
                        fill(sender.buffer(), index, length, sentCount);
                        sender.commit(index);
                        sentCount++;
                    }
                    int length = receiver.tryReceive(destination, 0);
                    if (length >= 0) {
                        assertEquals(sizeOf(receivedCount), length, "length of message " + receivedCount);
                        assertEquals(receivedCount, receiver.lastHeader().type());
                        verify(destination, 0, length, receivedCount);
                        receivedCount++;
                    }
                }
                assertEquals(20_000, channel.stats().messagesReceived());
            }
        });
    }

    private static int sizeOf(long n) {
        return (int) Math.floorMod(n * 0x9E3779B97F4A7C15L >>> 17, 1001L);
    }

    static void fill(MemorySegment buffer, long index, int length, long seed) {
        for (int i = 0; i < length; i++) {
            buffer.set(ValueLayout.JAVA_BYTE, index + i, (byte) (seed * 31 + i));
        }
    }

    static void verify(MemorySegment buffer, long index, int length, long seed) {
        for (int i = 0; i < length; i++) {
            if (buffer.get(ValueLayout.JAVA_BYTE, index + i) != (byte) (seed * 31 + i)) {
                throw new AssertionError("message " + seed + " byte " + i + " differs");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void shouldPassOverAbortedClaimsWithoutUsingASequenceNumber(ChannelType type) throws Exception {
        withChannel(ChannelOptions.of(type).capacity(1 << 12), channel -> {
            try (Sender sender = channel.sender(WaitStrategy.busySpin());
                 Receiver receiver = channel.receiver(WaitStrategy.busySpin(), false)) {
                long index = sender.tryClaim(1, 10);
                assertThrows(IllegalStateException.class, () -> sender.tryClaim(1, 10), "one claim at a time");
                assertThrows(IllegalStateException.class, () -> sender.commit(index + 8));
                sender.abort(index);
                assertThrows(IllegalStateException.class, () -> sender.commit(index));
                assertEquals(1, sender.trySend(2, new byte[] {5}));
                List<Long> sequences = new ArrayList<>();
                receiver.poll((h, b, o, l) -> sequences.add(h.sequence() * 10 + h.type()), 10);
                assertEquals(List.of(12L), sequences);
            }
        });
    }

    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void shouldRefuseBadArgumentsAndClosedEndpoints(ChannelType type) throws Exception {
        withChannel(ChannelOptions.of(type).capacity(1 << 12).maxMessageLength(100), channel -> {
            Sender sender = channel.sender(WaitStrategy.busySpin());
            Receiver receiver = channel.receiver(WaitStrategy.busySpin(), false);
            MessageTooLongException tooLong = assertThrows(MessageTooLongException.class,
                    () -> sender.trySend(1, new byte[101]));
            assertEquals("EMSGSIZE", tooLong.errnoName(), "as a queue's: code testing the errno sees both");
            assertEquals(101, tooLong.length());
            assertEquals(100, tooLong.maxLength());
            assertTrue(tooLong.getMessage().contains("channel " + channel.name()), tooLong.getMessage());
            assertThrows(MessageTooLongException.class, () -> sender.tryClaim(1, 101));
            assertThrows(MessageTooLongException.class, () -> sender.send(1, new byte[101], Duration.ofSeconds(1)));
            assertThrows(IllegalArgumentException.class, () -> sender.tryClaim(1, -1));
            assertTrue(sender.trySend(1, new byte[50]) > 0);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment small = arena.allocate(10);
                assertThrows(IllegalArgumentException.class, () -> receiver.tryReceive(small, 0));
                assertEquals(50, receiver.tryReceive(arena.allocate(50), 0), "the message stayed");
            }
            sender.close();
            sender.close();
            receiver.close();
            assertThrows(IllegalStateException.class, () -> sender.trySend(1, new byte[1]));
            assertThrows(IllegalStateException.class, () -> receiver.poll((h, b, o, l) -> { }, 1));
            assertThrows(IllegalArgumentException.class, () -> ChannelOptions.of(type).capacity(1000));
            assertThrows(IllegalArgumentException.class, () -> ChannelOptions.of(type).capacity(1024).maxMessageLength(600));
        });
    }

    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void shouldAdmitEndpointsAsTheTypeSays(ChannelType type) throws Exception {
        withChannel(ChannelOptions.of(type), channel -> {
            try (Sender first = channel.sender(); Receiver receiver = channel.receiver()) {
                if (type.manySenders()) {
                    channel.sender().close();
                } else {
                    IllegalStateException e = assertThrows(IllegalStateException.class, channel::sender);
                    assertTrue(e.getMessage().contains("already has a sender"), e.getMessage());
                }
                if (type.manyReceivers()) {
                    channel.receiver().close();
                } else {
                    assertThrows(IllegalStateException.class, channel::receiver);
                }
            }
            // once closed, a slot is free again
            channel.sender().close();
        });
    }

    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void shouldTimeOutAndBeInterruptible(ChannelType type) throws Exception {
        withChannel(ChannelOptions.of(type).capacity(1024), channel -> {
            try (Sender sender = channel.sender(WaitStrategy.blocking());
                 Receiver receiver = channel.receiver(WaitStrategy.blocking(), false);
                 Arena arena = Arena.ofConfined()) {
                long start = System.nanoTime();
                assertEquals(Receiver.EMPTY, receiver.receive(arena.allocate(64), 0, Duration.ofMillis(50)));
                assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(50));
                assertEquals(Receiver.EMPTY, receiver.receive((h, b, o, l) -> { }, 1, Duration.ofMillis(20)));
                assertNull(receiver.receiveBytes(Duration.ofMillis(20)));
                while (sender.trySend(1, new byte[200]) > 0) {
                    // fill
                }
                start = System.nanoTime();
                assertEquals(Sender.FULL, sender.send(1, new byte[200], Duration.ofMillis(50)));
                assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(50));

                Thread waiter = Thread.currentThread();
                CompletableFuture<Void> interrupter = CompletableFuture.runAsync(() -> {
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException ignored) {
                        return;
                    }
                    waiter.interrupt();
                });
                assertThrows(InterruptedException.class, () -> sender.send(1, new byte[200]));
                interrupter.get(10, TimeUnit.SECONDS);
            }
        });
    }

    /** Every channel type with every wait strategy, named as {@code ipc bench} names them. */
    static Stream<Arguments> typesAndStrategies() {
        return Stream.of(ChannelType.values()).flatMap(type -> Stream.of("spin", "yield", "backoff", "blocking")
                .map(strategy -> Arguments.of(type, strategy)));
    }

    static WaitStrategy strategy(String name) {
        return switch (name) {
            case "spin" -> WaitStrategy.busySpin();
            case "yield" -> WaitStrategy.yielding();
            case "backoff" -> WaitStrategy.backoff();
            case "blocking" -> WaitStrategy.blocking();
            default -> throw new IllegalArgumentException("strategy=" + name);
        };
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("typesAndStrategies")
    void shouldStreamBetweenThreads(ChannelType type, String strategyName) throws Exception {
        WaitStrategy strategy = strategy(strategyName);
        withChannel(ChannelOptions.of(type).capacity(1 << 14).maxMessageLength(512), channel -> {
            int count = 50_000;
            try (Sender sender = channel.sender(strategy);
                 Receiver receiver = channel.receiver(strategy)) {
                CompletableFuture<Long> consumer = CompletableFuture.supplyAsync(() -> {
                    long[] next = {1};
                    try {
                        while (true) {
                            int n = receiver.receive((h, b, o, l) -> {
                                if (h.sequence() != next[0]) {
                                    throw new AssertionError("sequence " + h.sequence() + " after " + (next[0] - 1));
                                }
                                verify(b, o, l, h.sequence());
                                next[0]++;
                            }, 64, Duration.ofSeconds(30));
                            if (n == Receiver.CLOSED) {
                                return next[0] - 1;
                            }
                            if (n == Receiver.EMPTY) {
                                throw new AssertionError("no message within 30 s");
                            }
                        }
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                });
                for (long seq = 1; seq <= count; seq++) {
                    int length = (int) (seq % 500);
                    long index = sender.claim(1, length, Duration.ofSeconds(30));
                    assertTrue(index >= 0, "claim timed out");
                    fill(sender.buffer(), index, length, seq);
                    assertEquals(seq, sender.commit(index));
                }
                sender.close(); // the receiver then drains and sees CLOSED
                assertEquals(count, consumer.get(60, TimeUnit.SECONDS));
            }
        });
    }

    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void shouldTellABlockedSenderThatEveryReceiverHasGone(ChannelType type) throws Exception {
        withChannel(ChannelOptions.of(type).capacity(1024), channel -> {
            try (Sender sender = channel.sender(WaitStrategy.blocking())) {
                Receiver receiver = channel.receiver(WaitStrategy.blocking(), false);
                while (sender.trySend(1, new byte[200]) > 0) {
                    // fill
                }
                receiver.close();
                PeerGoneException e = assertThrows(PeerGoneException.class, () -> sender.send(1, new byte[200]));
                assertTrue(e.getMessage().contains("its receivers have all gone"), e.getMessage());
                assertEquals(Sender.CLOSED, sender.send(1, new byte[200], Duration.ofSeconds(5)));
            }
        });
    }

    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void shouldCopyIntoACallersSegmentWithTheHeader(ChannelType type) throws Exception {
        withChannel(ChannelOptions.of(type), channel -> {
            try (Sender sender = channel.sender(); Receiver receiver = channel.receiver();
                 Arena arena = Arena.ofConfined()) {
                byte[] payload = "hello, receiver".getBytes(StandardCharsets.UTF_8);
                assertEquals(1, sender.send(42, payload, Duration.ofSeconds(1)));
                MemorySegment destination = arena.allocate(100);
                assertEquals(payload.length, receiver.receive(destination, 10, Duration.ofSeconds(1)));
                assertArrayEquals(payload, destination.asSlice(10, payload.length).toArray(ValueLayout.JAVA_BYTE));
                assertEquals(42, receiver.lastHeader().type());
                assertEquals(1, receiver.lastHeader().sequence());
                assertEquals(sender.endpointId(), receiver.lastHeader().source());
                sender.send(43, new byte[] {1, 2, 3});
                assertArrayEquals(new byte[] {1, 2, 3}, receiver.receiveBytes(Duration.ofSeconds(1)));
                assertEquals(43, receiver.lastHeader().type());
            }
        });
    }

    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void shouldLeaveTheRingUsableAfterASourceOrDestinationIsRefused(ChannelType type) throws Exception {
        withChannel(ChannelOptions.of(type).capacity(1 << 12).maxMessageLength(256), channel -> {
            try (Sender sender = channel.sender(); Receiver receiver = channel.receiver();
                 Arena arena = Arena.ofConfined()) {
                MemorySegment source = arena.allocate(64);
                source.fill((byte) 7);
                // the source holds 64 bytes: 100 from offset 0, or 8 from offset 60, do not exist
                assertThrows(IndexOutOfBoundsException.class, () -> sender.trySend(1, source, 0, 100));
                assertThrows(IndexOutOfBoundsException.class, () -> sender.trySend(1, source, 60, 8));
                assertEquals(Receiver.EMPTY, receiver.tryReceive(arena.allocate(256), 0));
                // nothing was published, and no sequence number was used
                assertEquals(1, sender.trySend(2, source, 0, 64));
                MemorySegment small = arena.allocate(16);
                assertThrows(IllegalArgumentException.class, () -> receiver.tryReceive(small, 0));
                MemorySegment destination = arena.allocate(256);
                assertEquals(64, receiver.tryReceive(destination, 0), "a refused destination consumes nothing");
                assertEquals(1, receiver.lastHeader().sequence());
                assertEquals(2, receiver.lastHeader().type());
                // many laps of a 4 KiB ring with records that do not divide it: padding at every lap's end
                for (int i = 0; i < 1_000; i++) {
                    int length = 1 + i % 200;
                    source.set(ValueLayout.JAVA_BYTE, 0, (byte) i);
                    assertEquals(i + 2, sender.trySend(3, source, 0, Math.min(length, 64)));
                    assertEquals(Math.min(length, 64), receiver.tryReceive(destination, 0));
                    assertEquals((byte) i, destination.get(ValueLayout.JAVA_BYTE, 0));
                    assertEquals(i + 2, receiver.lastHeader().sequence());
                }
                ChannelStats stats = channel.stats();
                assertEquals(1_001, stats.messagesSent());
                assertEquals(1_001, stats.messagesReceived());
                assertEquals(stats.bytesSent(), stats.bytesReceived());
            }
        });
    }

    @ParameterizedTest
    @EnumSource(value = ChannelType.class, names = {"MPSC", "MPMC"})
    void shouldCountWhatWasSentPastAnotherSendersOpenClaim(ChannelType type) throws Exception {
        withChannel(ChannelOptions.of(type).capacity(1 << 12), channel -> {
            try (Sender slow = channel.sender(); Sender fast = channel.sender(); Receiver receiver = channel.receiver()) {
                long claim = slow.tryClaim(1, 16); // claimed, not committed: a hole at the head
                assertTrue(claim >= 0);
                for (int i = 0; i < 3; i++) {
                    assertEquals(i + 1, fast.trySend(2, new byte[] {(byte) i, 1, 2}));
                }
                ChannelStats open = channel.stats();
                assertEquals(3, open.messagesSent(), "the committed messages past the open claim");
                assertEquals(9, open.bytesSent());
                assertEquals(0, open.messagesReceived());
                slow.commit(claim);
                assertEquals(4, channel.stats().messagesSent());
                for (int i = 0; i < 4; i++) {
                    assertTrue(receiver.receiveBytes(Duration.ofSeconds(5)) != null);
                }
                ChannelStats done = channel.stats();
                assertEquals(4, done.messagesSent());
                assertEquals(4, done.messagesReceived());
                assertEquals(25, done.bytesSent());
            }
        });
    }

    /**
     * A receiver asleep on the futex is woken by its last sender's close, and told CLOSED. Its sleep
     * slice is made a minute long here, so that it cannot wake by itself before the 20 s the test
     * waits: without the close's wake-up this fails (the receiver sleeps on); with the usual 250 ms
     * slice it would pass either way.
     */
    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void shouldTellASleepingReceiverThatItsLastSenderClosed(ChannelType type) throws Exception {
        long slice = ReceiverEndpoint.sleepSliceNanos;
        ReceiverEndpoint.sleepSliceNanos = TimeUnit.MINUTES.toNanos(1);
        try {
            withChannel(ChannelOptions.of(type), channel -> {
                try (Receiver receiver = channel.receiver(WaitStrategy.blocking())) {
                    Sender sender = channel.sender(WaitStrategy.blocking());
                    FutureTask<Integer> received = new FutureTask<>(() -> receiver.receive((h, b, o, l) -> { }, 1));
                    Thread thread = new Thread(received, "rsleep-" + type);
                    thread.setDaemon(true);
                    thread.start();
                    awaitAsleep(channel, receiver.endpointId());
                    KernelWaits.awaitFutexWait(thread); // in the kernel: only a wake-up (or the slice) ends it now
                    sender.close();
                    try {
                        assertEquals(Receiver.CLOSED, received.get(20, TimeUnit.SECONDS));
                    } finally {
                        thread.interrupt();
                    }
                }
            });
        } finally {
            ReceiverEndpoint.sleepSliceNanos = slice;
        }
    }

    /** Waits (with a deadline) until endpoint {@code id} says it sleeps on the futex: past its spin, counted among the sleepers. */
    static void awaitAsleep(RingChannel channel, int id) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (channel.endpoints().stream().noneMatch(e -> e.id() == id && e.sleeping())) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("endpoint " + id + " not asleep after 20 s: " + channel.endpoints());
            }
            Thread.sleep(1);
        }
    }
}
