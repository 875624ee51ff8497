package org.panamaipc.broadcast;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.MessageTooLongException;
import org.panamaipc.PeerGoneException;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A broadcast's behaviour within one process: sequence numbers and headers, joining late, the two
 * slow-subscriber policies with the exact loss count, a publisher that leaves and one that comes
 * back, the three forms, and closing. {@code BroadcastAcrossProcessesTest} does the same between
 * JVMs, with deaths.
 */
@ExtendWith(NoLeakedObjects.class)
@Timeout(60)
class BroadcastTest {

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static Broadcast create(String label, BroadcastOptions options) {
        return Broadcast.create(TestNames.unique(label), options);
    }

    @Test
    void shouldDeliverEveryMessageToEverySubscriberInOrder() throws Exception {
        try (Broadcast b = create("bc-basic", BroadcastOptions.of(SlowSubscriberPolicy.BLOCK).capacity(8).maxMessageLength(64))) {
            try (Publisher publisher = b.publisher(); Subscriber one = b.subscribe(); Subscriber two = b.subscribe()) {
                assertEquals(1, one.joinedAt());
                for (int i = 1; i <= 20; i++) {
                    assertEquals(i, publisher.send(i * 10, text("m" + i)));
                    assertEquals("m" + i, text(one.tryReceiveBytes()));
                    assertEquals(i, one.lastHeader().sequence());
                    assertEquals(i * 10, one.lastHeader().type());
                    assertEquals(("m" + i).length(), one.lastHeader().length());
                    assertEquals(0, one.lastHeader().lost());
                    assertEquals("m" + i, text(two.receiveBytes(Duration.ofSeconds(5))));
                }
                assertNull(one.tryReceiveBytes());
                assertEquals(Subscriber.EMPTY, two.receive(MemorySegment.ofArray(new byte[64]), 0, Duration.ofMillis(20)));
                assertEquals(20, one.received());
                assertEquals(0, one.lost());
                assertEquals(20, b.published());
                assertEquals(2, b.subscribers());
            } finally {
                b.unlink();
            }
        }
    }

    @Test
    void shouldOfferTheBufferAndHandlerFormsOfTheConvention() throws Exception {
        try (Broadcast b = create("bc-forms", BroadcastOptions.of(SlowSubscriberPolicy.BLOCK).capacity(8).maxMessageLength(64))) {
            try (Publisher publisher = b.publisher(); Subscriber subscriber = b.subscribe()) {
                ByteBuffer out = ByteBuffer.wrap(text("xxhello"));
                out.position(2);
                assertEquals(1, publisher.trySend(3, out));
                assertEquals(7, out.position(), "the send moved the position past what it sent");
                ByteBuffer in = ByteBuffer.allocate(16).position(4);
                assertEquals(5, subscriber.receive(in, Duration.ofSeconds(5)));
                assertEquals(9, in.position());
                assertEquals("hello", new String(in.array(), 4, 5, StandardCharsets.UTF_8));
                assertEquals(Subscriber.EMPTY, subscriber.tryReceive(in));
                assertEquals(9, in.position(), "nothing came: the position is unchanged");
                assertEquals(Subscriber.EMPTY, subscriber.poll((h, buf, off, len) -> { }, 4), "EMPTY, never 0");
                for (int i = 0; i < 5; i++) {
                    publisher.send(i, text("h" + i));
                }
                StringBuilder seen = new StringBuilder();
                BroadcastHandler handler = (header, buffer, offset, length) -> seen.append(header.sequence()).append(':')
                        .append(text(buffer.asSlice(offset, length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE))).append(' ');
                assertEquals(3, subscriber.poll(handler, 3));
                assertEquals(2, subscriber.receive(handler, 10, Duration.ofSeconds(5)));
                assertEquals("2:h0 3:h1 4:h2 5:h3 6:h4 ", seen.toString());
                assertThrows(IllegalArgumentException.class, () -> subscriber.poll(handler, 0));
                publisher.send(9, text("last"));
                assertThrows(IllegalStateException.class, () -> subscriber.poll((h, buf, off, len) -> subscriber.close(), 1),
                        "a handler may not close its subscriber");
            } finally {
                b.unlink();
            }
        }
    }

    @Test
    void shouldSeeOnlyWhatIsSentAfterJoining() throws Exception {
        try (Broadcast b = create("bc-late", BroadcastOptions.of(SlowSubscriberPolicy.LOSSY).capacity(16).maxMessageLength(16))) {
            try (Publisher publisher = b.publisher()) {
                for (int i = 1; i <= 5; i++) {
                    publisher.trySend(0, text("early" + i));
                }
                try (Subscriber late = b.subscribe()) {
                    assertEquals(6, late.joinedAt());
                    assertNull(late.tryReceiveBytes());
                    publisher.trySend(0, text("late"));
                    assertEquals("late", text(late.tryReceiveBytes()));
                    assertEquals(6, late.lastHeader().sequence());
                }
            } finally {
                b.unlink();
            }
        }
    }

    @Test
    void shouldHoldThePublisherBackUnderBlock() throws Exception {
        try (Broadcast b = create("bc-block", BroadcastOptions.of(SlowSubscriberPolicy.BLOCK).capacity(4).maxMessageLength(8))) {
            try (Publisher publisher = b.publisher(); Subscriber slow = b.subscribe(); Subscriber fast = b.subscribe()) {
                for (int i = 1; i <= 4; i++) {
                    assertEquals(i, publisher.trySend(0, new byte[] {(byte) i}));
                    fast.tryReceiveBytes();
                }
                assertEquals(Publisher.FULL, publisher.trySend(0, new byte[] {5}), "the slow subscriber has read nothing");
                long start = System.nanoTime();
                assertEquals(Publisher.FULL, publisher.send(0, new byte[] {5}, Duration.ofMillis(50)));
                assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(50));
                assertEquals(2, publisher.timesFull());
                assertArrayEquals(new byte[] {1}, slow.tryReceiveBytes());
                assertEquals(5, publisher.trySend(0, new byte[] {5}), "room once the slowest moved");
                CompletableFuture<Long> blocked = CompletableFuture.supplyAsync(() -> {
                    try {
                        return publisher.send(0, new byte[] {6});
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
                Thread.sleep(50);
                assertFalse(blocked.isDone(), "waits for the slow subscriber");
                assertArrayEquals(new byte[] {2}, slow.tryReceiveBytes());
                assertEquals(6, blocked.get(10, TimeUnit.SECONDS));
                for (int i = 3; i <= 6; i++) {
                    assertArrayEquals(new byte[] {(byte) i}, slow.tryReceiveBytes());
                    assertEquals(0, slow.lastHeader().lost());
                }
                assertEquals(0, slow.lost());
            } finally {
                b.unlink();
            }
        }
    }

    @Test
    void shouldCountExactlyWhatALappedSubscriberLostUnderLossy() throws Exception {
        int capacity = 8;
        try (Broadcast b = create("bc-lossy", BroadcastOptions.of(SlowSubscriberPolicy.LOSSY).capacity(capacity).maxMessageLength(8))) {
            try (Publisher publisher = b.publisher(); Subscriber subscriber = b.subscribe()) {
                assertArrayEquals(new byte[0], sendAndTake(publisher, subscriber, 0));
                int sent = 3 * capacity + 5;
                for (int i = 1; i <= sent; i++) {
                    assertTrue(publisher.trySend(i, new byte[] {(byte) i}) > 0, "never full under LOSSY");
                }
                // the publisher has gone round three times: the last `capacity` messages are there
                byte[] first = subscriber.tryReceiveBytes();
                assertEquals(sent - capacity + 1, first[0]);
                assertEquals(sent - capacity, subscriber.lastHeader().lost());
                assertEquals(sent - capacity + 2, subscriber.lastHeader().sequence());
                for (int i = sent - capacity + 2; i <= sent; i++) {
                    assertEquals(i, subscriber.tryReceiveBytes()[0]);
                    assertEquals(0, subscriber.lastHeader().lost());
                }
                assertNull(subscriber.tryReceiveBytes());
                assertEquals(sent - capacity, subscriber.lost());
                assertEquals(1 + capacity, subscriber.received());
                assertEquals(subscriber.position() - subscriber.joinedAt(), subscriber.received() + subscriber.lost());
            } finally {
                b.unlink();
            }
        }
    }

    private static byte[] sendAndTake(Publisher publisher, Subscriber subscriber, int type) throws Exception {
        publisher.send(type, new byte[0]);
        return subscriber.receiveBytes(Duration.ofSeconds(5));
    }

    @Test
    void shouldCloseWhenThePublisherLeavesAndResumeWithTheNext() throws Exception {
        try (Broadcast b = create("bc-leave", BroadcastOptions.of(SlowSubscriberPolicy.BLOCK).capacity(8).maxMessageLength(8))) {
            try (Subscriber subscriber = b.subscribe()) {
                assertNull(subscriber.tryReceiveBytes(), "never had a publisher: waits for one, not closed");
                Publisher first = b.publisher();
                assertThrows(IllegalStateException.class, b::publisher, "one live publisher at a time");
                first.send(0, new byte[] {1});
                first.send(0, new byte[] {2});
                CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(() -> {
                    try {
                        subscriber.receive(MemorySegment.ofArray(new byte[8]), 0);
                        subscriber.receive(MemorySegment.ofArray(new byte[8]), 0);
                        return subscriber.receive(MemorySegment.ofArray(new byte[8]), 0);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
                Thread.sleep(50);
                first.close();
                assertEquals(Subscriber.CLOSED, waiting.get(10, TimeUnit.SECONDS), "drained, then closed");
                assertThrows(PeerGoneException.class, subscriber::tryReceiveBytes);
                try (Publisher second = b.publisher()) {
                    assertEquals(3, second.nextSequence(), "the sequence numbers continue");
                    second.send(0, new byte[] {3});
                    assertArrayEquals(new byte[] {3}, subscriber.receiveBytes());
                }
            } finally {
                b.unlink();
            }
        }
    }

    @Test
    void shouldRefuseWhatDoesNotFitAndKeepTheMessage() throws Exception {
        try (Broadcast b = create("bc-fit", BroadcastOptions.of(SlowSubscriberPolicy.BLOCK).capacity(4).maxMessageLength(32))) {
            try (Publisher publisher = b.publisher(); Subscriber subscriber = b.subscribe(); Arena arena = Arena.ofConfined()) {
                MessageTooLongException tooLong = assertThrows(MessageTooLongException.class,
                        () -> publisher.trySend(0, new byte[33]));
                assertEquals(33, tooLong.length());
                assertEquals(32, tooLong.maxLength());
                assertThrows(IllegalArgumentException.class, () -> publisher.trySend(0, MemorySegment.ofArray(new byte[4]), 0, -1));
                assertThrows(IndexOutOfBoundsException.class, () -> publisher.trySend(0, MemorySegment.ofArray(new byte[4]), 2, 3));
                publisher.send(7, new byte[20]);
                MemorySegment small = arena.allocate(10);
                assertThrows(IllegalArgumentException.class, () -> subscriber.tryReceive(small, 0));
                assertEquals(20, subscriber.tryReceive(arena.allocate(32), 0), "the message stayed");
                assertEquals(7, subscriber.lastHeader().type());
            } finally {
                b.unlink();
            }
        }
    }

    @Test
    void shouldEndAWaitWhenClosedFromAnotherThread() throws Exception {
        try (Broadcast b = create("bc-close", BroadcastOptions.of(SlowSubscriberPolicy.LOSSY).capacity(4).maxMessageLength(8))) {
            try {
                Subscriber subscriber = b.subscribe();
                CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(() -> {
                    try {
                        return subscriber.receive(MemorySegment.ofArray(new byte[8]), 0);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
                Thread.sleep(100); // into its sleep
                subscriber.close();
                ExecutionException e = assertThrows(ExecutionException.class, () -> waiting.get(10, TimeUnit.SECONDS));
                assertInstanceOf(IllegalStateException.class, e.getCause());
                assertTrue(e.getCause().getMessage().contains("is closed"), e.getCause().getMessage());
                assertThrows(IllegalStateException.class, subscriber::tryReceiveBytes);
                subscriber.close();
                assertEquals(0, b.subscribers());
            } finally {
                b.unlink();
            }
        }
    }

    @Test
    void shouldCheckItsOptions() {
        assertThrows(IllegalArgumentException.class, () -> BroadcastOptions.of(SlowSubscriberPolicy.BLOCK).capacity(3));
        assertThrows(IllegalArgumentException.class, () -> BroadcastOptions.of(SlowSubscriberPolicy.BLOCK).capacity(1));
        assertThrows(IllegalArgumentException.class, () -> BroadcastOptions.of(SlowSubscriberPolicy.BLOCK).maxMessageLength(-1));
        assertThrows(IllegalArgumentException.class, () -> BroadcastOptions.of(SlowSubscriberPolicy.BLOCK).subscriberSlots(0));
        assertThrows(IllegalArgumentException.class, () -> BroadcastOptions.of(SlowSubscriberPolicy.BLOCK).mode(0400));
        assertThrows(NullPointerException.class, () -> BroadcastOptions.of(null));
        assertEquals(1024, BroadcastDescriptor.slotLength(BroadcastOptions.DEFAULT_MAX_MESSAGE_LENGTH));
        assertEquals(64, BroadcastDescriptor.slotLength(0));
        assertEquals(128, BroadcastDescriptor.slotLength(49));
    }

    @Test
    void shouldRefuseASubscriberWhenEverySlotIsTaken() {
        try (Broadcast b = create("bc-slots", BroadcastOptions.of(SlowSubscriberPolicy.LOSSY).capacity(4).subscriberSlots(2))) {
            try (Subscriber one = b.subscribe(); Subscriber two = b.subscribe()) {
                IllegalStateException e = assertThrows(IllegalStateException.class, b::subscribe);
                assertTrue(e.getMessage().contains("subscriber slots"), e.getMessage());
                two.close();
                try (Subscriber three = b.subscribe()) {
                    assertEquals(two.slotId(), three.slotId(), "a freed slot is taken again");
                }
            } finally {
                b.unlink();
            }
        }
    }
}
