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
        LONG.setRelease(body, (long) TAIL_OFFSET, position);
        return position;
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
    void recordPublished() {
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
