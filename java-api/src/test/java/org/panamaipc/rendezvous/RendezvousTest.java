package org.panamaipc.rendezvous;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.MessageTooLongException;
import org.panamaipc.PeerGoneException;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * A rendezvous's behaviour within one process (a thread per side): the hand-over and its header,
 * the three forms on both sides, sides that leave, a message too long for the receiver's memory,
 * interrupts and closes. {@code RendezvousAcrossProcessesTest} checks the hand-over between JVMs,
 * with deaths.
 */
@ExtendWith(NoLeakedObjects.class)
@Timeout(60)
class RendezvousTest {

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private interface Call<T> {
        T call() throws Exception;
    }

    private static <T> CompletableFuture<T> async(Call<T> call) {
        CompletableFuture<T> future = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                future.complete(call.call());
            } catch (Throwable t) {
                future.completeExceptionally(t);
            }
        });
        thread.setDaemon(true);
        thread.start();
        return future;
    }

    private static Rendezvous create(String label) {
        return Rendezvous.create(TestNames.unique(label), RendezvousOptions.of(64).senderSlots(4).receiverSlots(4));
    }

    @Test
    void shouldHandAMessageToAWaitingReceiver() throws Exception {
        try (Rendezvous link = create("rv-basic")) {
            try (RendezvousSender sender = link.sender(); RendezvousReceiver receiver = link.receiver()) {
                for (int i = 1; i <= 50; i++) {
                    int n = i;
                    CompletableFuture<byte[]> taken = async(() -> receiver.receiveBytes(Duration.ofSeconds(10)));
                    assertEquals(i, sender.send(n, text("message " + n), Duration.ofSeconds(10)));
                    assertArrayEquals(text("message " + n), taken.get(10, TimeUnit.SECONDS));
                    RendezvousHeader header = receiver.lastHeader();
                    assertEquals(n, header.type());
                    assertEquals(i, header.sequence());
                    assertEquals(sender.endpointId(), header.source());
                }
                assertEquals(50, receiver.taken());
            } finally {
                link.unlink();
            }
        }
    }

    @Test
    void shouldOfferTheBufferAndHandlerFormsOfTheConvention() throws Exception {
        try (Rendezvous link = create("rv-forms")) {
            try (RendezvousSender sender = link.sender(); RendezvousReceiver receiver = link.receiver()) {
                ByteBuffer in = ByteBuffer.allocate(16).position(3);
                CompletableFuture<Integer> taken = async(() -> receiver.receive(in, Duration.ofSeconds(10)));
                ByteBuffer out = ByteBuffer.wrap(text("--job"));
                out.position(2);
                assertEquals(1, sender.send(4, out, Duration.ofSeconds(10)));
                assertEquals(5, out.position(), "the send moved the position past what it sent");
                assertEquals(3, taken.get(10, TimeUnit.SECONDS));
                assertEquals(6, in.position());
                assertEquals("job", new String(in.array(), 3, 3, StandardCharsets.UTF_8));
                assertEquals(RendezvousReceiver.EMPTY, receiver.poll((h, b, o, l) -> { }, 4), "EMPTY, never 0");
                List<String> seen = new CopyOnWriteArrayList<>();
                RendezvousHandler handler = (header, buffer, offset, length) ->
                        seen.add(header.type() + ":" + new String(buffer.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE),
                                StandardCharsets.UTF_8));
                CompletableFuture<Integer> handled = async(() -> receiver.receive(handler, 1, Duration.ofSeconds(10)));
                assertEquals(2, sender.send(7, text("seven"), Duration.ofSeconds(10)));
                assertEquals(1, handled.get(10, TimeUnit.SECONDS));
                assertEquals(List.of("7:seven"), seen);
                assertThrows(IllegalArgumentException.class, () -> receiver.poll(handler, 0));
            } finally {
                link.unlink();
            }
        }
    }

    @Test
    void shouldNotWaitInTheTryFormsAndTimeOutInTheTimedOnes() throws Exception {
        try (Rendezvous link = create("rv-forms")) {
            try (RendezvousSender sender = link.sender(); RendezvousReceiver receiver = link.receiver()) {
                assertEquals(RendezvousSender.FULL, sender.trySend(1, text("x")), "no receiver waits");
                assertNull(receiver.tryReceiveBytes(), "no sender offers");
                long start = System.nanoTime();
                assertEquals(RendezvousSender.FULL, sender.send(1, text("x"), Duration.ofMillis(100)));
                assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(100));
                start = System.nanoTime();
                assertNull(receiver.receiveBytes(Duration.ofMillis(100)));
                assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(100));
                assertEquals(0, sender.withdrawn(), "nothing was ever handed over");

                // a sender that waits: the receiver's try form takes from it
                CompletableFuture<Long> waiting = async(() -> sender.send(2, text("offered"), Duration.ofSeconds(10)));
                byte[] got = null;
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (got == null && System.nanoTime() < end) {
                    got = receiver.tryReceiveBytes();
                }
                assertArrayEquals(text("offered"), got);
                assertEquals(1, waiting.get(10, TimeUnit.SECONDS));

                // a receiver that waits: the sender's try form hands to it
                CompletableFuture<byte[]> receiving = async(() -> receiver.receiveBytes(Duration.ofSeconds(10)));
                long sent = RendezvousSender.FULL;
                while (sent == RendezvousSender.FULL && System.nanoTime() < end) {
                    sent = sender.trySend(3, text("tried"));
                }
                assertEquals(2, sent);
                assertArrayEquals(text("tried"), receiving.get(10, TimeUnit.SECONDS));
            } finally {
                link.unlink();
            }
        }
    }

    @Test
    void shouldTellASenderThatItsReceiversLeft() throws Exception {
        try (Rendezvous link = create("rv-left")) {
            try (RendezvousSender sender = link.sender()) {
                RendezvousReceiver receiver = link.receiver();
                CompletableFuture<Long> waiting = async(() -> sender.send(1, text("x"), Duration.ofSeconds(30)));
                Thread.sleep(50);
                assertFalse(waiting.isDone());
                receiver.close();
                assertEquals(RendezvousSender.CLOSED, waiting.get(10, TimeUnit.SECONDS));
                assertThrows(PeerGoneException.class, () -> sender.send(1, text("x")));
            } finally {
                link.unlink();
            }
        }
    }

    @Test
    void shouldTellAReceiverThatItsSendersLeft() throws Exception {
        try (Rendezvous link = create("rv-senders-left")) {
            try (RendezvousReceiver receiver = link.receiver()) {
                assertNull(receiver.receiveBytes(Duration.ofMillis(20)), "never had a sender: waits, not closed");
                RendezvousSender sender = link.sender();
                CompletableFuture<Integer> waiting = async(() -> receiver.receive(MemorySegment.ofArray(new byte[64]), 0));
                Thread.sleep(50);
                sender.close();
                assertEquals(RendezvousReceiver.CLOSED, waiting.get(10, TimeUnit.SECONDS));
                assertThrows(PeerGoneException.class, receiver::tryReceiveBytes);
            } finally {
                link.unlink();
            }
        }
    }

    @Test
    void shouldGiveAMessageTooLongForTheReceiverBackToItsSender() throws Exception {
        try (Rendezvous link = create("rv-fit")) {
            try (RendezvousSender sender = link.sender(); RendezvousReceiver receiver = link.receiver()) {
                CompletableFuture<Long> sending = async(() -> sender.send(5, new byte[40], Duration.ofSeconds(10)));
                MemorySegment small = MemorySegment.ofArray(new byte[16]);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> receiver.receive(small, 0));
                assertTrue(e.getMessage().contains("goes back to sender"), e.getMessage());
                assertFalse(sending.isDone(), "not taken: still offered");
                assertEquals(40, receiver.receive(MemorySegment.ofArray(new byte[64]), 0, Duration.ofSeconds(10)));
                assertEquals(1, sending.get(10, TimeUnit.SECONDS));
                MessageTooLongException tooLong = assertThrows(MessageTooLongException.class,
                        () -> sender.trySend(0, new byte[65]));
                assertEquals(64, tooLong.maxLength());
            } finally {
                link.unlink();
            }
        }
    }

    /** Regression: a copy that threw left the slot TAKING, the sender waiting on a live receiver for good. */
    @Test
    void shouldHandBackAMessageTheCallersMemoryRefused() throws Exception {
        try (Rendezvous link = create("rv-refused")) {
            try (RendezvousSender sender = link.sender(); RendezvousReceiver receiver = link.receiver()) {
                CompletableFuture<Long> sending = async(() -> sender.send(5, new byte[8], Duration.ofSeconds(20)));
                MemorySegment gone;
                try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
                    gone = arena.allocate(16);
                }
                assertThrows(IllegalStateException.class, () -> receiver.receive(gone, 0, Duration.ofSeconds(10)),
                        "the copy into memory already freed fails");
                assertEquals(8, receiver.receive(MemorySegment.ofArray(new byte[16]), 0, Duration.ofSeconds(10)),
                        "the message came back and was offered again");
                assertEquals(1, sending.get(10, TimeUnit.SECONDS));
            } finally {
                link.unlink();
            }
        }
    }

    @Test
    void shouldWithdrawOnInterruptAndOnClose() throws Exception {
        try (Rendezvous link = create("rv-interrupt")) {
            try (RendezvousReceiver receiver = link.receiver()) {
                RendezvousSender sender = link.sender();
                Thread[] thread = new Thread[1];
                CompletableFuture<Long> waiting = async(() -> {
                    thread[0] = Thread.currentThread();
                    return sender.send(1, text("x"));
                });
                Thread.sleep(50);
                thread[0].interrupt();
                ExecutionException e = assertThrows(ExecutionException.class, () -> waiting.get(10, TimeUnit.SECONDS));
                assertInstanceOf(InterruptedException.class, e.getCause());
                assertNull(receiver.receiveBytes(Duration.ofMillis(50)), "nothing is left offered");

                CompletableFuture<Long> closing = async(() -> sender.send(1, text("y")));
                Thread.sleep(50);
                sender.close();
                e = assertThrows(ExecutionException.class, () -> closing.get(10, TimeUnit.SECONDS));
                assertInstanceOf(IllegalStateException.class, e.getCause());

                try (RendezvousSender other = link.sender()) { // so that the receiver still has a sender
                    CompletableFuture<Integer> receiving = async(() -> receiver.receive(MemorySegment.ofArray(new byte[8]), 0));
                    Thread.sleep(50);
                    receiver.close();
                    e = assertThrows(ExecutionException.class, () -> receiving.get(10, TimeUnit.SECONDS));
                    assertInstanceOf(IllegalStateException.class, e.getCause());
                    assertEquals(0, link.receivers());
                    assertEquals(1, link.senders());
                }
            } finally {
                link.unlink();
            }
        }
    }

    @Test
    void shouldCheckItsOptions() {
        assertThrows(IllegalArgumentException.class, () -> RendezvousOptions.of(-1));
        assertThrows(IllegalArgumentException.class, () -> RendezvousOptions.of(8).senderSlots(0));
        assertThrows(IllegalArgumentException.class, () -> RendezvousOptions.of(8).receiverSlots(1025));
        assertThrows(IllegalArgumentException.class, () -> RendezvousOptions.of(8).mode(0200));
        assertEquals(128 + 64, RendezvousDescriptor.receiverSlotLength(1));
        assertEquals(128, RendezvousDescriptor.receiverSlotLength(0));
    }
}
