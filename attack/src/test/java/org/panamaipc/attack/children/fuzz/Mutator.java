package org.panamaipc.attack.children.fuzz;

import org.panamaipc.channel.ChannelDescriptor;
import org.panamaipc.channel.RecordDescriptor;
import org.panamaipc.shm.SegmentHeaderDescriptor;
import org.panamaipc.sync.EventDescriptor;
import org.panamaipc.sync.LatchDescriptor;
import org.panamaipc.sync.MutexDescriptor;
import org.panamaipc.sync.SemaphoreDescriptor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.panamaipc.shm.SegmentHeaderDescriptor.HEADER_SIZE;

/**
 * Writes hostile values into a panama-ipc segment: into a named field of a header (segment,
 * channel, endpoint slot, record, primitive), with a value that is random, a boundary of its
 * width, near what the field held, or one that means something elsewhere in the segment (a
 * position, the capacity, a pid); or over a range of bytes. Every offset comes from the public
 * descriptors. Each mutation returns a line that says what it did, for the case's log.
 */
final class Mutator {

    /** A field of a layout: its name, its offset from the start of the object, its width (4 or 8). */
    record Field(String name, long offset, int width) {
    }

    /** Values that mean something in the segment being attacked. */
    record Context(long capacity, long head, long tail, long recordsAt, int ownPid) {
    }

    private static final long[] BOUNDARIES = {
        0, 1, -1, 2, 3, 7, 8, 9, 15, 16, 31, 32, 33, 63, 64, 127, 128, 255, 256, 1023, 1024, 4095, 4096,
        Integer.MIN_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE - 1, Integer.MIN_VALUE + 1, 0x7FFF_FFF0L, 0x7FFF_FFF8L,
        0x8000_0000L, 0xFFFF_FFFFL, 1L << 32, 1L << 40, 1L << 62, Long.MIN_VALUE, Long.MAX_VALUE, Long.MAX_VALUE - 7,
    };

    private final MemorySegment raw;
    private final SplittableRandom random;
    private final Context context;

    Mutator(MemorySegment raw, SplittableRandom random, Context context) {
        this.raw = raw;
        this.random = random;
        this.context = context;
    }

    static List<Field> segmentHeader() {
        return List.of(
                new Field("segment.magic", SegmentHeaderDescriptor.MAGIC_OFFSET, 8),
                new Field("segment.kind", SegmentHeaderDescriptor.KIND_OFFSET, 4),
                new Field("segment.version", SegmentHeaderDescriptor.LAYOUT_VERSION_OFFSET, 4),
                new Field("segment.totalSize", SegmentHeaderDescriptor.TOTAL_SIZE_OFFSET, 8),
                new Field("segment.headerSize", SegmentHeaderDescriptor.HEADER_SIZE_OFFSET, 8),
                new Field("segment.bodySize", SegmentHeaderDescriptor.BODY_SIZE_OFFSET, 8),
                new Field("segment.flags", SegmentHeaderDescriptor.FLAGS_OFFSET, 4),
                new Field("segment.creatorPid", SegmentHeaderDescriptor.CREATOR_PID_OFFSET, 4),
                new Field("segment.creatorStart", SegmentHeaderDescriptor.CREATOR_START_TIME_OFFSET, 8),
                new Field("segment.creationTime", SegmentHeaderDescriptor.CREATION_TIME_OFFSET, 8),
                new Field("segment.ready", SegmentHeaderDescriptor.READY_OFFSET, 4),
                new Field("segment.reserved", SegmentHeaderDescriptor.READY_OFFSET + 4, 4));
    }

    static List<Field> channel(int slots, List<Long> recordIndexes) {
        long b = HEADER_SIZE;
        List<Field> f = new ArrayList<>(List.of(
                new Field("channel.capacity", b + ChannelDescriptor.CAPACITY_OFFSET, 8),
                new Field("channel.recordsOffset", b + ChannelDescriptor.RECORDS_OFFSET_OFFSET, 8),
                new Field("channel.maxMessageLength", b + ChannelDescriptor.MAX_MESSAGE_LENGTH_OFFSET, 4),
                new Field("channel.type", b + ChannelDescriptor.CHANNEL_TYPE_OFFSET, 4),
                new Field("channel.endpointSlots", b + ChannelDescriptor.ENDPOINT_SLOTS_OFFSET, 4),
                new Field("channel.tail", b + ChannelDescriptor.TAIL_OFFSET, 8),
                new Field("channel.head", b + ChannelDescriptor.HEAD_OFFSET, 8),
                new Field("channel.dataSignal", b + ChannelDescriptor.DATA_SIGNAL_OFFSET, 4),
                new Field("channel.receiversWaiting", b + ChannelDescriptor.RECEIVERS_WAITING_OFFSET, 4),
                new Field("channel.blockingReceivers", b + ChannelDescriptor.BLOCKING_RECEIVERS_OFFSET, 4),
                new Field("channel.spaceSignal", b + ChannelDescriptor.SPACE_SIGNAL_OFFSET, 4),
                new Field("channel.sendersWaiting", b + ChannelDescriptor.SENDERS_WAITING_OFFSET, 4),
                new Field("channel.blockingSenders", b + ChannelDescriptor.BLOCKING_SENDERS_OFFSET, 4),
                new Field("channel.skipped", b + ChannelDescriptor.SKIPPED_OFFSET, 8),
                new Field("channel.retiredSent", b + ChannelDescriptor.RETIRED_SENT_OFFSET, 8),
                new Field("channel.retiredSentBytes", b + ChannelDescriptor.RETIRED_SENT_BYTES_OFFSET, 8),
                new Field("channel.retiredFull", b + ChannelDescriptor.RETIRED_FULL_OFFSET, 8),
                new Field("channel.retiredReceived", b + ChannelDescriptor.RETIRED_RECEIVED_OFFSET, 8),
                new Field("channel.retiredReceivedBytes", b + ChannelDescriptor.RETIRED_RECEIVED_BYTES_OFFSET, 8),
                new Field("channel.sendersEver", b + ChannelDescriptor.SENDERS_EVER_OFFSET, 4),
                new Field("channel.retiredSleeps", b + ChannelDescriptor.RETIRED_SLEEPS_OFFSET, 8),
                new Field("channel.receiversEver", b + ChannelDescriptor.RECEIVERS_EVER_OFFSET, 4),
                new Field("channel.sendersLeft", b + ChannelDescriptor.SENDERS_LEFT_OFFSET, 4),
                new Field("channel.receiversLeft", b + ChannelDescriptor.RECEIVERS_LEFT_OFFSET, 4)));
        for (Field m : primitive("channel.repairLock", ChannelDescriptor.REPAIR_LOCK_OFFSET, mutexLayout())) {
            f.add(m);
        }
        for (int id = 0; id < Math.min(slots, 4); id++) {
            long s = b + ChannelDescriptor.endpointOffset(id);
            String n = "slot" + id + ".";
            f.add(new Field(n + "state", s + ChannelDescriptor.EP_STATE_OFFSET, 4));
            f.add(new Field(n + "role", s + ChannelDescriptor.EP_ROLE_OFFSET, 4));
            f.add(new Field(n + "pid", s + ChannelDescriptor.EP_PID_OFFSET, 4));
            f.add(new Field(n + "flags", s + ChannelDescriptor.EP_FLAGS_OFFSET, 4));
            f.add(new Field(n + "startTime", s + ChannelDescriptor.EP_START_TIME_OFFSET, 8));
            f.add(new Field(n + "claimStart", s + ChannelDescriptor.EP_CLAIM_START_OFFSET, 8));
            f.add(new Field(n + "claimEnd", s + ChannelDescriptor.EP_CLAIM_END_OFFSET, 8));
            f.add(new Field(n + "sequence", s + ChannelDescriptor.EP_SEQUENCE_OFFSET, 8));
            f.add(new Field(n + "messages", s + ChannelDescriptor.EP_MESSAGES_OFFSET, 8));
            f.add(new Field(n + "bytes", s + ChannelDescriptor.EP_BYTES_OFFSET, 8));
            f.add(new Field(n + "waits", s + ChannelDescriptor.EP_WAITS_OFFSET, 8));
            f.add(new Field(n + "sleeping", s + ChannelDescriptor.EP_SLEEPING_OFFSET, 4));
        }
        for (long at : recordIndexes) {
            String n = "record@" + at + ".";
            f.add(new Field(n + "tag", at + RecordDescriptor.TAG_OFFSET, 8));
            f.add(new Field(n + "length", at + RecordDescriptor.LENGTH_OFFSET, 4));
            f.add(new Field(n + "type", at + RecordDescriptor.TYPE_OFFSET, 4));
            f.add(new Field(n + "source", at + RecordDescriptor.SOURCE_OFFSET, 4));
            f.add(new Field(n + "sequence", at + RecordDescriptor.SEQUENCE_OFFSET, 8));
            f.add(new Field(n + "payload", at + RecordDescriptor.HEADER_LENGTH, 8));
        }
        return f;
    }

    private static List<Field> mutexLayout() {
        return List.of(new Field("word", MutexDescriptor.WORD_OFFSET, 4),
                new Field("ownerDied", MutexDescriptor.OWNER_DIED_OFFSET, 4),
                new Field("ownerStart", MutexDescriptor.OWNER_START_TIME_OFFSET, 8),
                new Field("ownerThread", MutexDescriptor.OWNER_THREAD_OFFSET, 8),
                new Field("ownerPid", MutexDescriptor.OWNER_PID_OFFSET, 4),
                new Field("acquisitions", MutexDescriptor.ACQUISITIONS_OFFSET, 8),
                new Field("takeovers", MutexDescriptor.TAKEOVERS_OFFSET, 8));
    }

    /** {@return the fields of the primitive of {@code kind} at {@code bodyOffset} of the body} */
    static List<Field> primitive(String kind, long bodyOffset, List<Field> layout) {
        List<Field> f = new ArrayList<>();
        for (Field field : layout) {
            f.add(new Field(kind + "." + field.name(), HEADER_SIZE + bodyOffset + field.offset(), field.width()));
        }
        return f;
    }

    static List<Field> mutex() {
        return primitive("mutex", 0, mutexLayout());
    }

    static List<Field> semaphore() {
        return primitive("semaphore", 0, List.of(new Field("permits", SemaphoreDescriptor.PERMITS_OFFSET, 4),
                new Field("waiters", SemaphoreDescriptor.WAITERS_OFFSET, 4),
                new Field("initial", SemaphoreDescriptor.MAX_PERMITS_OFFSET, 4)));
    }

    static List<Field> event() {
        return primitive("event", 0, List.of(new Field("state", EventDescriptor.STATE_OFFSET, 4),
                new Field("autoReset", EventDescriptor.AUTO_RESET_OFFSET, 4),
                new Field("waiters", EventDescriptor.WAITERS_OFFSET, 4)));
    }

    static List<Field> latch() {
        return primitive("latch", 0, List.of(new Field("count", LatchDescriptor.COUNT_OFFSET, 4),
                new Field("initial", LatchDescriptor.INITIAL_COUNT_OFFSET, 4)));
    }

    /** Writes a hostile value into {@code field}; {@return what it did} */
    String field(Field field) {
        if (field.offset() < 0 || field.offset() + field.width() > raw.byteSize()) {
            return field.name() + " is outside the object";
        }
        long current = field.width() == 8 ? raw.get(ValueLayout.JAVA_LONG_UNALIGNED, field.offset())
                : raw.get(ValueLayout.JAVA_INT_UNALIGNED, field.offset());
        long value = value(current);
        if (field.width() == 8) {
            raw.set(ValueLayout.JAVA_LONG_UNALIGNED, field.offset(), value);
        } else {
            raw.set(ValueLayout.JAVA_INT_UNALIGNED, field.offset(), (int) value);
        }
        return field.name() + " = " + (field.width() == 8 ? value : (int) value) + " (was " + current + ")";
    }

    private long value(long current) {
        return switch (random.nextInt(10)) {
            case 0, 1, 2, 3 -> BOUNDARIES[random.nextInt(BOUNDARIES.length)];
            case 4 -> current + random.nextInt(-16, 17);
            case 5 -> switch (random.nextInt(5)) {
                case 0 -> current * 2;
                case 1 -> current / 2;
                case 2 -> ~current;
                case 3 -> -current;
                default -> current + 8L * random.nextInt(-64, 65);
            };
            case 6 -> switch (random.nextInt(12)) {
                case 0 -> context.ownPid();
                case 1 -> 1; // init: alive, not ours
                case 2 -> 0x3FFF_FFF0; // a pid nobody has
                case 3 -> context.head();
                case 4 -> context.tail();
                case 5 -> context.tail() + 8L * random.nextInt(-8, 9);
                case 6 -> context.head() + context.capacity();
                case 7 -> context.capacity();
                case 8 -> context.capacity() - 1;
                case 9 -> context.recordsAt();
                case 10 -> (context.head() + 8L * random.nextInt(0, 16)) | random.nextInt(1, 8);
                default -> (context.tail() + 8L * random.nextInt(0, 16)) | random.nextInt(1, 8);
            };
            case 7 -> random.nextBoolean() ? current | random.nextInt(1, 8) : current & ~7L;
            case 8 -> random.nextLong(0, 1L << random.nextInt(1, 63));
            default -> random.nextLong();
        };
    }

    /** Overwrites a random range of bytes with random bytes, zeros or ones; {@return what it did} */
    String bytes() {
        long size = raw.byteSize();
        long from = random.nextLong(size);
        long length = Math.min(size - from, 1 + random.nextLong(random.nextBoolean() ? 16 : 512));
        int kind = random.nextInt(3);
        for (long i = 0; i < length; i++) {
            byte b = kind == 0 ? (byte) random.nextInt() : kind == 1 ? 0 : (byte) -1;
            raw.set(ValueLayout.JAVA_BYTE, from + i, b);
        }
        return "bytes " + from + ".." + (from + length) + " = " + (kind == 0 ? "random" : kind == 1 ? "0x00" : "0xff");
    }

    /**
     * Writes a record that looks committed at stream position {@code position} (its tag, a length
     * and a type), as a process that wants a receiver to trust it would; {@return what it did}
     */
    String forgeRecord(long position, long mask) {
        long index = context.recordsAt() + (position & mask);
        if (index + RecordDescriptor.HEADER_LENGTH > raw.byteSize()) {
            return "forged record outside the object";
        }
        long length = value(random.nextInt(0, 64));
        raw.set(ValueLayout.JAVA_INT_UNALIGNED, index + RecordDescriptor.LENGTH_OFFSET, (int) length);
        raw.set(ValueLayout.JAVA_INT_UNALIGNED, index + RecordDescriptor.TYPE_OFFSET, random.nextInt());
        int state = random.nextInt(4) == 0 ? random.nextInt(0, 8) : RecordDescriptor.COMMITTED;
        raw.set(ValueLayout.JAVA_LONG_UNALIGNED, index + RecordDescriptor.TAG_OFFSET, position | state);
        return "forged record at position " + position + ": state " + state + ", length " + (int) length;
    }
}
