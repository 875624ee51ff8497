package org.panamaipc.channel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.panamaipc.channel.ChannelDescriptor.*;
import static org.panamaipc.channel.ChannelMemory.LONG;
import static org.panamaipc.channel.RecordDescriptor.*;

/**
 * The only receiver of an SPSC or MPSC channel: it keeps the head in this object, reads records
 * in place (a handler sees the payload in the ring itself), and release-stores the head after
 * each batch, so a receive makes no atomic read-modify-write.
 */
final class SoleReceiver extends ReceiverEndpoint {

    /** From {@link #takeFast}: the record at the head needs the general path. */
    private static final int TAKE_SLOW = Integer.MIN_VALUE;

    /** The last index where a record's header fits: only padding starts after it. */
    private final long lastRecordIndex;
    private long head;

    SoleReceiver(ChannelMemory memory, WaitStrategy strategy, boolean closeWhenSendersGone, RingChannel channel) {
        super(memory, strategy, closeWhenSendersGone, channel);
        this.lastRecordIndex = capacity - HEADER_LENGTH;
        try {
            this.head = memory.checkedPosition(memory.headVolatile(), "head", "attach a receiver to channel");
        } catch (RuntimeException e) {
            memory.endpoints.retire(id);
            throw e;
        }
    }

    @Override
    long headPosition() {
        return head;
    }

    @Override
    int pollOnce(MessageHandler handler, int limit) {
        long position = head;
        int count = 0;
        try {
            while (count < limit) {
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
                if (state != COMMITTED && state != SKIP) {
                    throw unknownState(position, state);
                }
                if (index > lastRecordIndex) {
                    throw tooCloseToTheEnd(position, index);
                }
                long lengthAndType = records.get(ValueLayout.JAVA_LONG, index + LENGTH_OFFSET);
                int length = (int) lengthAndType;
                if (!isPlausibleLength(length, state, index, capacity, maxLength)) {
                    throw badLength(position, length);
                }
                position += recordLength((long) length);
                if (state == COMMITTED) {
                    count++;
                    bytesReceived += length;
                    header.set((int) (lengthAndType >>> 32), records.get(ValueLayout.JAVA_INT, index + SOURCE_OFFSET),
                            records.get(ValueLayout.JAVA_LONG, index + SEQUENCE_OFFSET), length);
                    handler.onMessage(header, records, index + HEADER_LENGTH, length);
                }
            }
        } finally {
            // a handler that throws has still consumed its message: no poison loop
            if (position != head) {
                advance(position, count);
            }
        }
        return count;
    }

    private void advance(long position, int count) {
        head = position;
        LONG.setRelease(body, (long) HEAD_OFFSET, position);
        messages += count;
        LONG.setOpaque(body, slot + EP_MESSAGES_OFFSET, messages);
        LONG.setOpaque(body, slot + EP_BYTES_OFFSET, bytesReceived);
        memory.signalSpace();
    }

    @Override
    int takeOnce(MemorySegment destination, long offset) {
        int length = takeFast(destination, offset);
        return length != TAKE_SLOW ? length : takeSlow(destination, offset);
    }

    /**
     * The common cases of a copying receive, kept short so that the JIT compiles them into the
     * caller: nothing at the head ({@return -1}), or a committed message of a plausible length
     * that fits the destination ({@return its length}). Anything else (padding, a skip, a corrupt
     * record, a destination too small) returns {@link #TAKE_SLOW} for {@link #takeSlow}, which
     * handles it.
     */
    private int takeFast(MemorySegment destination, long offset) {
        long position = head;
        long index = position & mask;
        long tag = (long) LONG.getAcquire(records, index);
        if (tag != (position | COMMITTED) || index > lastRecordIndex) {
            return isRecordAt(tag, position) ? TAKE_SLOW : -1;
        }
        long lengthAndType = records.get(ValueLayout.JAVA_LONG_UNALIGNED, index + LENGTH_OFFSET);
        int length = (int) lengthAndType;
        long size = recordLength((long) length);
        if (length < 0 || length > maxLength || index + size > capacity || destination.byteSize() - offset < length) {
            return TAKE_SLOW;
        }
        MemorySegment.copy(records, index + HEADER_LENGTH, destination, offset, length);
        lastHeader.set((int) (lengthAndType >>> 32), records.get(ValueLayout.JAVA_INT_UNALIGNED, index + SOURCE_OFFSET),
                records.get(ValueLayout.JAVA_LONG_UNALIGNED, index + SEQUENCE_OFFSET), length);
        bytesReceived += length;
        advance(position + size, 1);
        return length;
    }

    /** Every other case of a copying receive: padding and skips passed over, the rest refused with its reason. */
    private int takeSlow(MemorySegment destination, long offset) {
        long position = head;
        while (true) {
            long tag = memory.tagAcquire(position);
            if (!isRecordAt(tag, position)) {
                passedOver(position);
                return -1;
            }
            int state = state(tag);
            long index = position & mask;
            if (state == PADDING) {
                position += capacity - index;
                continue;
            }
            if (index > lastRecordIndex) {
                passedOver(position);
                throw tooCloseToTheEnd(position, index);
            }
            long lengthAndType = records.get(ValueLayout.JAVA_LONG, index + LENGTH_OFFSET);
            int length = (int) lengthAndType;
            if (!isPlausibleLength(length, state, index, capacity, maxLength)) {
                throw badLength(position, length);
            }
            if (state == SKIP) {
                position += recordLength((long) length);
                continue;
            }
            if (state != COMMITTED) {
                throw unknownState(position, state);
            }
            if (destination.byteSize() - offset < length) {
                passedOver(position);
                throw doesNotFit(length, destination, offset);
            }
            MemorySegment.copy(records, index + HEADER_LENGTH, destination, offset, length);
            lastHeader.set((int) (lengthAndType >>> 32), records.get(ValueLayout.JAVA_INT, index + SOURCE_OFFSET),
                    records.get(ValueLayout.JAVA_LONG, index + SEQUENCE_OFFSET), length);
            bytesReceived += length;
            advance(position + recordLength((long) length), 1);
            return length;
        }
    }

    /** Publishes the head moved over padding and skips up to {@code position}, if it moved. */
    private void passedOver(long position) {
        if (position != head) {
            advance(position, 0);
        }
    }
}
