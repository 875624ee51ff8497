package org.panamaipc.channel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.panamaipc.channel.ChannelDescriptor.*;
import static org.panamaipc.channel.ChannelMemory.LONG;
import static org.panamaipc.channel.RecordDescriptor.*;

/**
 * The only sender of an SPSC channel: it keeps the tail in this object and release-stores it after
 * each commit, so a send makes no atomic read-modify-write. A new one resumes where the last one
 * committed.
 */
final class SoleSender extends SenderEndpoint {

    private static final String ATTACH = "attach a sender to channel";

    private long tail;

    SoleSender(ChannelMemory memory, WaitStrategy strategy, RingChannel channel) {
        super(memory, strategy, channel);
        try {
            this.tail = recoverTail(memory.checkedPosition(memory.tailVolatile(), "tail", ATTACH));
        } catch (RuntimeException e) {
            memory.endpoints.retire(id);
            throw e;
        }
    }

    /**
     * A new single sender resumes where the last one committed: the published tail, moved past
     * records committed after it was last published (a sender that died between commit and publish).
     */
    private long recoverTail(long published) {
        long position = published;
        long limit = memory.headVolatile() + capacity;
        while (position < limit) {
            long tag = memory.tagAcquire(position);
            if (!isRecordAt(tag, position)) {
                break;
            }
            int state = state(tag);
            long index = position & mask;
            if (state == PADDING) {
                position += capacity - index;
                continue;
            }
            if (!headerFits(index, capacity)) {
                throw memory.corrupt(ATTACH, "record at position " + position + " starts " + (capacity - index)
                        + " bytes before the end of the ring, too few for its " + HEADER_LENGTH + "-byte header");
            }
            int length = records.get(ValueLayout.JAVA_INT, index + LENGTH_OFFSET);
            if (!isPlausibleLength(length, COMMITTED, index, capacity, maxLength)) {
                throw memory.corrupt(ATTACH, "record at position " + position + " has length " + length
                        + " (max message length " + maxLength + ", capacity " + capacity + ")");
            }
            position += recordLength((long) length);
        }
        clearDeadClaim(position);
        LONG.setRelease(body, (long) TAIL_OFFSET, position);
        return position;
    }

    /**
     * Clears what a dead sender may have left past the tail it would resume at. A single sender
     * has at most one record unpublished at a time, and writes its payload and header before its
     * tag; so a sender that died left, at most, one record's bytes (any values: a payload may hold
     * words equal to a committed tag of their own position) from {@code position} up to one
     * record of the longest message further, never past the ring's end (padding is published
     * before the record it moves) nor past the free space. A new record shorter than that would
     * end inside them, and the receiver would read them as the next record; zeroed, they are no
     * record ({@link RecordDescriptor#isRecordAt} refuses state 0) until a sender writes one.
     *
     * <p>Runs once, at attach, so a send costs nothing more. Ordering: the receiver reads past
     * {@code position} only after it has acquired a record's tag at {@code position}, which this
     * sender stores with release after these plain writes; the word at {@code position} itself,
     * which the receiver may be reading now, is cleared by one whole-word store, so the receiver
     * sees the old word (no record for {@code position}, else it would have been passed over
     * above) or zero, never a torn mix.
     */
    private void clearDeadClaim(long position) {
        long index = position & mask;
        long end = Math.min(Math.min(index + recordLength((long) maxLength), capacity),
                index + memory.headVolatile() + capacity - position);
        if (end <= index) {
            return;
        }
        LONG.setOpaque(records, index, 0L);
        if (end > index + Long.BYTES) {
            records.asSlice(index + Long.BYTES, end - index - Long.BYTES).fill((byte) 0);
        }
    }

    @Override
    long reserve(long size) {
        long position = tail;
        long index = position & mask;
        long pad = index + size > capacity ? capacity - index : 0;
        if (position + pad + size - headCache > capacity) {
            headCache = memory.headVolatile();
            if (position + pad + size - headCache > capacity) {
                return -1;
            }
        }
        if (pad > 0) {
            RecordWrites.publish(records, index, tag(position, PADDING));
            position += pad;
        }
        tail = position + size;
        return position;
    }

    @Override
    void published() {
        LONG.setRelease(body, (long) TAIL_OFFSET, tail);
    }

    @Override
    long reserveSpan(MemorySegment[] messages, int from, int count) {
        long position = tail;
        long start = span(position, messages, from, count);
        if (start < 0) {
            return -1;
        }
        if (start != position) {
            RecordWrites.publish(records, position & mask, tag(position, PADDING));
        }
        tail = spanEnd;
        return start;
    }

    @Override
    void spanPublished() {
    }

    @Override
    void batchPublished() {
        LONG.setRelease(body, (long) TAIL_OFFSET, tail);
    }

    @Override
    long nextPosition() {
        return tail;
    }

    /**
     * The common case of a copying send, kept short so that the JIT compiles it into its caller:
     * no open claim, a valid length, and room before the end of the buffer by the head last read.
     * {@return the sequence number, or {@link #FULL} for "take the general path"}, which also
     * handles every error. The payload is copied before anything else is written, so a source
     * that throws leaves the ring as it was. (Split in two: C2 does not inline a hot method of more
     * than 325 bytes of bytecode, {@code -XX:FreqInlineSize}.)
     */
    @Override
    long sendFast(int type, MemorySegment source, long offset, int length) {
        long position = tail;
        long index = position & mask;
        long size = recordLength((long) length);
        if (claimPosition != NO_CLAIM || isClosed() || length < 0 || length > maxLength
                || index + size > capacity || position + size - headCache > capacity) {
            return FULL;
        }
        RecordWrites.payload(source, offset, records, index, length);
        return publishFast(type, length, position, size);
    }

    /**
     * The rest of {@link #sendFast}: the header, the tag, the tail and the wake-up. A sender keeps
     * no message counters in shared memory (see {@link ChannelCounters}).
     */
    private long publishFast(int type, int length, long position, long size) {
        long index = position & mask;
        RecordWrites.header(records, index, type, length, id, sequence);
        RecordWrites.publish(records, index, tag(position, COMMITTED));
        tail = position + size;
        LONG.setRelease(body, (long) TAIL_OFFSET, position + size);
        memory.signalData();
        return sequence++;
    }
}
