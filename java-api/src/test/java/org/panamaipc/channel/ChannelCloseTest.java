package org.panamaipc.channel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code close()} means for a channel and its endpoints (docs/conventions.md): a thread
 * waiting in an endpoint wakes at once and throws {@link IllegalStateException} naming what was
 * closed; the channel's endpoints are closed with it, so the other side counts them as gone; the
 * memory is unmapped once; a second close does nothing; a handler cannot close its own receiver.
 */
@ExtendWith(NoLeakedObjects.class)
@Timeout(60)
class ChannelCloseTest {

    private static <T> FutureTask<T> inThread(String name, Callable<T> task) {
        FutureTask<T> future = new FutureTask<>(task);
        Thread thread = new Thread(future, name);
        thread.setDaemon(true);
        thread.start();
        return future;
    }

    /** {@return what the task threw, which must be an IllegalStateException} */
    private static IllegalStateException failure(FutureTask<?> task) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> task.get(20, TimeUnit.SECONDS));
        return assertInstanceOf(IllegalStateException.class, e.getCause());
    }

    static Stream<Arguments> typesAndStrategies() {
        return Stream.of(ChannelType.values()).flatMap(type -> Stream.of("spin", "backoff", "blocking")
                .map(strategy -> Arguments.of(type, strategy)));
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("typesAndStrategies")
    void shouldWakeAThreadWaitingToReceiveWhenTheChannelCloses(ChannelType type, String strategy) throws Exception {
        String name = TestNames.unique("close-recv-" + type);
        try (RingChannel peer = RingChannel.create(name, ChannelOptions.of(type))) {
            RingChannel channel = RingChannel.open(name);
            Receiver receiver = channel.receiver(ChannelConformanceTest.strategy(strategy));
            Sender sender = peer.sender();
            FutureTask<Integer> waiting = inThread("cr-" + type, () -> receiver.receive(MemorySegment.ofArray(new byte[64]), 0));
            awaitWaiting(receiver);
            channel.close();
            IllegalStateException e = failure(waiting);
            assertEquals("channel " + name + " is closed", e.getMessage());
            assertThrows(IllegalStateException.class, () -> receiver.tryReceive(MemorySegment.ofArray(new byte[64]), 0));
            assertThrows(IllegalStateException.class, channel.memory()::segment, "the memory is unmapped");
            channel.close(); // a second close does nothing
            assertThrows(IllegalStateException.class, channel::receiver);
            assertTrue(peer.endpoints().stream().noneMatch(info -> info.id() == receiver.endpointId()),
                    "its receiver's slot was given back: " + peer.endpoints());
            assertEquals(Sender.CLOSED, fillAndTry(sender), "the closed channel's receiver counts as gone");
        } finally {
            RingChannel.unlinkIfExists(name);
        }
    }

    /** Fills the ring; {@return what a send into the full ring says} */
    private static long fillAndTry(Sender sender) {
        long result;
        while ((result = sender.trySend(1, new byte[1000])) >= 0) {
            // until full
        }
        return result;
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("typesAndStrategies")
    void shouldWakeAThreadWaitingForRoomWhenTheChannelCloses(ChannelType type, String strategy) throws Exception {
        String name = TestNames.unique("close-send-" + type);
        try (RingChannel peer = RingChannel.create(name, ChannelOptions.of(type).capacity(1024).maxMessageLength(200));
             Receiver receiver = peer.receiver()) {
            RingChannel channel = RingChannel.open(name);
            Sender sender = channel.sender(ChannelConformanceTest.strategy(strategy));
            while (sender.trySend(1, new byte[200]) >= 0) {
                // until full
            }
            FutureTask<Long> waiting = inThread("cs-" + type, () -> sender.send(1, new byte[200]));
            awaitWaiting(sender);
            channel.close();
            assertEquals("channel " + name + " is closed", failure(waiting).getMessage());
            int received = 0;
            while (receiver.tryReceive(MemorySegment.ofArray(new byte[200]), 0) >= 0) {
                received++;
            }
            assertTrue(received > 0);
            assertEquals(Receiver.CLOSED, receiver.tryReceive(MemorySegment.ofArray(new byte[200]), 0),
                    "the closed channel's sender counts as gone, and nothing was half-sent");
        } finally {
            RingChannel.unlinkIfExists(name);
        }
    }

    @Test
    void shouldWakeAThreadWaitingInAnEndpointThatAnotherThreadCloses() throws Exception {
        String name = TestNames.unique("close-ep");
        try (RingChannel channel = RingChannel.create(name, ChannelOptions.of(ChannelType.SPSC))) {
            Receiver receiver = channel.receiver();
            FutureTask<byte[]> waiting = inThread("ce-recv", receiver::receiveBytes);
            awaitWaiting(receiver);
            receiver.close();
            assertEquals("receiver " + receiver.endpointId() + " of channel " + name + " is closed",
                    failure(waiting).getMessage());
            assertEquals(0, channel.endpoints().size());
            try (Receiver next = channel.receiver()) {
                assertTrue(next.endpointId() >= 0, "the only receiver's place is free again");
            }
        } finally {
            RingChannel.unlinkIfExists(name);
        }
    }

    @Test
    void shouldRefuseToBeClosedFromItsOwnHandler() throws Exception {
        String name = TestNames.unique("close-handler");
        try (RingChannel channel = RingChannel.create(name, ChannelOptions.of(ChannelType.MPSC));
             Sender sender = channel.sender();
             Receiver receiver = channel.receiver()) {
            sender.send(1, new byte[] {1});
            sender.send(1, new byte[] {2});
            IllegalStateException fromPoll = assertThrows(IllegalStateException.class,
                    () -> receiver.poll((h, b, o, l) -> receiver.close(), 1));
            assertTrue(fromPoll.getMessage().contains("from inside its own handler"), fromPoll.getMessage());
            assertThrows(IllegalStateException.class,
                    () -> receiver.receive((h, b, o, l) -> channel.close(), 1, Duration.ofSeconds(5)));
            assertEquals(2, channel.endpoints().size(), "nothing was closed");
            assertEquals(Receiver.EMPTY, receiver.poll((h, b, o, l) -> { }, 1), "both messages were consumed");
        } finally {
            RingChannel.unlinkIfExists(name);
        }
    }

    /**
     * A receive from inside a handler of the same receiver is refused, before it takes anything:
     * it used to take the next messages under the outer poll, which then handed them over again
     * (and moved the head back) when its handler returned.
     */
    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void shouldRefuseAReceiveFromInsideItsOwnHandler(ChannelType type) throws Exception {
        String name = TestNames.unique("receive-in-handler");
        try (RingChannel channel = RingChannel.create(name, ChannelOptions.of(type));
             Sender sender = channel.sender();
             Receiver receiver = channel.receiver()) {
            for (byte b = 1; b <= 6; b++) {
                sender.send(1, new byte[] {b});
            }
            MemorySegment into = MemorySegment.ofArray(new byte[8]);
            List<Callable<?>> nested = List.of(
                    () -> receiver.poll((h, b, o, l) -> { }, 1),
                    () -> receiver.tryReceive(into, 0),
                    () -> receiver.receiveBytes(Duration.ofMillis(10)));
            List<Byte> handed = new ArrayList<>();
            for (Callable<?> inner : nested) {
                IllegalStateException refused = assertThrows(IllegalStateException.class,
                        () -> receiver.poll((h, b, o, l) -> {
                            handed.add(b.get(ValueLayout.JAVA_BYTE, o));
                            try {
                                inner.call();
                            } catch (RuntimeException e) {
                                throw e;
                            } catch (Exception e) {
                                throw new AssertionError(e);
                            }
                        }, 2));
                assertTrue(refused.getMessage().contains("inside its own handler"), refused.getMessage());
            }
            while (receiver.poll((h, b, o, l) -> handed.add(b.get(ValueLayout.JAVA_BYTE, o)), 8) > 0) {
                // the rest, once each
            }
            assertEquals(List.of((byte) 1, (byte) 2, (byte) 3, (byte) 4, (byte) 5, (byte) 6), handed,
                    "every message handed over once, in order");
            assertEquals(2, channel.endpoints().size(), "nothing was closed");
        } finally {
            RingChannel.unlinkIfExists(name);
        }
    }

    @Test
    void shouldCloseItsEndpointsSoThatAnotherProcessOfTheChannelSeesThemGone() throws Exception {
        String name = TestNames.unique("close-peers");
        try (RingChannel mine = RingChannel.create(name, ChannelOptions.of(ChannelType.SPSC));
             RingChannel theirs = RingChannel.open(name);
             Receiver receiver = theirs.receiver()) {
            Sender sender = mine.sender();
            sender.send(1, new byte[] {42});
            mine.close();
            assertThrows(IllegalStateException.class, () -> sender.trySend(1, new byte[1]));
            assertEquals(1, receiver.receive(MemorySegment.ofArray(new byte[8]), 0));
            assertEquals(Receiver.CLOSED, receiver.receive(MemorySegment.ofArray(new byte[8]), 0));
        } finally {
            RingChannel.unlinkIfExists(name);
        }
    }

    /** Waits until a thread waits in {@code endpoint} (past its first look, in the wait loop). */
    private static void awaitWaiting(Object endpoint) throws InterruptedException {
        Endpoint e = (Endpoint) endpoint;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!e.hasWaiter()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("no thread waits in " + endpoint + " after 20 s");
            }
            Thread.sleep(1);
        }
    }

    private static void assertClosedNaming(String what, org.junit.jupiter.api.function.Executable call) {
        IllegalStateException e = assertThrows(IllegalStateException.class, call);
        assertTrue(e.getMessage().contains(what) && e.getMessage().contains("is closed"),
                "the exception names the closed object (" + what + "): " + e.getMessage());
    }

    /**
     * After {@code close()}, every call on the channel or on a closed sender throws
     * {@link IllegalStateException} naming it. Before the fix {@code stats()} and
     * {@code endpoints()} threw FFM's "Already closed", and a closed sender's {@code commit} and
     * {@code abort} said "index=... is not the open claim", naming nothing.
     */
    @Test
    void shouldNameTheClosedChannelOrSenderInEveryLaterCall() throws Exception {
        String name = TestNames.unique("closed-calls");
        try (RingChannel peer = RingChannel.create(name, ChannelOptions.of(ChannelType.MPSC))) {
            RingChannel channel = RingChannel.open(name);
            Sender sender = channel.sender();
            long index = sender.tryClaim(1, 8);
            assertTrue(index >= 0);
            sender.close();
            String senderName = "sender " + sender.endpointId() + " of channel " + name;
            assertClosedNaming(senderName, () -> sender.commit(index));
            assertClosedNaming(senderName, () -> sender.abort(index));
            assertClosedNaming(senderName, () -> sender.commit(32));
            Sender other = channel.sender();
            channel.close();
            assertClosedNaming("channel " + name, channel::stats);
            assertClosedNaming("channel " + name, channel::endpoints);
            assertClosedNaming("channel " + name, () -> other.commit(32));
            assertClosedNaming("channel " + name, () -> other.abort(32));
            assertEquals(0, peer.stats().messagesSent(), "the claim was aborted, not committed: " + peer.stats());
        } finally {
            RingChannel.unlinkIfExists(name);
        }
    }
}
