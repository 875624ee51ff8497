package org.panamaipc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.broadcast.Broadcast;
import org.panamaipc.broadcast.BroadcastOptions;
import org.panamaipc.broadcast.Publisher;
import org.panamaipc.broadcast.SlowSubscriberPolicy;
import org.panamaipc.broadcast.Subscriber;
import org.panamaipc.rendezvous.Rendezvous;
import org.panamaipc.rendezvous.RendezvousOptions;
import org.panamaipc.rendezvous.RendezvousReceiver;
import org.panamaipc.rendezvous.RendezvousSender;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;
import org.panamaipc.unbounded.UnboundedLink;
import org.panamaipc.unbounded.UnboundedOptions;
import org.panamaipc.unbounded.UnboundedReceiver;
import org.panamaipc.unbounded.UnboundedSender;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A handler may not receive from the receiver that is calling it, for the receivers that hand a
 * copy in their own memory to the handler (a broadcast's subscriber, a rendezvous receiver, an
 * unbounded link's receiver): such a receive would fill that memory, and the reusable header, with
 * the next message while the handler is still reading the one it was given. The receive is refused
 * with an {@link IllegalStateException}; the handler's message stays as it was, and the next
 * message is left for the next receive. (A ring receiver's, so a mailbox's, port's and typed
 * receiver's, is {@code ChannelCloseTest}'s.)
 */
@ExtendWith(NoLeakedObjects.class)
@Timeout(60)
class HandlerNestingTest {

    /** What a handler saw: its message before and after it tried to receive from its own receiver, and the refusal. */
    private static final class Seen {
        final List<String> before = new ArrayList<>();
        final List<String> after = new ArrayList<>();
        final List<String> refusals = new ArrayList<>();

        void handle(MemorySegment buffer, long offset, int length, Supplier<Object> nestedReceive) {
            before.add(text(buffer, offset, length));
            try {
                Object got = nestedReceive.get();
                refusals.add("none: the nested receive gave " + got);
            } catch (IllegalStateException refused) {
                refusals.add(refused.getMessage());
            }
            after.add(text(buffer, offset, length));
        }

        void check(String first) {
            assertEquals(List.of(first), before);
            assertEquals(before, after, "the handler's message was overwritten under it by the nested receive");
            assertEquals(1, refusals.size());
            assertTrue(refusals.get(0).contains("cannot receive from inside its own handler"), refusals.get(0));
        }
    }

    private static String text(MemorySegment buffer, long offset, int length) {
        return new String(buffer.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldRefuseASubscribersHandlerThatReceivesFromIt() throws Exception {
        try (Broadcast b = Broadcast.create(TestNames.unique("nest-bc"),
                BroadcastOptions.of(SlowSubscriberPolicy.BLOCK).capacity(8).maxMessageLength(64))) {
            try (Publisher publisher = b.publisher(); Subscriber subscriber = b.subscribe()) {
                publisher.send(0, bytes("first"));
                publisher.send(0, bytes("second"));
                Seen seen = new Seen();
                assertEquals(1, subscriber.poll((h, buffer, offset, length) ->
                        seen.handle(buffer, offset, length, subscriber::tryReceiveBytes), 1));
                seen.check("first");
                assertEquals("second", new String(subscriber.receiveBytes(Duration.ofSeconds(5)), StandardCharsets.UTF_8),
                        "the refused receive took nothing");
            } finally {
                b.unlink();
            }
        }
    }

    @Test
    void shouldRefuseAnUnboundedReceiversHandlerThatReceivesFromIt() throws Exception {
        String name = TestNames.unique("nest-ub");
        try (UnboundedLink link = UnboundedLink.create(name, UnboundedOptions.of(64).ringCapacity(1024).spillSegmentSize(4096));
             UnboundedSender sender = link.sender();
             UnboundedReceiver receiver = link.receiver()) {
            sender.send(0, bytes("first"));
            sender.send(0, bytes("second"));
            Seen seen = new Seen();
            assertEquals(1, receiver.poll((h, buffer, offset, length) ->
                    seen.handle(buffer, offset, length, receiver::tryReceiveBytes), 1));
            seen.check("first");
            assertEquals("second", new String(receiver.receiveBytes(Duration.ofSeconds(5)), StandardCharsets.UTF_8),
                    "the refused receive took nothing");
        } finally {
            UnboundedLink.unlinkIfExists(name);
        }
    }

    @Test
    void shouldRefuseARendezvousReceiversHandlerThatReceivesFromIt() throws Exception {
        try (Rendezvous link = Rendezvous.create(TestNames.unique("nest-rv"),
                RendezvousOptions.of(64).senderSlots(4).receiverSlots(4))) {
            try (RendezvousSender first = link.sender(); RendezvousSender second = link.sender();
                 RendezvousReceiver receiver = link.receiver()) {
                CompletableFuture<Long> one = CompletableFuture.supplyAsync(() -> send(first, "first"));
                Seen seen = new Seen();
                assertEquals(1, receiver.receive((h, buffer, offset, length) ->
                        seen.handle(buffer, offset, length, receiver::tryReceiveBytes), 1, Duration.ofSeconds(10)));
                seen.check("first");
                assertTrue(one.get(10, TimeUnit.SECONDS) > 0);
                CompletableFuture<Long> two = CompletableFuture.supplyAsync(() -> send(second, "second"));
                assertEquals("second", new String(receiver.receiveBytes(Duration.ofSeconds(10)), StandardCharsets.UTF_8),
                        "the receiver takes the next message after the refusal");
                assertTrue(two.get(10, TimeUnit.SECONDS) > 0);
            } finally {
                link.unlink();
            }
        }
    }

    private static long send(RendezvousSender sender, String message) {
        try {
            return sender.send(0, bytes(message), Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
