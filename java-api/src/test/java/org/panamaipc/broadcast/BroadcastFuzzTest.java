package org.panamaipc.broadcast;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.panamaipc.shm.InvalidSegmentException;
import org.panamaipc.shm.SegmentHeaderDescriptor;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A broadcast whose configuration, tail, publisher record, subscriber slots and records are
 * overwritten with random and boundary values, before it is opened or while a publisher and
 * subscribers are attached, must give an {@link InvalidSegmentException} or work: never an
 * exception from inside FFM, never a hang. Seeded: a failing case names its seed. (The
 * registration lock is an {@link org.panamaipc.sync.IpcMutex}, fuzzed with the primitives.)
 */
@ExtendWith(NoLeakedObjects.class)
@Timeout(180)
class BroadcastFuzzTest {

    private static final long SEED = 0xB40ADCA57L;
    private static final int CASES = 1500;
    private static final int CAPACITY = 16;
    private static final int MAX_LENGTH = 100;
    private static final int SLOTS = 3;

    private record Field(String name, long offset, int bytes) {
    }

    private static List<Field> fields() {
        List<Field> fields = new ArrayList<>();
        fields.add(new Field("capacity", BroadcastDescriptor.CAPACITY_OFFSET, 8));
        fields.add(new Field("records offset", BroadcastDescriptor.RECORDS_OFFSET_OFFSET, 8));
        fields.add(new Field("slot length", BroadcastDescriptor.SLOT_LENGTH_OFFSET, 4));
        fields.add(new Field("max message length", BroadcastDescriptor.MAX_MESSAGE_LENGTH_OFFSET, 4));
        fields.add(new Field("policy", BroadcastDescriptor.POLICY_OFFSET, 4));
        fields.add(new Field("subscriber slots", BroadcastDescriptor.SUBSCRIBER_SLOTS_OFFSET, 4));
        fields.add(new Field("tail", BroadcastDescriptor.TAIL_OFFSET, 8));
        fields.add(new Field("publisher state", BroadcastDescriptor.PUBLISHER_STATE_OFFSET, 4));
        fields.add(new Field("publisher pid", BroadcastDescriptor.PUBLISHER_PID_OFFSET, 4));
        fields.add(new Field("subscribers waiting", BroadcastDescriptor.SUBSCRIBERS_WAITING_OFFSET, 4));
        fields.add(new Field("publisher waiting", BroadcastDescriptor.PUBLISHER_WAITING_OFFSET, 4));
        fields.add(new Field("wake needed", BroadcastDescriptor.WAKE_NEEDED_OFFSET, 4));
        fields.add(new Field("publisher wake at", BroadcastDescriptor.PUBLISHER_WAKE_AT_OFFSET, 8));
        fields.add(new Field("publishers left", BroadcastDescriptor.PUBLISHERS_LEFT_OFFSET, 4));
        fields.add(new Field("slots in use", BroadcastDescriptor.SLOTS_IN_USE_OFFSET, 4));
        for (int id = 0; id < SLOTS; id++) {
            long slot = BroadcastDescriptor.subscriberOffset(id);
            fields.add(new Field("slot " + id + " state", slot + BroadcastDescriptor.SUB_STATE_OFFSET, 4));
            fields.add(new Field("slot " + id + " pid", slot + BroadcastDescriptor.SUB_PID_OFFSET, 4));
            fields.add(new Field("slot " + id + " cursor", slot + BroadcastDescriptor.SUB_CURSOR_OFFSET, 8));
            fields.add(new Field("slot " + id + " sleeping", slot + BroadcastDescriptor.SUB_SLEEPING_OFFSET, 4));
        }
        return fields;
    }

    private static long value(SplittableRandom random, long original) {
        return switch (random.nextInt(11)) {
            case 0 -> 0;
            case 1 -> -1;
            case 2 -> original + 1 + random.nextInt(7);
            case 3 -> original - 1 - random.nextInt(CAPACITY);
            case 4 -> original + random.nextInt(3 * CAPACITY);
            case 5 -> Long.MAX_VALUE - random.nextInt(16);
            case 6 -> Long.MIN_VALUE;
            case 7 -> Integer.MAX_VALUE;
            case 8 -> (long) random.nextInt(3) + 1;
            case 9 -> ProcessHandle.current().pid();
            default -> random.nextLong();
        };
    }

    private static void write(MemorySegment body, long offset, int bytes, long value) {
        if (bytes == 8) {
            body.set(ValueLayout.JAVA_LONG, offset, value);
        } else {
            body.set(ValueLayout.JAVA_INT, offset, (int) value);
        }
    }

    private static long read(MemorySegment body, long offset, int bytes) {
        return bytes == 8 ? body.get(ValueLayout.JAVA_LONG, offset) : body.get(ValueLayout.JAVA_INT, offset);
    }

    /** Overwrites one to three fields or record words; {@return what it did} */
    private static String corrupt(MemorySegment body, SplittableRandom random, List<Field> fields) {
        StringBuilder done = new StringBuilder();
        long records = BroadcastDescriptor.recordsOffset(SLOTS);
        int slotLength = BroadcastDescriptor.slotLength(MAX_LENGTH);
        for (int i = 1 + random.nextInt(3); i > 0; i--) {
            int kind = random.nextInt(3);
            if (kind == 0) {
                // a record's tag or length/type word, often plausible: near the tail's sequence numbers
                int slot = random.nextInt(CAPACITY);
                long at = records + (long) slot * slotLength + (random.nextBoolean() ? 0 : 8);
                long tail = body.get(ValueLayout.JAVA_LONG, BroadcastDescriptor.TAIL_OFFSET);
                long v = random.nextBoolean() ? (tail + random.nextInt(2 * CAPACITY) - CAPACITY) << 1 | random.nextInt(2)
                        : value(random, body.get(ValueLayout.JAVA_LONG, at));
                body.set(ValueLayout.JAVA_LONG, at, v);
                done.append("record word at ").append(at - records).append('=').append(v).append("; ");
            } else {
                Field field = fields.get(random.nextInt(fields.size()));
                long v = value(random, read(body, field.offset(), field.bytes()));
                write(body, field.offset(), field.bytes(), v);
                done.append(field.name()).append('=').append(v).append("; ");
            }
        }
        return done.toString();
    }

    private static <T> T attach(Supplier<T> attach) {
        try {
            return attach.get();
        } catch (IllegalStateException refused) {
            // a record made to look like a live publisher, or all slots taken: a refusal, as documented
            String m = refused.getMessage();
            if (m.contains("already has a publisher") || m.contains("subscriber slots in use")) {
                return null;
            }
            throw refused;
        }
    }

    /** Sends and receives a little with the try forms and a zero timeout: nothing may wait. */
    private static void use(Broadcast broadcast, Publisher publisher, Subscriber subscriber, MemorySegment destination)
            throws InterruptedException {
        int max = broadcast.maxMessageLength();
        for (int k = 0; k < 6; k++) {
            if (publisher != null) {
                publisher.trySend(k, new byte[Math.min(1 + 37 * k, max)]);
                publisher.send(k, new byte[Math.min(k, max)], java.time.Duration.ZERO);
            }
            if (subscriber != null) {
                try {
                    subscriber.tryReceive(destination, 0);
                } catch (IllegalArgumentException tooLong) {
                    // a length made larger than the destination, but within the max: refused, as documented
                }
            }
        }
        broadcast.published();
        broadcast.subscribers();
    }

    @ParameterizedTest
    @EnumSource(SlowSubscriberPolicy.class)
    void shouldGiveOnlyInvalidSegmentOrWorkWhateverIsOverwritten(SlowSubscriberPolicy policy) throws Exception {
        String name = TestNames.unique("bc-fuzz-" + policy);
        List<Field> fields = fields();
        int invalid = 0;
        int worked = 0;
        try (Broadcast created = Broadcast.create(name, BroadcastOptions.of(policy).capacity(CAPACITY)
                .maxMessageLength(MAX_LENGTH).subscriberSlots(SLOTS));
             SharedMemory raw = SharedMemory.open(name);
             Arena arena = Arena.ofConfined()) {
            // a ring that has wrapped, with slots used before
            try (Publisher publisher = created.publisher(); Subscriber subscriber = created.subscribe()) {
                for (int i = 0; i < 3 * CAPACITY + 5; i++) {
                    publisher.trySend(i, new byte[i * 7 % MAX_LENGTH]);
                    if (i % 2 == 0) {
                        subscriber.tryReceive(arena.allocate(MAX_LENGTH), 0);
                    }
                }
            }
            MemorySegment body = raw.segment().asSlice(SegmentHeaderDescriptor.HEADER_SIZE);
            byte[] pristine = body.toArray(ValueLayout.JAVA_BYTE);
            MemorySegment destination = arena.allocate(MAX_LENGTH);
            SplittableRandom seeds = new SplittableRandom(SEED + policy.ordinal());
            for (int c = 0; c < CASES; c++) {
                long seed = seeds.nextLong();
                SplittableRandom random = new SplittableRandom(seed);
                MemorySegment.copy(MemorySegment.ofArray(pristine), 0, body, 0, pristine.length);
                boolean whileAttached = random.nextBoolean();
                String what = whileAttached ? "" : corrupt(body, random, fields);
                try (Broadcast broadcast = Broadcast.open(name)) {
                    Subscriber subscriber = attach(broadcast::subscribe);
                    Publisher publisher = attach(broadcast::publisher);
                    if (whileAttached) {
                        what = corrupt(body, random, fields);
                    }
                    use(broadcast, publisher, subscriber, destination);
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
        System.out.println(policy + ": " + CASES + " corrupted broadcasts: " + invalid + " refused as invalid, "
                + worked + " worked");
        assertEquals(CASES, invalid + worked);
        assertTrue(invalid > CASES / 10, "the fuzz reaches the checks: " + invalid);
    }
}
