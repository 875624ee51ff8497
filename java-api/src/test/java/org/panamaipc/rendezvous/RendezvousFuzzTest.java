package org.panamaipc.rendezvous;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.shm.InvalidSegmentException;
import org.panamaipc.shm.SegmentHeaderDescriptor;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rendezvous whose configuration, counts, slots and exchange words are overwritten with random
 * and boundary values, before it is opened or while a sender and a receiver are attached, must
 * give an {@link InvalidSegmentException} or work: never an exception from inside FFM, never a
 * hang. Each case hands one message over between two threads with short timeouts. Seeded: a
 * failing case names its seed.
 */
@ExtendWith(NoLeakedObjects.class)
@Timeout(240)
class RendezvousFuzzTest {

    private static final long SEED = 0x2E7D_E2B0_05L;
    private static final int CASES = 600;
    private static final int MAX_LENGTH = 100;
    private static final int SLOTS = 3;

    private record Field(String name, long offset, int bytes) {
    }

    private static List<Field> fields(long receivers, int slotLength) {
        List<Field> fields = new ArrayList<>();
        fields.add(new Field("max message length", RendezvousDescriptor.MAX_MESSAGE_LENGTH_OFFSET, 4));
        fields.add(new Field("sender slots", RendezvousDescriptor.SENDER_SLOTS_OFFSET, 4));
        fields.add(new Field("receiver slots", RendezvousDescriptor.RECEIVER_SLOTS_OFFSET, 4));
        fields.add(new Field("receiver slot length", RendezvousDescriptor.RECEIVER_SLOT_LENGTH_OFFSET, 4));
        fields.add(new Field("senders offset", RendezvousDescriptor.SENDERS_OFFSET_OFFSET, 8));
        fields.add(new Field("receivers offset", RendezvousDescriptor.RECEIVERS_OFFSET_OFFSET, 8));
        fields.add(new Field("senders offering", RendezvousDescriptor.SENDERS_OFFERING_OFFSET, 4));
        fields.add(new Field("senders sleeping", RendezvousDescriptor.SENDERS_SLEEPING_OFFSET, 4));
        fields.add(new Field("receivers in use", RendezvousDescriptor.RECEIVER_SLOTS_IN_USE_OFFSET, 4));
        fields.add(new Field("senders left", RendezvousDescriptor.SENDERS_LEFT_OFFSET, 4));
        for (int id = 0; id < SLOTS; id++) {
            long s = RendezvousDescriptor.SENDERS_OFFSET + (long) id * RendezvousDescriptor.SENDER_LENGTH;
            fields.add(new Field("sender " + id + " state", s + RendezvousDescriptor.S_STATE_OFFSET, 4));
            fields.add(new Field("sender " + id + " pid", s + RendezvousDescriptor.S_PID_OFFSET, 4));
            fields.add(new Field("sender " + id + " ack", s + RendezvousDescriptor.S_ACK_OFFSET, 8));
            fields.add(new Field("sender " + id + " sleeping", s + RendezvousDescriptor.S_SLEEPING_OFFSET, 4));
            long r = receivers + (long) id * slotLength;
            fields.add(new Field("receiver " + id + " state", r + RendezvousDescriptor.R_STATE_OFFSET, 4));
            fields.add(new Field("receiver " + id + " exchange", r + RendezvousDescriptor.R_EXCHANGE_OFFSET, 4));
            fields.add(new Field("receiver " + id + " pid", r + RendezvousDescriptor.R_PID_OFFSET, 4));
            fields.add(new Field("receiver " + id + " length", r + RendezvousDescriptor.R_LENGTH_OFFSET, 4));
            fields.add(new Field("receiver " + id + " source", r + RendezvousDescriptor.R_SOURCE_OFFSET, 4));
            fields.add(new Field("receiver " + id + " ticket", r + RendezvousDescriptor.R_TICKET_OFFSET, 8));
        }
        return fields;
    }

    private static long value(SplittableRandom random, long original) {
        return switch (random.nextInt(11)) {
            case 0 -> 0;
            case 1 -> -1;
            case 2 -> original + 1 + random.nextInt(7);
            case 3 -> original - 1;
            case 4 -> RendezvousDescriptor.exchange(1 + random.nextInt(5), random.nextInt(SLOTS + 1));
            case 5 -> Long.MAX_VALUE - random.nextInt(16);
            case 6 -> Long.MIN_VALUE;
            case 7 -> Integer.MAX_VALUE;
            case 8 -> random.nextInt(2 * MAX_LENGTH);
            case 9 -> ProcessHandle.current().pid();
            default -> random.nextLong();
        };
    }

    private static String corrupt(MemorySegment body, SplittableRandom random, List<Field> fields) {
        StringBuilder done = new StringBuilder();
        for (int i = 1 + random.nextInt(3); i > 0; i--) {
            Field field = fields.get(random.nextInt(fields.size()));
            long v = value(random, field.bytes() == 8 ? body.get(ValueLayout.JAVA_LONG, field.offset())
                    : body.get(ValueLayout.JAVA_INT, field.offset()));
            if (field.bytes() == 8) {
                body.set(ValueLayout.JAVA_LONG, field.offset(), v);
            } else {
                body.set(ValueLayout.JAVA_INT, field.offset(), (int) v);
            }
            done.append(field.name()).append('=').append(v).append("; ");
        }
        return done.toString();
    }

    private static <T> T attach(Supplier<T> attach) {
        try {
            return attach.get();
        } catch (IllegalStateException refused) {
            if (refused.getMessage().contains("slots in use")) {
                return null;
            }
            throw refused;
        }
    }

    /** One hand-over between two threads, every wait bounded: a receive in a thread, sends here. */
    private static void use(Rendezvous link, RendezvousSender sender, RendezvousReceiver receiver,
                            MemorySegment destination) throws Exception {
        int max = Math.min(link.maxMessageLength(), MAX_LENGTH); // what the (perhaps overwritten) rendezvous says
        CompletableFuture<Integer> receiving = new CompletableFuture<>();
        if (receiver != null) {
            Thread thread = new Thread(() -> {
                try {
                    receiving.complete(receiver.receive(destination, 0, Duration.ofMillis(20)));
                } catch (Throwable t) {
                    receiving.completeExceptionally(t);
                }
            });
            thread.start();
        } else {
            receiving.complete(0);
        }
        if (sender != null) {
            sender.trySend(1, new byte[Math.min(10, max)]);
            sender.send(2, new byte[max], Duration.ofMillis(20));
        }
        try {
            receiving.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
        if (receiver != null) {
            receiver.tryReceive(destination, 0);
        }
    }

    @Test
    void shouldGiveOnlyInvalidSegmentOrWorkWhateverIsOverwritten() throws Exception {
        String name = TestNames.unique("rv-fuzz");
        int invalid = 0;
        int worked = 0;
        try (Rendezvous created = Rendezvous.create(name, RendezvousOptions.of(MAX_LENGTH).senderSlots(SLOTS)
                .receiverSlots(SLOTS));
             SharedMemory raw = SharedMemory.open(name);
             Arena arena = Arena.ofShared()) {
            MemorySegment body = raw.segment().asSlice(SegmentHeaderDescriptor.HEADER_SIZE);
            List<Field> fields = fields(body.get(ValueLayout.JAVA_LONG, RendezvousDescriptor.RECEIVERS_OFFSET_OFFSET),
                    body.get(ValueLayout.JAVA_INT, RendezvousDescriptor.RECEIVER_SLOT_LENGTH_OFFSET));
            byte[] pristine = body.toArray(ValueLayout.JAVA_BYTE);
            MemorySegment destination = arena.allocate(MAX_LENGTH);
            SplittableRandom seeds = new SplittableRandom(SEED);
            for (int c = 0; c < CASES; c++) {
                long seed = seeds.nextLong();
                SplittableRandom random = new SplittableRandom(seed);
                MemorySegment.copy(MemorySegment.ofArray(pristine), 0, body, 0, pristine.length);
                boolean whileAttached = random.nextBoolean();
                String what = whileAttached ? "" : corrupt(body, random, fields);
                try (Rendezvous link = Rendezvous.open(name)) {
                    RendezvousReceiver receiver = attach(link::receiver);
                    RendezvousSender sender = attach(link::sender);
                    if (whileAttached) {
                        what = corrupt(body, random, fields);
                    }
                    use(link, sender, receiver, destination);
                    worked++;
                } catch (InvalidSegmentException expected) {
                    invalid++;
                } catch (RuntimeException | Error e) {
                    throw new AssertionError("case " + c + " (seed " + seed + ", " + (whileAttached ? "while attached"
                            : "before open") + "): " + what + "gave " + e, e);
                }
            }
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
        System.out.println(CASES + " corrupted rendezvous: " + invalid + " refused as invalid, " + worked + " worked");
        assertEquals(CASES, invalid + worked);
        assertTrue(invalid > CASES / 10, "the fuzz reaches the checks: " + invalid);
    }
}
