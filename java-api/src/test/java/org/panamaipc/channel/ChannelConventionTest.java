package org.panamaipc.channel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.panamaipc.Outcome;
import org.panamaipc.PeerGoneException;
import org.panamaipc.process.ProcessId;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The convention of docs/conventions.md on ring channels, for every channel type: the outcome
 * constants, the three forms of every send, claim and receive (ByteBuffer and array forms
 * included) with the ByteBuffer position rule, {@code CLOSED} by default and the receiver that
 * waits for the next sender instead, and the public endpoint table.
 */
@ExtendWith(NoLeakedObjects.class)
@Timeout(60)
class ChannelConventionTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final MessageHandler NOTHING = (h, b, o, l) -> { };

    private interface Body {
        void run(RingChannel channel) throws Exception;
    }

    private static void withChannel(ChannelOptions options, Body body) throws Exception {
        String name = TestNames.unique("conv-" + options.type());
        try (RingChannel channel = RingChannel.create(name, options)) {
            body.run(channel);
        } finally {
            RingChannel.unlinkIfExists(name);
        }
    }

    private static <T> FutureTask<T> inThread(String name, Callable<T> task) {
        FutureTask<T> future = new FutureTask<>(task);
        Thread thread = new Thread(future, name);
        thread.setDaemon(true);
        thread.start();
        return future;
    }

    private static void fill(Sender sender, int length) {
        while (sender.trySend(1, new byte[length]) >= 0) {
            // until full
        }
    }

    @Test
    void shouldRepeatTheOutcomeConstants() {
        assertEquals(Outcome.FULL, Sender.FULL);
        assertEquals(Outcome.CLOSED, Sender.CLOSED);
        assertEquals(Outcome.EMPTY, Receiver.EMPTY);
        assertEquals(Outcome.CLOSED, Receiver.CLOSED);
    }

    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void shouldSendAByteBufferInThreeFormsMovingItsPositionOnlyWhenSent(ChannelType type) throws Exception {
        withChannel(ChannelOptions.of(type).capacity(1024).maxMessageLength(200), channel -> {
            try (Sender sender = channel.sender(); Receiver receiver = channel.receiver()) {
                ByteBuffer heap = ByteBuffer.wrap("xxhello".getBytes(StandardCharsets.US_ASCII)).position(2);
                assertEquals(1, sender.trySend(3, heap));
                assertEquals(heap.limit(), heap.position(), "advanced past what was sent");
                ByteBuffer direct = ByteBuffer.allocateDirect(16).put("direct".getBytes(StandardCharsets.US_ASCII)).flip();
                assertEquals(2, sender.send(4, direct));
                assertEquals(6, direct.position());
                ByteBuffer timed = ByteBuffer.wrap(new byte[] {9, 8, 7});
                assertEquals(3, sender.send(5, timed, WAIT));
                assertEquals(3, timed.position());
                assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), receiver.receiveBytes(WAIT));
                assertEquals(3, receiver.lastHeader().type());
                assertArrayEquals("direct".getBytes(StandardCharsets.US_ASCII), receiver.receiveBytes(WAIT));
                assertArrayEquals(new byte[] {9, 8, 7}, receiver.receiveBytes(WAIT));

                fill(sender, 100);
                ByteBuffer refused = ByteBuffer.allocate(100).position(10);
                assertEquals(Sender.FULL, sender.trySend(1, refused));
                assertEquals(Sender.FULL, sender.send(1, refused, Duration.ofMillis(20)));
                assertEquals(10, refused.position(), "unchanged when nothing was sent");
                ByteBuffer tooLong = ByteBuffer.allocate(201);
                assertThrows(org.panamaipc.MessageTooLongException.class, () -> sender.trySend(1, tooLong));
                assertEquals(0, tooLong.position(), "unchanged when refused");
            }
        });
    }

    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void shouldReceiveIntoAByteBufferInThreeFormsMovingItsPositionOnlyWhenReceived(ChannelType type) throws Exception {
        withChannel(ChannelOptions.of(type).capacity(1 << 12), channel -> {
            try (Sender sender = channel.sender(); Receiver receiver = channel.receiver()) {
                ByteBuffer into = ByteBuffer.allocate(64).position(5);
                assertEquals(Receiver.EMPTY, receiver.tryReceive(into));
                assertEquals(Receiver.EMPTY, receiver.receive(into, Duration.ofMillis(20)));
                assertEquals(5, into.position(), "unchanged when nothing came");
                sender.send(7, new byte[] {1, 2, 3});
                assertEquals(3, receiver.tryReceive(into));
                assertEquals(8, into.position());
                assertEquals(7, receiver.lastHeader().type());
                assertEquals(3, receiver.lastHeader().length());
                sender.send(8, new byte[] {4, 5});
                assertEquals(2, receiver.receive(into, WAIT));
                sender.send(9, new byte[] {6});
                ByteBuffer direct = ByteBuffer.allocateDirect(8);
                assertEquals(1, receiver.receive(direct));
                assertEquals(1, direct.position());
                assertEquals(6, direct.get(0));
                assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 1, 2, 3, 4, 5}, java.util.Arrays.copyOf(into.array(), 10));

                sender.send(10, new byte[40]);
                ByteBuffer small = ByteBuffer.allocate(64).position(30);
                assertThrows(IllegalArgumentException.class, () -> receiver.tryReceive(small));
                assertEquals(30, small.position());
                assertThrows(IllegalArgumentException.class, () -> receiver.tryReceive(ByteBuffer.allocate(64).asReadOnlyBuffer()));
                assertEquals(40, receiver.tryReceive(ByteBuffer.allocate(40)), "the message stayed");
            }
        });
    }

    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void shouldReceiveArraysInThreeFormsAndSayThatTheSendersHaveGone(ChannelType type) throws Exception {
        withChannel(ChannelOptions.of(type), channel -> {
            try (Receiver receiver = channel.receiver()) {
                Sender sender = channel.sender();
                assertNull(receiver.tryReceiveBytes(), "nothing now");
                assertNull(receiver.receiveBytes(Duration.ofMillis(20)), "nothing within the timeout");
                FutureTask<byte[]> blocked = inThread("rbytes-" + type, receiver::receiveBytes);
                sender.send(21, new byte[] {1, 2});
                assertArrayEquals(new byte[] {1, 2}, blocked.get(20, TimeUnit.SECONDS));
                assertEquals(21, receiver.lastHeader().type());
                sender.send(22, new byte[] {3});
                sender.close();
                assertArrayEquals(new byte[] {3}, receiver.tryReceiveBytes(), "what was sent before the close is left");
                assertEquals(sender.endpointId(), receiver.lastHeader().source());
                PeerGoneException gone = assertThrows(PeerGoneException.class, receiver::tryReceiveBytes);
                assertTrue(gone.getMessage().contains(channel.name()), gone.getMessage());
                assertThrows(PeerGoneException.class, receiver::receiveBytes);
                assertThrows(PeerGoneException.class, () -> receiver.receiveBytes(WAIT));
            }
        });
    }

    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void shouldClaimWithoutATimeoutOnceThereIsRoom(ChannelType type) throws Exception {
        withChannel(ChannelOptions.of(type).capacity(1024).maxMessageLength(200), channel -> {
            try (Sender sender = channel.sender(); Receiver receiver = channel.receiver()) {
                fill(sender, 200);
                FutureTask<Long> claim = inThread("claim-" + type, () -> sender.claim(2, 200));
                assertEquals(200, receiver.tryReceive(MemorySegment.ofArray(new byte[200]), 0));
                long index = claim.get(20, TimeUnit.SECONDS);
                assertTrue(index >= 0);
                assertTrue(sender.commit(index) > 0);
            }
        });
    }

    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void shouldThrowFromABlockingClaimWhenTheReceiversHaveGone(ChannelType type) throws Exception {
        withChannel(ChannelOptions.of(type).capacity(1024).maxMessageLength(200), channel -> {
            try (Sender sender = channel.sender()) {
                Receiver receiver = channel.receiver();
                fill(sender, 200);
                receiver.close();
                assertThrows(PeerGoneException.class, () -> sender.claim(2, 200));
                assertEquals(Sender.CLOSED, sender.tryClaim(2, 200));
            }
        });
    }

    /** Handler forms say "nothing" with EMPTY, as the forms into the caller's memory do. */
    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void shouldHandOverAtLeastOneMessageOrSayEmpty(ChannelType type) throws Exception {
        withChannel(ChannelOptions.of(type), channel -> {
            try (Sender sender = channel.sender(); Receiver receiver = channel.receiver()) {
                assertEquals(Receiver.EMPTY, receiver.poll(NOTHING, 10));
                assertEquals(Receiver.EMPTY, receiver.receive(NOTHING, 10, Duration.ofMillis(20)));
                sender.send(1, new byte[1]);
                sender.send(1, new byte[1]);
                assertEquals(2, receiver.receive(NOTHING, 10));
                assertThrows(IllegalArgumentException.class, () -> receiver.poll(NOTHING, 0));
            }
        });
    }

    /**
     * By default a receiver is told: once its sender has gone and nothing is left, every form says
     * CLOSED, again and again; and when a new sender comes, messages flow again.
     */
    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void shouldReportClosedByDefaultUntilANewSenderComes(ChannelType type) throws Exception {
        withChannel(ChannelOptions.of(type), channel -> {
            try (Receiver receiver = channel.receiver(); Arena arena = Arena.ofConfined()) {
                MemorySegment into = arena.allocate(64);
                assertEquals(Receiver.EMPTY, receiver.tryReceive(into, 0), "never had a sender: not told");
                try (Sender first = channel.sender()) {
                    first.send(1, new byte[] {1});
                }
                assertEquals(1, receiver.tryReceive(into, 0), "what was sent is left");
                for (int i = 0; i < 3; i++) {
                    assertEquals(Receiver.CLOSED, receiver.tryReceive(into, 0));
                    assertEquals(Receiver.CLOSED, receiver.poll(NOTHING, 1));
                    assertEquals(Receiver.CLOSED, receiver.receive(into, 0));
                    assertEquals(Receiver.CLOSED, receiver.receive(NOTHING, 1, WAIT));
                }
                try (Sender second = channel.sender()) {
                    second.send(2, new byte[] {2});
                    assertEquals(1, receiver.receive(into, 0, WAIT));
                    assertEquals(2, receiver.lastHeader().type());
                }
                assertEquals(Receiver.CLOSED, receiver.receive(into, 0));
            }
        });
    }

    /**
     * A receiver made with {@code closeWhenSendersGone} false, as a long-lived server: its sender
     * leaves, and a blocking receive goes back to sleep rather than return; the next sender's
     * message ends it.
     */
    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void shouldWaitForTheNextSenderWhenNotToBeTold(ChannelType type) throws Exception {
        withChannel(ChannelOptions.of(type), channel -> {
            try (Receiver receiver = channel.receiver(WaitStrategy.blocking(), false)) {
                Sender first = channel.sender();
                first.send(1, new byte[] {1});
                assertArrayEquals(new byte[] {1}, receiver.receiveBytes(WAIT));
                FutureTask<byte[]> next = inThread("rnext-" + type, receiver::receiveBytes);
                ChannelConformanceTest.awaitAsleep(channel, receiver.endpointId());
                long sleeps = sleepsOf(channel, receiver.endpointId());
                first.close(); // wakes the sleeper, which looks and sleeps again
                awaitAsleepAgain(channel, receiver.endpointId(), sleeps);
                assertFalse(next.isDone(), "still waiting after its sender left");
                try (Sender second = channel.sender()) {
                    second.send(2, new byte[] {2});
                    assertArrayEquals(new byte[] {2}, next.get(20, TimeUnit.SECONDS));
                }
            }
        });
    }

    /** Waits until the receiver slept once more after the wake of a sender's close: its sleep count grew past {@code sleeps} and it sleeps. */
    private static void awaitAsleepAgain(RingChannel channel, int id, long sleeps) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (sleepsOf(channel, id) == sleeps || !sleeping(channel, id)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("receiver " + id + " did not sleep again: " + channel.endpoints());
            }
            Thread.sleep(1);
        }
    }

    private static long sleepsOf(RingChannel channel, int id) {
        return channel.endpoints().stream().filter(e -> e.id() == id).mapToLong(EndpointInfo::waits).sum();
    }

    private static boolean sleeping(RingChannel channel, int id) {
        return channel.endpoints().stream().anyMatch(e -> e.id() == id && e.sleeping());
    }

    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void shouldListTheEndpointsAsImmutableSnapshots(ChannelType type) throws Exception {
        withChannel(ChannelOptions.of(type), channel -> {
            assertEquals(List.of(), channel.endpoints());
            try (Sender sender = channel.sender(WaitStrategy.busySpin());
                 Receiver receiver = channel.receiver(WaitStrategy.blocking())) {
                sender.send(1, new byte[10]);
                sender.send(1, new byte[5]);
                assertEquals(2, receiver.poll(NOTHING, 10));
                List<EndpointInfo> endpoints = channel.endpoints();
                assertEquals(2, endpoints.size(), endpoints.toString());
                EndpointInfo s = endpoints.stream().filter(e -> e.id() == sender.endpointId()).findFirst().orElseThrow();
                EndpointInfo r = endpoints.stream().filter(e -> e.id() == receiver.endpointId()).findFirst().orElseThrow();
                assertEquals(EndpointInfo.Role.SENDER, s.role());
                assertEquals(EndpointInfo.Role.RECEIVER, r.role());
                assertEquals(ProcessId.current(), s.owner());
                assertTrue(s.alive() && r.alive());
                assertFalse(s.blocking(), "a spinning sender never sleeps");
                assertTrue(r.blocking());
                assertFalse(r.sleeping());
                assertEquals(2, r.messages());
                assertEquals(15, r.bytes());
                assertEquals(0, s.messages(), "senders count nothing per message");
                assertThrows(UnsupportedOperationException.class, () -> endpoints.remove(0));
                sender.close();
                assertEquals(List.of(r), channel.endpoints(), "a closed endpoint's slot is free");
            }
            assertEquals(List.of(), channel.endpoints());
        });
    }

    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void shouldGiveEachKindItsEndpoint(ChannelType type) throws Exception {
        withChannel(ChannelOptions.of(type), channel -> {
            try (Sender sender = channel.sender(); Receiver receiver = channel.receiver()) {
                assertEquals(type.manySenders() ? ConcurrentSender.class : SoleSender.class, sender.getClass());
                assertEquals(type.manyReceivers() ? ConcurrentReceiver.class : SoleReceiver.class, receiver.getClass());
            }
        });
    }
}
