package org.panamaipc.rendezvous;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.children.RendezvousChild;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.testkit.ChildProcess;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rendezvous between real JVMs ({@link RendezvousChild}): a send returns only after the receiver
 * has the message in its memory; a send nobody takes times out and leaves nothing behind; a timed
 * send racing a take is either taken or withdrawn, never both, with several senders and receivers;
 * and a receiver killed with SIGKILL, waiting or holding a message, is reported to the sender long
 * before its deadline (each case prints how long it took).
 */
@ExtendWith(NoLeakedObjects.class)
@Timeout(240)
class RendezvousAcrossProcessesTest {

    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private static Rendezvous create(String name) {
        return Rendezvous.create(name, RendezvousOptions.of(64).senderSlots(4).receiverSlots(4));
    }

    @Test
    void shouldReturnFromASendOnlyAfterTheReceiverHasTheMessage() throws Exception {
        String name = TestNames.unique("rv-order");
        String evidence = TestNames.unique("rv-order-evidence");
        int count = 3000;
        try (Rendezvous link = create(name);
             SharedMemory shared = SharedMemory.create(evidence, 16L * count);
             RendezvousSender sender = link.sender();
             Arena arena = Arena.ofConfined();
             ChildProcess receiver = ChildProcess.java(RendezvousChild.class, "receive-into", name, evidence,
                     Integer.toString(count))) {
            receiver.awaitOutput("READY", DEADLINE);
            MemorySegment message = arena.allocate(16);
            MemorySegment seen = shared.segment();
            for (int k = 0; k < count; k++) {
                long word = 0x5EED_0000_0000L + k;
                message.set(ValueLayout.JAVA_LONG, 0, word);
                message.set(ValueLayout.JAVA_LONG, 8, ~word);
                assertEquals(k + 1, sender.send(7, message, 0, 16, Duration.ofSeconds(60)));
                // the receiver copies into the shared segment before it acknowledges: the copy is there
                VarHandle.acquireFence();
                assertEquals(word, seen.get(ValueLayout.JAVA_LONG, 16L * k), "message " + k + " not in the receiver's memory");
                assertEquals(~word, seen.get(ValueLayout.JAVA_LONG, 16L * k + 8), "message " + k + " half in the receiver's memory");
            }
            receiver.assertSuccess(DEADLINE);
            assertTrue(receiver.output().contains("TAKEN " + count), receiver.output());
            link.unlink();
            shared.unlink();
        } finally {
            Rendezvous.unlinkIfExists(name);
            SharedMemory.unlinkIfExists(evidence);
        }
    }

    @Test
    void shouldTimeOutWhenNobodyReceivesAndLeaveNothingOffered() throws Exception {
        String name = TestNames.unique("rv-timeout");
        try (Rendezvous link = create(name);
             RendezvousSender sender = link.sender();
             ChildProcess receiver = ChildProcess.java(RendezvousChild.class, "attach-and-wait", name, "PT0.3S")) {
            receiver.awaitOutput("READY", DEADLINE);
            long start = System.nanoTime();
            assertEquals(RendezvousSender.FULL, sender.send(1, new byte[8], Duration.ofMillis(200)));
            long elapsed = System.nanoTime() - start;
            assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(200), "timed out after " + elapsed + " ns");
            assertEquals(RendezvousSender.FULL, sender.trySend(1, new byte[8]), "the receiver is not receiving");
            assertEquals(0, sender.withdrawn(), "no receiver ever waited, so nothing was ever offered");
            try (OutputStream in = receiver.process().getOutputStream()) {
                in.write("go\n".getBytes(StandardCharsets.US_ASCII));
            }
            receiver.assertSuccess(DEADLINE);
            assertTrue(receiver.output().contains("AFTER EMPTY"), "nothing was left for it: " + receiver.output());
            link.unlink();
        } finally {
            Rendezvous.unlinkIfExists(name);
        }
    }

    /**
     * The two sides of the deadline, made to happen in a chosen order by a receiver JVM that works
     * its exchange word by hand: a message the receiver began to take before the sender's deadline
     * is not withdrawn (the send returns its sequence number once acknowledged, after the deadline);
     * a message withdrawn at the deadline cannot be taken afterwards.
     */
    @Test
    void shouldNotWithdrawAMessageBeingTakenAndNotLetAWithdrawnOneBeTaken() throws Exception {
        String name = TestNames.unique("rv-deadline");
        try (Rendezvous link = create(name); RendezvousSender sender = link.sender()) {
            try (ChildProcess taker = ChildProcess.java(RendezvousChild.class, "slow-take", name, "300")) {
                taker.awaitOutput("READY", DEADLINE);
                long start = System.nanoTime();
                long result = sender.send(1, new byte[8], Duration.ofMillis(50));
                long elapsed = System.nanoTime() - start;
                assertEquals(1, result, "taken before the deadline, acknowledged after it: " + taker.output());
                assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(300), "waited for the acknowledgement: " + elapsed);
                assertEquals(0, sender.withdrawn());
                taker.assertSuccess(DEADLINE);
                assertTrue(taker.output().contains("ACKED"), taker.output());
            }
            try (ChildProcess late = ChildProcess.java(RendezvousChild.class, "late-take", name)) {
                late.awaitOutput("READY", DEADLINE);
                assertEquals(RendezvousSender.FULL, sender.send(2, new byte[8], Duration.ofMillis(50)));
                assertEquals(1, sender.withdrawn());
                late.awaitOutput("SAW FILLED", DEADLINE);
                try (OutputStream in = late.process().getOutputStream()) {
                    in.write("go\n".getBytes(StandardCharsets.US_ASCII));
                }
                late.assertSuccess(DEADLINE);
                assertTrue(late.output().contains("TAKE REFUSED"), late.output());
            }
            link.unlink();
        } finally {
            Rendezvous.unlinkIfExists(name);
        }
    }

    /**
     * Two sender JVMs send 20,000 messages with timeouts from 0 to 300 µs to two receiver JVMs that
     * pause at random: many deadlines fall while a receiver is waking to take. Every message a send
     * reported taken was taken exactly once, and every one it reported withdrawn was never taken.
     */
    @Test
    void shouldEitherWithdrawOrDeliverEachTimedSendNeverBothAcrossManySendersAndReceivers() throws Exception {
        String name = TestNames.unique("rv-race");
        String evidence = TestNames.unique("rv-race-evidence");
        int messages = 20_000;
        List<ChildProcess> children = new ArrayList<>();
        try (Rendezvous link = create(name); SharedMemory shared = SharedMemory.create(evidence, 8L * messages)) {
            // a sender of ours, which sends nothing, keeps the receivers from seeing every sender gone
            // before both sender JVMs have attached; closed once they are done
            RendezvousSender keeper = link.sender();
            for (int r = 0; r < 2; r++) {
                ChildProcess receiver = ChildProcess.java(RendezvousChild.class, "race-receive", name, evidence,
                        Integer.toString(17 + r));
                children.add(receiver);
                receiver.awaitOutput("READY", DEADLINE);
            }
            List<ChildProcess> senders = new ArrayList<>();
            for (int s = 0; s < 2; s++) {
                ChildProcess sender = ChildProcess.java(RendezvousChild.class, "race-send", name, evidence,
                        Integer.toString(s), "2", Integer.toString(messages), "300");
                children.add(sender);
                senders.add(sender);
            }
            for (ChildProcess sender : senders) {
                sender.assertSuccess(DEADLINE);
            }
            keeper.close();
            for (ChildProcess child : children) {
                child.assertSuccess(DEADLINE);
            }
            MemorySegment seen = shared.segment();
            int taken = 0;
            int withdrawn = 0;
            List<String> problems = new ArrayList<>();
            for (int id = 0; id < messages; id++) {
                int count = (int) INT.getVolatile(seen, 8L * id);
                int outcome = (int) INT.getVolatile(seen, 8L * id + 4);
                if (outcome == RendezvousChild.TAKEN && count == 1) {
                    taken++;
                } else if (outcome == RendezvousChild.WITHDRAWN && count == 0) {
                    withdrawn++;
                } else if (problems.size() < 10) {
                    problems.add("message " + id + ": outcome " + outcome + ", taken " + count + " times");
                }
            }
            assertEquals(List.of(), problems);
            assertEquals(messages, taken + withdrawn);
            assertTrue(taken > 0 && withdrawn > 0, "both ends of the race happened: taken " + taken + ", withdrawn " + withdrawn);
            StringBuilder report = new StringBuilder();
            for (ChildProcess sender : senders) {
                report.append(sender.output().lines().filter(l -> l.startsWith("SENT")).findFirst().orElse("?")).append("; ");
            }
            System.out.println("race: " + taken + " taken exactly once, " + withdrawn + " withdrawn and never taken; "
                    + "senders: " + report);
            link.unlink();
            shared.unlink();
        } finally {
            children.forEach(ChildProcess::close);
            Rendezvous.unlinkIfExists(name);
            SharedMemory.unlinkIfExists(evidence);
        }
    }

    @Test
    void shouldTellAWaitingSenderAtOnceWhenItsOnlyReceiverIsKilled() throws Exception {
        String name = TestNames.unique("rv-kill-idle");
        try (Rendezvous link = create(name);
             RendezvousSender sender = link.sender();
             ChildProcess receiver = ChildProcess.java(RendezvousChild.class, "attach-and-wait", name, "PT1S")) {
            receiver.awaitOutput("READY", DEADLINE);
            CompletableFuture<Long> sending = sendInThread(sender, Duration.ofSeconds(60));
            Thread.sleep(100); // the sender is waiting for a receiver, asleep
            receiver.kill();
            long killed = System.nanoTime();
            assertEquals(RendezvousSender.CLOSED, sending.get(30, TimeUnit.SECONDS), "told, not timed out");
            System.out.printf("receiver killed while the sender waited for one: the sender knew %.1f ms after"
                    + " the kill (deadline 60 s)%n", (System.nanoTime() - killed) / 1e6);
            link.unlink();
        } finally {
            Rendezvous.unlinkIfExists(name);
        }
    }

    @Test
    void shouldTellASenderAtOnceThatTheReceiverItHandedToWasDead() throws Exception {
        String name = TestNames.unique("rv-kill-waiting");
        try (Rendezvous link = create(name);
             RendezvousSender sender = link.sender();
             ChildProcess receiver = ChildProcess.java(RendezvousChild.class, "hold", name)) {
            receiver.awaitOutput("READY", DEADLINE);
            receiver.kill(); // dead while marked WAITING: a sender hands it the message
            long start = System.nanoTime();
            assertEquals(RendezvousSender.CLOSED, sender.send(1, new byte[8], Duration.ofSeconds(60)));
            System.out.printf("receiver dead while waiting: the send that handed it a message knew in %.3f ms%n",
                    (System.nanoTime() - start) / 1e6);
            assertEquals(1, sender.receiverDeaths());
            link.unlink();
        } finally {
            Rendezvous.unlinkIfExists(name);
        }
    }

    @Test
    void shouldTellASenderAtOnceThatTheReceiverHoldingItsMessageWasKilledAndOfferItToAnother() throws Exception {
        String name = TestNames.unique("rv-kill-holding");
        String evidence = TestNames.unique("rv-kill-holding-evidence");
        try (Rendezvous link = create(name);
             SharedMemory shared = SharedMemory.create(evidence, 64);
             RendezvousSender sender = link.sender();
             ChildProcess holder = ChildProcess.java(RendezvousChild.class, "hold", name)) {
            holder.awaitOutput("READY", DEADLINE);
            // alone: the holder's death leaves no receiver, so the send says CLOSED
            CompletableFuture<Long> sending = sendInThread(sender, Duration.ofSeconds(60));
            holder.awaitOutput("HOLDING", DEADLINE);
            Thread.sleep(50);
            assertTrue(!sending.isDone(), "not acknowledged: the sender waits");
            holder.kill();
            long killed = System.nanoTime();
            assertEquals(RendezvousSender.CLOSED, sending.get(30, TimeUnit.SECONDS));
            double alone = (System.nanoTime() - killed) / 1e6;
            assertEquals(1, sender.receiverDeaths());
            assertTrue(link.handedBack() >= 1);

            // with another receiver: the message the dead one held goes to it, taken exactly once
            try (ChildProcess second = ChildProcess.java(RendezvousChild.class, "hold", name)) {
                second.awaitOutput("READY", DEADLINE);
                CompletableFuture<Long> again = sendInThread(sender, Duration.ofSeconds(60));
                second.awaitOutput("HOLDING", DEADLINE);
                try (ChildProcess other = ChildProcess.java(RendezvousChild.class, "receive-into", name, evidence, "1")) {
                    other.awaitOutput("READY", DEADLINE);
                    second.kill();
                    killed = System.nanoTime();
                    assertEquals(1, again.get(30, TimeUnit.SECONDS), "taken by the other receiver");
                    double handedOn = (System.nanoTime() - killed) / 1e6;
                    other.assertSuccess(DEADLINE);
                    assertEquals(0x0DDBA11L, shared.segment().get(ValueLayout.JAVA_LONG, 0));
                    assertEquals(2, sender.receiverDeaths());
                    System.out.printf("receiver killed holding the message: the sender knew %.1f ms after the kill"
                            + " when alone, and had it taken by another receiver %.1f ms after the kill%n", alone, handedOn);
                }
            }
            link.unlink();
            shared.unlink();
        } finally {
            Rendezvous.unlinkIfExists(name);
            SharedMemory.unlinkIfExists(evidence);
        }
    }

    private static CompletableFuture<Long> sendInThread(RendezvousSender sender, Duration timeout) {
        CompletableFuture<Long> future = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                byte[] message = new byte[16];
                MemorySegment.ofArray(message).set(ValueLayout.JAVA_LONG_UNALIGNED, 0, 0x0DDBA11L);
                future.complete(sender.send(1, message, timeout));
            } catch (Throwable t) {
                future.completeExceptionally(t);
            }
        });
        thread.setDaemon(true);
        thread.start();
        return future;
    }
}
