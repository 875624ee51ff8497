package org.panamaipc.unbounded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.channel.RingChannel;
import org.panamaipc.children.UnboundedChild;
import org.panamaipc.testkit.ChildProcess;
import org.panamaipc.testkit.KernelWaits;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How a waiting receiver of an unbounded link learns of a spilled message, between real JVMs (a
 * sender in {@link UnboundedChild}, the receiver here): it sleeps on the ring until something
 * happens instead of waking to look at the spill now and then, and a message the sender spills
 * while it sleeps wakes it.
 */
@ExtendWith(NoLeakedObjects.class)
@Timeout(240)
class UnboundedWakeUpTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    /** How long the idle receive waits: a hundred times the 20 ms the receiver once looked at the spill after. */
    private static final Duration IDLE = Duration.ofSeconds(2);
    private static final UnboundedOptions OPTIONS = UnboundedOptions.of(512).ringCapacity(64 * 1024)
            .spillSegmentSize(256 * 1024);

    /**
     * Regression: a waiting receive slept on the ring in slices of 20 ms and looked at the spill
     * between them, so an idle receiver woke fifty times a second (and a message spilled just after
     * it looked waited for the next slice). Now it sleeps once, for as long as the timeout, and the
     * ring's count of receiver sleeps says so; the count does not depend on how fast the machine is.
     */
    @Test
    void shouldSleepThroughAnIdleWaitInsteadOfWakingToLookAtTheSpill() throws Exception {
        String name = TestNames.unique("ub-idle");
        try (UnboundedLink link = UnboundedLink.create(name, OPTIONS);
             UnboundedReceiver receiver = link.receiver();
             RingChannel ring = RingChannel.open(UnboundedDescriptor.ringName(name));
             ChildProcess sender = ChildProcess.java(UnboundedChild.class, "send-on-request", name)) {
            sender.awaitOutput("READY", DEADLINE);
            request(sender, "send 7 16");
            MemorySegment buffer = MemorySegment.ofArray(new byte[512]);
            assertEquals(16, receiver.receive(buffer, 0, DEADLINE), "the sender is attached and alive");
            long before = ring.stats().receiverSleeps();
            assertEquals(UnboundedReceiver.EMPTY, receiver.receive(buffer, 0, IDLE));
            long sleeps = ring.stats().receiverSleeps() - before;
            assertTrue(sleeps >= 1, "the receive slept on the ring's futex: " + sleeps);
            // once where the ring's receiver sleeps quietly; where it cannot (no futex_waitv or
            // pidfd), in the ring's 250 ms slices: 8, and a few more. 20 ms slices made it 100.
            assertTrue(sleeps <= 12, "an idle receive of " + IDLE + " slept " + sleeps
                    + " times on the ring's futex; it should sleep until something happens, not wake to look at the spill");
        } finally {
            UnboundedLink.unlinkIfExists(name);
        }
    }

    /**
     * A message appended to the spill while the receiver sleeps on an empty ring with an empty spill
     * wakes it, in each form of the waiting receive. The receive waits as long as it takes, so
     * without the doorbell nothing would end it; the deadline fails the test instead. A message of
     * the doorbell's type with no payload always goes to the spill: that is how the sender is made
     * to spill while the ring is empty. The doorbells themselves are never delivered or counted.
     */
    @Test
    void shouldWakeAReceiverSleepingOnTheRingForAMessageSpilledMeanwhile() throws Exception {
        String name = TestNames.unique("ub-bell");
        String spill = "send " + UnboundedDescriptor.DOORBELL_TYPE + " 0";
        try (UnboundedLink link = UnboundedLink.create(name, OPTIONS);
             UnboundedReceiver receiver = link.receiver();
             ChildProcess sender = ChildProcess.java(UnboundedChild.class, "send-on-request", name)) {
            sender.awaitOutput("READY", DEADLINE);
            MemorySegment buffer = MemorySegment.ofArray(new byte[512]);
            List<Callable<Integer>> forms = List.of(
                    () -> receiver.receive(buffer, 0),
                    () -> receiver.receive(ByteBuffer.wrap(new byte[512])),
                    () -> receiver.receive((header, b, o, length) -> { }, 8),
                    () -> receiver.receiveBytes().length,
                    () -> receiver.receive(buffer, 0, Duration.ofDays(1)));
            for (int form = 0; form < forms.size(); form++) {
                FutureTask<Integer> receive = new FutureTask<>(forms.get(form));
                Thread waiting = new Thread(receive, "ubbell-" + form);
                waiting.start();
                KernelWaits.awaitFutexWait(waiting); // asleep on the ring, having looked at the spill
                request(sender, spill);
                sender.awaitOutput("SENT " + (form + 1) + " spilled " + (form + 1), DEADLINE);
                int got = receive.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                assertEquals(form == 2 ? 1 : 0, got, "form " + form + ": the spilled message (a handler form counts it)");
                assertEquals(UnboundedDescriptor.DOORBELL_TYPE, receiver.lastHeader().type(), "form " + form);
                assertTrue(receiver.lastHeader().spilled(), "form " + form + " took it from the spill");
                assertEquals(form + 1, receiver.received(), "doorbells are not counted");
            }
            request(sender, "send 3 24");
            sender.awaitOutput("SENT 6 spilled 5", DEADLINE);
            assertEquals(24, receiver.receive(buffer, 0, DEADLINE), "after the spill drained the ring comes first again");
            assertFalse(receiver.lastHeader().spilled());
            assertEquals(UnboundedReceiver.EMPTY, receiver.tryReceive(buffer, 0), "no doorbell is delivered");
            assertEquals(6, link.received());
        } finally {
            UnboundedLink.unlinkIfExists(name);
        }
    }

    /**
     * The receiver sleeps on the ring with no slice of its own, so only the ring's notice of a dead
     * sender can end the wait when the sender is SIGKILLed (as it must for a sender that dies
     * between a spill append and its doorbell): the receive says {@code CLOSED}.
     */
    @Test
    void shouldWakeAReceiverSleepingOnTheRingWhenTheSenderDies() throws Exception {
        String name = TestNames.unique("ub-bell-dead");
        try (UnboundedLink link = UnboundedLink.create(name, OPTIONS);
             UnboundedReceiver receiver = link.receiver();
             ChildProcess sender = ChildProcess.java(UnboundedChild.class, "send-on-request", name)) {
            sender.awaitOutput("READY", DEADLINE);
            request(sender, "send 4 10");
            MemorySegment buffer = MemorySegment.ofArray(new byte[512]);
            assertEquals(10, receiver.receive(buffer, 0, DEADLINE));
            FutureTask<Integer> receive = new FutureTask<>(() -> receiver.receive(buffer, 0));
            Thread waiting = new Thread(receive, "ubdead");
            waiting.start();
            KernelWaits.awaitFutexWait(waiting);
            sender.kill();
            assertEquals(UnboundedReceiver.CLOSED, receive.get(DEADLINE.toSeconds(), TimeUnit.SECONDS));
            assertEquals(1, link.received());
        } finally {
            UnboundedLink.unlinkIfExists(name);
        }
    }

    /**
     * A sender in bursts of varying pace keeps spilling while the receiver catches up with the
     * spill again and again and then waits, so that now and then an append lands just after the
     * receiver's last look and rings (a few to a few dozen doorbells a run here; how many is up to
     * the scheduler, so it is not asserted). Every message arrives, in order, then {@code CLOSED}.
     * This checks the order and the counts around doorbells under real races; it cannot tell a
     * lost wake-up by itself (the sender's exit at the end would end that wait), which
     * {@link #shouldWakeAReceiverSleepingOnTheRingForAMessageSpilledMeanwhile()} does.
     */
    @Test
    void shouldDeliverBurstsThatSpillInOrderToAReceiverThatWaitsAsLongAsItTakes() throws Exception {
        String name = TestNames.unique("ub-bursts");
        long count = 60_000;
        try (UnboundedLink link = UnboundedLink.create(name, OPTIONS);
             UnboundedReceiver receiver = link.receiver();
             ChildProcess producer = ChildProcess.java(UnboundedChild.class, "produce-bursts", name, "1",
                     Long.toString(count))) {
            long spilled = assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
                MemorySegment buffer = MemorySegment.ofArray(new byte[512]);
                MemorySegment expected = MemorySegment.ofArray(new byte[512]);
                long fromSpill = 0;
                for (long i = 1; i <= count; i++) {
                    int length = receiver.receive(buffer, 0);
                    assertEquals(UnboundedChild.length(i), length, "message " + i);
                    UnboundedChild.fill(i, expected);
                    assertEquals(-1, expected.asSlice(0, length).mismatch(buffer.asSlice(0, length)), "message " + i);
                    fromSpill += receiver.lastHeader().spilled() ? 1 : 0;
                }
                assertEquals(UnboundedReceiver.CLOSED, receiver.receive(buffer, 0), "the producer exits when done");
                return fromSpill;
            });
            producer.assertSuccess(DEADLINE);
            assertTrue(spilled > 0, "some bursts spilled: " + producer.output());
            assertEquals(count, link.received());
            assertEquals(List.of(), UnboundedLinkTest.spills(name));
        } finally {
            UnboundedLink.unlinkIfExists(name);
        }
    }

    /** Writes {@code line} to the child's standard input. */
    private static void request(ChildProcess child, String line) throws IOException {
        OutputStream in = child.process().getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }
}
