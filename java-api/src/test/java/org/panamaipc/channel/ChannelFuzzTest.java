package org.panamaipc.channel;

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

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A ring whose header fields, endpoint slots and records are overwritten with random and boundary
 * values, before it is opened or while endpoints are attached, must give an
 * {@link InvalidSegmentException} or work: never an exception from inside FFM (an alignment or
 * bounds error), never a hang. Seeded: a failing case names its seed and replays alone.
 */
@ExtendWith(NoLeakedObjects.class)
@Timeout(120)
class ChannelFuzzTest {

    private static final long SEED = 0x5EED_2026L;
    private static final int CASES = 1500;
    private static final int CAPACITY = 4096;
    private static final int MAX_LENGTH = 200;
    private static final int SLOTS = 4;

    /** A field that can be overwritten: where, and how wide. */
    private record Field(String name, long offset, int bytes) {
    }

    private static List<Field> fields() {
        List<Field> fields = new ArrayList<>();
        fields.add(new Field("capacity", ChannelDescriptor.CAPACITY_OFFSET, 8));
        fields.add(new Field("records offset", ChannelDescriptor.RECORDS_OFFSET_OFFSET, 8));
        fields.add(new Field("max message length", ChannelDescriptor.MAX_MESSAGE_LENGTH_OFFSET, 4));
        fields.add(new Field("channel type", ChannelDescriptor.CHANNEL_TYPE_OFFSET, 4));
        fields.add(new Field("endpoint slots", ChannelDescriptor.ENDPOINT_SLOTS_OFFSET, 4));
        fields.add(new Field("tail", ChannelDescriptor.TAIL_OFFSET, 8));
        fields.add(new Field("head", ChannelDescriptor.HEAD_OFFSET, 8));
        fields.add(new Field("receivers waiting", ChannelDescriptor.RECEIVERS_WAITING_OFFSET, 4));
        fields.add(new Field("blocking receivers", ChannelDescriptor.BLOCKING_RECEIVERS_OFFSET, 4));
        fields.add(new Field("senders waiting", ChannelDescriptor.SENDERS_WAITING_OFFSET, 4));
        fields.add(new Field("senders ever", ChannelDescriptor.SENDERS_EVER_OFFSET, 4));
        fields.add(new Field("senders left", ChannelDescriptor.SENDERS_LEFT_OFFSET, 4));
        fields.add(new Field("receivers left", ChannelDescriptor.RECEIVERS_LEFT_OFFSET, 4));
        for (int id = 0; id < SLOTS; id++) {
            long slot = ChannelDescriptor.endpointOffset(id);
            fields.add(new Field("slot " + id + " state", slot + ChannelDescriptor.EP_STATE_OFFSET, 4));
            fields.add(new Field("slot " + id + " role", slot + ChannelDescriptor.EP_ROLE_OFFSET, 4));
            fields.add(new Field("slot " + id + " pid", slot + ChannelDescriptor.EP_PID_OFFSET, 4));
            fields.add(new Field("slot " + id + " flags", slot + ChannelDescriptor.EP_FLAGS_OFFSET, 4));
            fields.add(new Field("slot " + id + " claim start", slot + ChannelDescriptor.EP_CLAIM_START_OFFSET, 8));
            fields.add(new Field("slot " + id + " claim end", slot + ChannelDescriptor.EP_CLAIM_END_OFFSET, 8));
            fields.add(new Field("slot " + id + " sleeping", slot + ChannelDescriptor.EP_SLEEPING_OFFSET, 4));
        }
        return fields;
    }

    private static long value(SplittableRandom random, long original) {
        return switch (random.nextInt(12)) {
            case 0 -> 0;
            case 1 -> -1;
            case 2 -> original + 1 + random.nextInt(7);
            case 3 -> original - 8;
            case 4 -> original + 8 * (1 + random.nextInt(64));
            case 5 -> CAPACITY;
            case 6 -> CAPACITY - 8;
            case 7 -> Long.MAX_VALUE - random.nextInt(16);
            case 8 -> Long.MIN_VALUE;
            case 9 -> Integer.MAX_VALUE;
            case 10 -> random.nextInt(3 * CAPACITY);
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

    /** Overwrites one to three fields or record words with values from {@code random}; {@return what it did} */
    private static String corrupt(MemorySegment body, SplittableRandom random, List<Field> fields) {
        StringBuilder done = new StringBuilder();
        int count = 1 + random.nextInt(3);
        long records = ChannelDescriptor.recordsOffset(SLOTS);
        for (int i = 0; i < count; i++) {
            int kind = random.nextInt(4);
            if (kind == 0) {
                // a tag that looks right: the position of its place in the head's lap (or the next),
                // any state, often in the last bytes of the ring, where only padding fits
                long head = body.get(ValueLayout.JAVA_LONG, ChannelDescriptor.HEAD_OFFSET);
                long index = random.nextBoolean() ? CAPACITY - 8L * (1 + random.nextInt(4)) : 8L * random.nextInt(CAPACITY / 8);
                long position = (head & -CAPACITY) + index + (random.nextBoolean() ? CAPACITY : 0);
                long value = RecordDescriptor.tag(position, random.nextInt(8));
                body.set(ValueLayout.JAVA_LONG, records + index, value);
                done.append("tag at records+").append(index).append('=').append(value).append("; ");
                if (random.nextBoolean()) {
                    // and the head (and the tail, if need be) there, so that it is read next
                    body.set(ValueLayout.JAVA_LONG, ChannelDescriptor.HEAD_OFFSET, position);
                    long tail = body.get(ValueLayout.JAVA_LONG, ChannelDescriptor.TAIL_OFFSET);
                    if (tail < position || tail - position > CAPACITY) {
                        body.set(ValueLayout.JAVA_LONG, ChannelDescriptor.TAIL_OFFSET, position);
                    }
                    done.append("head=").append(position).append("; ");
                }
            } else if (kind == 1) {
                // a record word: a tag, a length, or anything, at any 4-aligned place of the records
                long offset = records + 4L * random.nextInt(CAPACITY / 4);
                boolean wide = (offset & 7) == 0 && random.nextBoolean();
                long value = value(random, read(body, offset, wide ? 8 : 4));
                write(body, offset, wide ? 8 : 4, value);
                done.append("records+").append(offset - records).append('=').append(value).append("; ");
            } else {
                Field field = fields.get(random.nextInt(fields.size()));
                long value = value(random, read(body, field.offset(), field.bytes()));
                write(body, field.offset(), field.bytes(), value);
                done.append(field.name()).append('=').append(value).append("; ");
            }
        }
        return done.toString();
    }

    /** Sends, receives and polls a little with try forms only: nothing may wait. */
    private static void use(RingChannel channel, Sender sender, Receiver receiver, MemorySegment destination) {
        int max = channel.maxMessageLength(); // what the (perhaps overwritten) channel says it takes
        for (int k = 0; k < 4; k++) {
            if (sender != null) {
                sender.trySend(k, new byte[Math.min(1 + 37 * k, max)]);
                long index = sender.tryClaim(k, Math.min(50, max));
                if (index >= 0) {
                    sender.commit(index);
                }
            }
            if (receiver != null) {
                receiver.tryReceive(destination, 0);
                receiver.poll((h, b, o, l) -> { }, 8);
            }
            channel.stats();
        }
        if (channel.type().manySenders()) {
            // a registration retires dead slots and passes over their claims, whatever the slots hold
            Sender another = attach(() -> channel.sender(WaitStrategy.busySpin()));
            if (another != null) {
                another.close();
            }
        }
    }

    private static <T extends AutoCloseable> T attach(java.util.function.Supplier<T> attach) {
        try {
            return attach.get();
        } catch (IllegalStateException refused) {
            // a slot made to look like a live endpoint, or all slots taken: a refusal, as documented
            if (refused.getMessage().contains("already has a") || refused.getMessage().contains("endpoint slots in use")) {
                return null;
            }
            throw refused;
        }
    }

    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void shouldGiveOnlyInvalidSegmentOrWorkWhateverIsOverwritten(ChannelType type) throws Exception {
        String name = TestNames.unique("fuzz-" + type);
        List<Field> fields = fields();
        int invalid = 0;
        int worked = 0;
        try (RingChannel created = RingChannel.create(name,
                ChannelOptions.of(type).capacity(CAPACITY).maxMessageLength(MAX_LENGTH).endpointSlots(SLOTS));
             SharedMemory raw = SharedMemory.open(name);
             Arena arena = Arena.ofConfined()) {
            // a ring that has wrapped, with records in it and endpoint slots used before
            try (Sender sender = created.sender(WaitStrategy.busySpin());
                 Receiver receiver = created.receiver(WaitStrategy.busySpin(), false)) {
                for (int i = 0; i < 60; i++) {
                    sender.trySend(i, new byte[i * 7 % MAX_LENGTH]);
                    if (i < 45) {
                        receiver.tryReceive(arena.allocate(MAX_LENGTH), 0);
                    }
                }
            }
            MemorySegment body = raw.segment().asSlice(SegmentHeaderDescriptor.HEADER_SIZE);
            byte[] pristine = body.toArray(ValueLayout.JAVA_BYTE);
            MemorySegment destination = arena.allocate(CAPACITY);
            SplittableRandom seeds = new SplittableRandom(SEED + type.ordinal());
            for (int c = 0; c < CASES; c++) {
                long seed = seeds.nextLong();
                SplittableRandom random = new SplittableRandom(seed);
                MemorySegment.copy(MemorySegment.ofArray(pristine), 0, body, 0, pristine.length);
                boolean whileAttached = random.nextBoolean();
                String what = whileAttached ? "" : corrupt(body, random, fields);
                try (RingChannel channel = RingChannel.open(name)) {
                    Receiver receiver = attach(() -> channel.receiver(WaitStrategy.busySpin(), true));
                    Sender sender = attach(() -> channel.sender(WaitStrategy.busySpin()));
                    try {
                        if (whileAttached) {
                            what = corrupt(body, random, fields);
                        }
                        use(channel, sender, receiver, destination);
                    } finally {
                        if (sender != null) {
                            sender.close();
                        }
                        if (receiver != null) {
                            receiver.close();
                        }
                    }
                    worked++;
                } catch (InvalidSegmentException expected) {
                    invalid++;
                } catch (RuntimeException | Error e) {
                    throw new AssertionError("case " + c + " (seed " + seed + ", " + (whileAttached ? "while attached" : "before open")
                            + "): " + what + "gave " + e, e);
                }
            }
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
        System.out.println(type + ": " + CASES + " corrupted rings: " + invalid + " refused as invalid, " + worked + " worked");
        assertEquals(CASES, invalid + worked);
    }
}
