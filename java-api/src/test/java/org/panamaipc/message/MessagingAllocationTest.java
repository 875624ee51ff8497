package org.panamaipc.message;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.channel.ChannelOptions;
import org.panamaipc.channel.ChannelType;
import org.panamaipc.channel.RingChannel;
import org.panamaipc.channel.WaitStrategy;
import org.panamaipc.codec.RecordField;
import org.panamaipc.endpoint.Endpoint;
import org.panamaipc.endpoint.EndpointRegistry;
import org.panamaipc.message.MessageRecords.Job;
import org.panamaipc.message.MessageRecords.Tick;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.lang.foreign.MemorySegment;
import java.lang.reflect.Method;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A steady stream of typed records allocates nothing per message on either side: a typed sender
 * and receiver over a ring, a mailbox over each transport, a port, and an endpoint sending by
 * name and replying. Measured with the JVM's per-thread allocation counter over many messages
 * after a warm-up; the bound allows a few stray objects of the JVM's own, not one per message.
 * Receiving decoded values, which creates them, shows that the measurement sees allocation.
 */
@ExtendWith(NoLeakedObjects.class)
@Timeout(180)
class MessagingAllocationTest {

    private static final int WARM_UP = 30_000;
    private static final int MEASURED = 20_000;
    /** Far below one object (16 bytes at least) per message. */
    private static final long ALLOWED_BYTES = 4096;
    private static final int ROUNDS = 10;
    private static final Duration ROUNDS_FOR = Duration.ofSeconds(20);

    private final RecordField sequence = MessageRecords.TICK_SEQUENCE;
    private final RecordField price = MessageRecords.TICK_PRICE;
    private final RecordField jobId = MessageRecords.JOB_ID;
    private final Tick tick = new Tick(1, 2.5, 3, 4);
    private final Job job = new Job(1, 2, 3, "job");
    private long sink;
    private final RecordHandler readTick = (header, segment, offset, length) ->
            sink += sequence.getLong(segment, offset) + (long) price.getDouble(segment, offset) + header.sequence();
    private final RecordHandler readJob = (header, segment, offset, length) ->
            sink += jobId.getLong(segment, offset) + header.sourcePid() + header.sendTime() + header.replyTo();

    private interface Message {
        void run() throws Exception;
    }

    private static long allocatedBytes() {
        try {
            Object threads = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            Method allocated = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
            return (long) allocated.invoke(threads);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("this JVM does not count allocated bytes per thread", e);
        }
    }

    /** {@return the fewest bytes one measured round of {@link #MEASURED} messages allocated} */
    private static long allocatedBy(Message message) throws Exception {
        return allocatedBy(message, ROUNDS_FOR);
    }

    /**
     * {@return the fewest bytes one measured round of {@link #MEASURED} messages allocated} At least
     * {@link #ROUNDS} rounds, and more for up to {@code roundsFor} while every round allocated.
     */
    private static long allocatedBy(Message message, Duration roundsFor) throws Exception {
        for (int i = 0; i < WARM_UP; i++) {
            message.run();
        }
        allocatedBytes();
        long fewest = Long.MAX_VALUE;
        // at least ROUNDS rounds, and on a loaded machine more, for up to ROUNDS_FOR: until the JIT
        // has compiled the path (a round run before that allocates what escape analysis removes)
        long until = System.nanoTime() + roundsFor.toNanos();
        for (int round = 0; (round < ROUNDS || System.nanoTime() - until < 0) && fewest > ALLOWED_BYTES; round++) {
            long before = allocatedBytes();
            for (int i = 0; i < MEASURED; i++) {
                message.run();
            }
            fewest = Math.min(fewest, allocatedBytes() - before);
        }
        return fewest;
    }

    private static void assertNoAllocation(String what, long bytes) {
        System.out.printf("%s: %d bytes for %d messages%n", what, bytes, MEASURED);
        assertTrue(bytes <= ALLOWED_BYTES, what + " allocated " + bytes + " bytes for " + MEASURED + " messages");
    }

    /** Sends records whole and written field by field, each read in place: {@code label} names the form. */
    private void assertInPlaceAllocatesNothing(String label, TypedSender<Tick> sender, TypedReceiver<Tick> receiver)
            throws Exception {
        assertNoAllocation(label + "typed send + in-place receive", allocatedBy(() -> {
            sender.trySend(tick);
            receiver.poll(readTick, 1);
        }));
        assertNoAllocation(label + "claim + field writes + in-place receive", allocatedBy(() -> {
            long index = sender.tryClaim();
            MemorySegment buffer = sender.buffer();
            sequence.setLong(buffer, index, 7);
            price.setDouble(buffer, index, 1.5);
            sender.commit(index);
            receiver.poll(readTick, 1);
        }));
    }

    @Test
    void shouldAllocateNothingPerTypedRecordOnARing() throws Exception {
        String name = TestNames.unique("alloc-typed");
        try (RingChannel ring = RingChannel.create(name, ChannelOptions.of(ChannelType.SPSC).capacity(1 << 16));
             TypedSender<Tick> sender = TypedSender.of(ring.sender(WaitStrategy.busySpin()), MessageRecords.TICKS, 1);
             TypedReceiver<Tick> receiver = TypedReceiver.of(ring.receiver(WaitStrategy.busySpin(), false), MessageRecords.TICKS)) {
            assertInPlaceAllocatesNothing("", sender, receiver);
            long decoding = allocatedBy(() -> {
                sender.trySend(tick);
                sink += receiver.tryReceive().quantity();
            }, Duration.ZERO);                              // it allocates in every round: ROUNDS of them
            assertTrue(decoding >= 16L * MEASURED, "decoding creates a record per message: " + decoding);
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void shouldAllocateNothingPerBareRecordOnARingOrMailbox() throws Exception {
        String name = TestNames.unique("alloc-bare");
        try (RingChannel ring = RingChannel.create(name, ChannelOptions.of(ChannelType.SPSC).capacity(1 << 16));
             TypedSender<Tick> sender = TypedSender.withoutEnvelope(ring.sender(WaitStrategy.busySpin()), MessageRecords.TICKS, 1);
             TypedReceiver<Tick> receiver = TypedReceiver.withoutEnvelope(
                     ring.receiver(WaitStrategy.busySpin(), false), MessageRecords.TICKS)) {
            assertInPlaceAllocatesNothing("bare ", sender, receiver);
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
        String mailbox = TestNames.unique("alloc-bare-mbox");
        try (Mailbox<Job> receiving = Mailbox.create(mailbox, MailboxOptions.ring().capacity(64).withoutEnvelope(),
                MessageRecords.JOBS);
             Mailbox<Job> sending = Mailbox.open(mailbox, MessageRecords.JOBS)) {
            assertNoAllocation("bare mailbox over a ring", allocatedBy(() -> {
                sending.trySend(job);
                receiving.poll(readJob, 1);
            }));
        } finally {
            Mailbox.unlinkIfExists(mailbox);
        }
    }

    @Test
    void shouldAllocateNothingPerRecordThroughMailboxesAndPorts() throws Exception {
        for (Transport transport : Transport.values()) {
            MailboxOptions options = transport == Transport.RING ? MailboxOptions.ring().capacity(64) : MailboxOptions.queue();
            String name = TestNames.unique("alloc-mbox-" + transport);
            try (Mailbox<Job> receiving = Mailbox.create(name, options, MessageRecords.JOBS);
                 Mailbox<Job> sending = Mailbox.open(name, MessageRecords.JOBS)) {
                assertNoAllocation("mailbox over " + transport, allocatedBy(() -> {
                    sending.trySend(job);
                    receiving.poll(readJob, 1);
                }));
            } finally {
                Mailbox.unlinkIfExists(name);
            }
            String port = TestNames.unique("alloc-port-" + transport);
            try (Port<Job> owner = Port.create(port, options, MessageRecords.JOBS);
                 Port<Job> client = Port.open(port, MessageRecords.JOBS)) {
                assertNoAllocation("port over " + transport, allocatedBy(() -> {
                    client.trySend(job);
                    owner.poll(readJob, 1);
                }));
            } finally {
                Port.unlinkIfExists(port);
            }
        }
    }

    @Test
    void shouldAllocateNothingPerRecordSentByNameOrAsAReply() throws Exception {
        String name = TestNames.unique("alloc-reg");
        try (EndpointRegistry registry = EndpointRegistry.create(name, 4);
             Endpoint<Job> alice = registry.register("alice", MessageRecords.JOBS);
             Endpoint<Job> bob = registry.register("bob", MessageRecords.JOBS)) {
            long[] replyTo = {0};
            RecordHandler note = (header, segment, offset, length) -> replyTo[0] = header.replyTo();
            assertNoAllocation("endpoint send by name + reply", allocatedBy(() -> {
                alice.trySend("bob", job);
                bob.poll(note, 1);
                bob.tryReply(replyTo[0], job);
                alice.poll(readJob, 1);
            }));
            assertEquals(alice.address(), replyTo[0]);
        } finally {
            EndpointRegistry.unlinkIfExists(name);
        }
    }
}
