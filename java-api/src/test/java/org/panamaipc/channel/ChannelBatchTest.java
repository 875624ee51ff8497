package org.panamaipc.channel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.panamaipc.MessageTooLongException;
import org.panamaipc.PeerGoneException;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.testkit.ChildProcess;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Batches on every ring kind: a send of many messages ({@link Sender#trySend(int, MemorySegment[], int, int)}
 * and its waiting forms) and a poll that takes many at once, in order and with exact counts,
 * partial when the ring is full or the batch larger than the ring, with the dead-peer outcomes
 * of a single send, and between Java and the C peer both ways.
 */
@ExtendWith(NoLeakedObjects.class)
@Timeout(90)
class ChannelBatchTest {

    private static final long SEED = 77;
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private interface Body {
        void run(String name) throws Exception;
    }

    private static void withName(String label, Body body) throws Exception {
        String name = TestNames.unique(label);
        try {
            body.run(name);
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    /** Messages of 8 + (i % 50) bytes whose first 8 bytes hold {@code first + i}. */
    private static MemorySegment[] numbered(Arena arena, long first, int count) {
        MemorySegment[] messages = new MemorySegment[count];
        for (int i = 0; i < count; i++) {
            messages[i] = arena.allocate(8 + i % 50);
            messages[i].set(ValueLayout.JAVA_LONG_UNALIGNED, 0, first + i);
        }
        return messages;
    }

    /** Collects the numbers, lengths and sequence numbers of what a poll hands over. */
    private static final class Collected implements MessageHandler {
        final List<Long> numbers = new ArrayList<>();
        final List<Integer> lengths = new ArrayList<>();
        final List<Long> sequences = new ArrayList<>();
        final List<Integer> types = new ArrayList<>();

        @Override
        public void onMessage(MessageHeader header, MemorySegment buffer, long offset, int length) {
            numbers.add(buffer.get(ValueLayout.JAVA_LONG_UNALIGNED, offset));
            lengths.add(length);
            sequences.add(header.sequence());
            types.add(header.type());
        }
    }

    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void shouldSendABatchInOrderAndSayHowManyWent(ChannelType type) throws Exception {
        withName("batch-order-" + type, name -> {
            try (RingChannel channel = RingChannel.create(name, ChannelOptions.of(type).capacity(1 << 16));
                 Sender sender = channel.sender(WaitStrategy.busySpin());
                 Receiver receiver = channel.receiver(WaitStrategy.busySpin(), false);
                 Arena arena = Arena.ofConfined()) {
                MemorySegment[] messages = numbered(arena, 1000, 100);
                assertEquals(60, sender.trySend(9, messages, 0, 60));
                assertEquals(40, sender.send(9, messages, 60, 40));
                long timeTail = channel.stats().tail();
                assertEquals(1, sender.send(9, messages, 0, 1, Duration.ofMillis(1)));
                assertTrue(channel.stats().tail() > timeTail, "the tail was published");
                Collected collected = new Collected();
                assertEquals(64, receiver.poll(collected, 64));
                assertEquals(37, receiver.receive(collected, 1000, Duration.ofSeconds(1)));
                assertEquals(Receiver.EMPTY, receiver.poll(collected, 10));
                for (int i = 0; i < 100; i++) {
                    assertEquals(1000 + i, collected.numbers.get(i));
                    assertEquals(8 + i % 50, collected.lengths.get(i));
                    assertEquals(i + 1, collected.sequences.get(i));
                    assertEquals(9, collected.types.get(i));
                }
                assertEquals(1000, collected.numbers.get(100));
                assertEquals(101, collected.sequences.get(100));
                ChannelStats stats = channel.stats();
                assertEquals(101, stats.messagesSent());
                assertEquals(101, stats.messagesReceived());
                assertEquals(stats.bytesSent(), stats.bytesReceived());
                assertEquals(stats.tail(), stats.head());
            }
        });
    }

    /**
     * A batch whose fifth message cannot be read (its arena was closed) while the batch's room is
     * taken in one span: the four before it go, the exception reaches the caller, the rest of the
     * span is passed over, and the next sends flow, on every kind (for many senders, with the
     * claim withdrawn, so nothing waits on it).
     */
    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void shouldSendTheMessagesBeforeOneThatThrowsAndPassOverTheRestOfTheSpan(ChannelType type) throws Exception {
        withName("batch-throws-" + type, name -> {
            try (RingChannel channel = RingChannel.create(name, ChannelOptions.of(type).capacity(1 << 16));
                 Sender sender = channel.sender(WaitStrategy.busySpin());
                 Receiver receiver = channel.receiver(WaitStrategy.busySpin(), false);
                 Arena arena = Arena.ofConfined()) {
                MemorySegment[] messages = numbered(arena, 1, 10);
                Arena closed = Arena.ofConfined();
                messages[4] = closed.allocate(16);
                closed.close();
                assertThrows(IllegalStateException.class, () -> sender.trySend(3, messages, 0, 10));
                assertEquals(2, sender.trySend(3, numbered(arena, 100, 2), 0, 2));
                Collected collected = new Collected();
                assertEquals(6, receiver.poll(collected, 64));
                assertEquals(List.of(1L, 2L, 3L, 4L, 100L, 101L), collected.numbers);
                assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), collected.sequences);
                assertEquals(Receiver.EMPTY, receiver.poll(collected, 10));
                assertEquals(channel.stats().tail(), channel.stats().head());
                MemorySegment body = ((SenderEndpoint) sender).body;
                long slot = ChannelDescriptor.endpointOffset(sender.endpointId());
                assertEquals(-1L, body.get(ValueLayout.JAVA_LONG, slot + ChannelDescriptor.EP_CLAIM_START_OFFSET),
                        "no claim left in the sender's slot");
            }
        });
    }

    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void shouldSendWhatFitsOfABatchWhenTheRingFillsAndTheRestLater(ChannelType type) throws Exception {
        withName("batch-full-" + type, name -> {
            try (RingChannel channel = RingChannel.create(name, ChannelOptions.of(type).capacity(1024));
                 Sender sender = channel.sender(WaitStrategy.busySpin());
                 Receiver receiver = channel.receiver(WaitStrategy.busySpin(), false);
                 Arena arena = Arena.ofConfined()) {
                MemorySegment[] messages = new MemorySegment[20];
                for (int i = 0; i < messages.length; i++) {
                    messages[i] = arena.allocate(100).fill((byte) i);
                }
                int fits = 1024 / RecordDescriptor.recordLength(100);
                assertEquals(fits, sender.trySend(1, messages, 0, 20), "as many as there is room for");
                assertEquals(Sender.FULL, sender.trySend(1, messages, fits, 20 - fits));
                assertEquals(Sender.FULL, sender.send(1, messages, fits, 20 - fits, Duration.ofMillis(20)));
                MemorySegment destination = arena.allocate(100);
                assertEquals(100, receiver.tryReceive(destination, 0));
                assertEquals(0, destination.get(ValueLayout.JAVA_BYTE, 99));
                assertEquals(1, sender.trySend(1, messages, fits, 20 - fits), "room for one again");
                int received = 1;
                int sent = fits + 1;
                while (received < 20) {
                    int n = receiver.tryReceive(destination, 0);
                    if (n > 0) {
                        assertEquals(received, destination.get(ValueLayout.JAVA_BYTE, 50), "in order");
                        received++;
                    } else if (sent < 20) {
                        sent += (int) sender.trySend(1, messages, sent, 20 - sent);
                    }
                }
                assertEquals(Receiver.EMPTY, receiver.tryReceive(destination, 0));
            }
        });
    }

    /** A batch of 5,000 messages into a ring of 4 KiB, sent by the blocking form in parts while a thread receives. */
    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void shouldSendABatchLargerThanTheRingInParts(ChannelType type) throws Exception {
        withName("batch-large-" + type, name -> {
            int count = 5_000;
            try (RingChannel channel = RingChannel.create(name, ChannelOptions.of(type).capacity(4096).maxMessageLength(100));
                 Sender sender = channel.sender(WaitStrategy.blocking());
                 Receiver receiver = channel.receiver(WaitStrategy.blocking(), false);
                 Arena arena = Arena.ofShared()) {
                MemorySegment[] messages = numbered(arena, 0, count);
                Collected collected = new Collected();
                FutureTask<Integer> receiving = new FutureTask<>(() -> {
                    int polls = 0;
                    while (collected.numbers.size() < count) {
                        int n = receiver.receive(collected, 64, Duration.ofSeconds(30));
                        assertTrue(n > 0, "a message within 30 s, got " + n);
                        polls++;
                    }
                    return polls;
                });
                Thread thread = new Thread(receiving, "receiver");
                thread.setDaemon(true);
                thread.start();
                int calls = 0;
                for (int sent = 0; sent < count; calls++) {
                    long went = sender.send(3, messages, sent, count - sent);
                    assertTrue(went >= 1 && went <= count - sent, "went=" + went);
                    sent += (int) went;
                }
                int polls = receiving.get(60, TimeUnit.SECONDS);
                assertTrue(calls > 1, "the ring cannot hold the batch: it took more than one call");
                assertTrue(polls < count, "some polls took more than one message: " + polls);
                for (int i = 0; i < count; i++) {
                    assertEquals(i, collected.numbers.get(i));
                    assertEquals(i + 1, collected.sequences.get(i));
                }
                assertEquals(count, channel.stats().messagesReceived());
            }
        });
    }

    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void shouldRefuseABatchWithAMessageTooLongBeforeSendingAnything(ChannelType type) throws Exception {
        withName("batch-long-" + type, name -> {
            try (RingChannel channel = RingChannel.create(name, ChannelOptions.of(type).capacity(4096).maxMessageLength(64));
                 Sender sender = channel.sender(WaitStrategy.busySpin());
                 Arena arena = Arena.ofConfined()) {
                MemorySegment[] messages = {arena.allocate(8), arena.allocate(64), arena.allocate(65)};
                assertThrows(MessageTooLongException.class, () -> sender.trySend(1, messages, 0, 3));
                assertThrows(MessageTooLongException.class, () -> sender.send(1, messages, 0, 3));
                MemorySegment[] holes = {arena.allocate(8), null};
                NullPointerException npe = assertThrows(NullPointerException.class, () -> sender.trySend(1, holes, 0, 2));
                assertEquals("messages[1]", npe.getMessage());
                assertThrows(IllegalArgumentException.class, () -> sender.trySend(1, messages, 0, 0));
                assertThrows(IndexOutOfBoundsException.class, () -> sender.trySend(1, messages, 2, 2));
                assertEquals(0, channel.stats().tail(), "nothing was sent");
                assertEquals(2, sender.trySend(1, messages, 0, 2));
            }
        });
    }

    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void shouldSayTheReceiversHaveGoneAsASingleSendDoes(ChannelType type) throws Exception {
        withName("batch-gone-" + type, name -> {
            try (RingChannel channel = RingChannel.create(name, ChannelOptions.of(type).capacity(1024));
                 Sender sender = channel.sender(WaitStrategy.blocking());
                 Arena arena = Arena.ofShared()) {
                MemorySegment[] messages = numbered(arena, 0, 200);
                Receiver receiver = channel.receiver(WaitStrategy.busySpin(), false);
                int sent = (int) sender.trySend(1, messages, 0, 200);
                assertTrue(sent > 0 && sent < 200);
                FutureTask<Long> blocked = new FutureTask<>(() -> sender.send(1, messages, sent, 200 - sent));
                Thread thread = new Thread(blocked, "sender");
                thread.setDaemon(true);
                thread.start();
                Thread.sleep(50);
                receiver.close();
                var failure = assertThrows(java.util.concurrent.ExecutionException.class,
                        () -> blocked.get(30, TimeUnit.SECONDS));
                assertTrue(failure.getCause() instanceof PeerGoneException, failure.getCause().toString());
                assertEquals(Sender.CLOSED, sender.trySend(1, messages, sent, 200 - sent));
                assertEquals(Sender.CLOSED, sender.send(1, messages, sent, 200 - sent, Duration.ofMillis(10)));
            }
        });
    }

    /** A receiver of an MPMC channel takes a batch with one compare-and-set; a handler that throws leaves the rest for the next call. */
    @Test
    void shouldKeepTheRestOfATakenBatchAfterAHandlerThrows() throws Exception {
        withName("batch-mpmc-throw", name -> {
            try (RingChannel channel = RingChannel.create(name, ChannelOptions.of(ChannelType.MPMC).capacity(1 << 16));
                 Sender sender = channel.sender(WaitStrategy.busySpin());
                 Receiver receiver = channel.receiver(WaitStrategy.busySpin(), false);
                 Arena arena = Arena.ofConfined()) {
                assertEquals(30, sender.trySend(2, numbered(arena, 0, 30), 0, 30));
                long headBefore = channel.stats().head();
                List<Long> seen = new ArrayList<>();
                MessageHandler failing = (header, buffer, offset, length) -> {
                    long n = buffer.get(ValueLayout.JAVA_LONG_UNALIGNED, offset);
                    seen.add(n);
                    if (n == 4) {
                        throw new IllegalStateException("handler failed at 4");
                    }
                };
                assertThrows(IllegalStateException.class, () -> receiver.poll(failing, 20));
                assertTrue(channel.stats().head() > headBefore, "the batch left the ring");
                MemorySegment destination = arena.allocate(64);
                assertEquals(8 + 5, receiver.tryReceive(destination, 0), "message 5, kept by the receiver");
                assertEquals(5, destination.get(ValueLayout.JAVA_LONG_UNALIGNED, 0));
                assertEquals(6, receiver.lastHeader().sequence());
                assertEquals(24, receiver.poll(failing, 100));
                assertEquals(Receiver.EMPTY, receiver.poll(failing, 100));
                List<Long> expected = new ArrayList<>();
                for (long i = 0; i < 30; i++) {
                    if (i != 5) {
                        expected.add(i);
                    }
                }
                assertEquals(expected, seen);
                assertEquals(30, channel.stats().messagesReceived());
            }
        });
    }

    // with the C peer

    private static ChildProcess ringPeer(String... args) {
        List<String> command = new ArrayList<>(List.of("-t", "75"));
        command.addAll(List.of(args));
        return ChildProcess.nativePeer("ring_peer", command.toArray(String[]::new));
    }

    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void shouldReceiveWhatTheCPeerSendsInBatches(ChannelType type) throws Exception {
        withName("batch-c2j-" + type, name -> {
            int count = 50_000;
            try (RingChannel channel = RingChannel.create(name, ChannelOptions.of(type).capacity(1 << 14).maxMessageLength(1000));
                 Receiver receiver = channel.receiver(WaitStrategy.blocking(), true)) {
                PeerPattern.Checker checker = new PeerPattern.Checker(SEED, channel);
                try (ChildProcess peer = ringPeer("send", name, Integer.toString(count), Long.toString(SEED),
                        "--batch", "16", "--blocking")) {
                    checker.receiveUntilClosed(receiver);
                    peer.assertSuccess(DEADLINE);
                }
                assertEquals(count, checker.received());
                ChannelStats stats = channel.stats();
                assertEquals(count, stats.messagesReceived());
                assertEquals(stats.tail(), stats.head());
            }
        });
    }

    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void shouldSendInBatchesWhatTheCPeerReceives(ChannelType type) throws Exception {
        withName("batch-j2c-" + type, name -> {
            int count = 50_000;
            int batch = 32;
            try (RingChannel channel = RingChannel.create(name, ChannelOptions.of(type).capacity(1 << 14).maxMessageLength(1000));
                 Sender sender = channel.sender(WaitStrategy.blocking());
                 Arena arena = Arena.ofConfined();
                 ChildProcess peer = ringPeer("recv", name, Integer.toString(count), Long.toString(SEED), "--any-type",
                         "--blocking")) {
                int limit = PeerPattern.limit(channel.maxMessageLength());
                MemorySegment[] messages = new MemorySegment[batch];
                MemorySegment pool = arena.allocate((long) batch * limit);
                long sequence = 1;
                while (sequence <= count) {
                    int n = (int) Math.min(batch, count - sequence + 1);
                    for (int k = 0; k < n; k++) {
                        long s = sequence + k;
                        int length = PeerPattern.length(s, SEED, limit);
                        MemorySegment message = pool.asSlice((long) k * limit, length);
                        for (int i = 0; i < length; i++) {
                            message.set(ValueLayout.JAVA_BYTE, i, PeerPattern.at(s, SEED, i));
                        }
                        messages[k] = message;
                    }
                    long went = sender.send(5, messages, 0, n, Duration.ofSeconds(30));
                    assertTrue(went >= 1, "went=" + went);
                    sequence += went;
                    // what did not go is made again from its sequence number in the next round
                }
                peer.assertSuccess(DEADLINE);
                assertTrue(peer.output().contains("received " + count + " messages, sequence sum "
                        + (long) count * (count + 1) / 2), peer.output());
            }
        });
    }
}
