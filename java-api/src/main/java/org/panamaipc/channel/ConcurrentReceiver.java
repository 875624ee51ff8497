package org.panamaipc.channel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.panamaipc.channel.ChannelDescriptor.*;
import static org.panamaipc.channel.ChannelMemory.LONG;
import static org.panamaipc.channel.RecordDescriptor.*;

/**
 * One of the receivers of an MPMC channel: it copies records out, then takes them with one
 * compare-and-set on the shared head, so a record another receiver took first is discarded,
 * never delivered twice. A handler sees the copy, in this receiver's scratch memory. A poll
 * takes up to its limit (at most {@link #BATCH}, and what fits in {@link #BATCH_SCRATCH}) at
 * once; the messages of a batch after one whose handler threw stay with this receiver for its
 * next call (closing it drops them: they have left the ring).
 */
final class ConcurrentReceiver extends ReceiverEndpoint {

    /** The most messages one compare-and-set takes. */
    static final int BATCH = 64;
    /** The scratch memory of a batch, at least: a batch stops before the message that does not fit. */
    static final long BATCH_SCRATCH = 64 * 1024;

    private final Arena scratchArena;
    private final MemorySegment scratch;
    // the messages taken and not yet handed over: their place in the scratch memory and their headers
    private final long[] pendingOffsets = new long[BATCH];
    private final int[] pendingLengths = new int[BATCH];
    private final int[] pendingTypes = new int[BATCH];
    private final int[] pendingSources = new int[BATCH];
    private final long[] pendingSequences = new long[BATCH];
    private int pendingNext;
    private int pendingCount;

    ConcurrentReceiver(ChannelMemory memory, WaitStrategy strategy, boolean closeWhenSendersGone, RingChannel channel) {
        super(memory, strategy, closeWhenSendersGone, channel);
        this.scratchArena = Arena.ofShared();
        this.scratch = scratchArena.allocate(Math.max(BATCH_SCRATCH, maxLength), Long.BYTES);
    }

    @Override
    long headPosition() {
        return memory.headVolatile();
    }

    @Override
    boolean hasRecord() {
        return pendingNext < pendingCount || super.hasRecord();
    }

    @Override
    int pollOnce(MessageHandler handler, int limit) {
        int count = 0;
        while (count < limit) {
            if (pendingNext == pendingCount && takeBatch(limit - count) == 0) {
                break;
            }
            int k = pendingNext++; // before the handler: one that throws has consumed its message
            count++;
            header.set(pendingTypes[k], pendingSources[k], pendingSequences[k], pendingLengths[k]);
            handler.onMessage(header, scratch, pendingOffsets[k], pendingLengths[k]);
        }
        return count;
    }

    @Override
    int takeOnce(MemorySegment destination, long offset) {
        if (pendingNext < pendingCount) {
            int k = pendingNext;
            int length = pendingLengths[k];
            if (destination.byteSize() - offset < length) {
                throw doesNotFit(length, destination, offset);
            }
            MemorySegment.copy(scratch, pendingOffsets[k], destination, offset, length);
            pendingNext++;
            lastHeader.set(pendingTypes[k], pendingSources[k], pendingSequences[k], length);
            return length;
        }
        int length = take(destination, offset);
        if (length >= 0) {
            lastHeader.set(header.type(), header.source(), header.sequence(), length);
        }
        return length;
    }

    /**
     * Takes up to {@code limit} messages with one compare-and-set on the head: copies the records
     * from the head on into the scratch memory (while they are committed, plausible and fit), then
     * moves the head past all of them at once; if another receiver moved it first, the copies are
     * discarded and it starts again. Anything odd at the head itself (a corrupt record, a record
     * that does not fit) is left to {@link #take}, which says what it is. {@return how many it
     * took into the pending messages (0 if none)}
     */
    private int takeBatch(int limit) {
        int most = Math.min(limit, BATCH);
        if (most == 1) {
            return takeSingle();
        }
        while (true) {
            long start = memory.checkedPosition(memory.headVolatile(), "head", RECEIVE);
            long position = start;
            int n = 0;
            long used = 0;
            long bytes = 0;
            while (n < most) {
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
                    break;
                }
                long lengthAndType = records.get(ValueLayout.JAVA_LONG, index + LENGTH_OFFSET);
                int length = (int) lengthAndType;
                if (!isPlausibleLength(length, state, index, capacity, maxLength)
                        || state != COMMITTED && state != SKIP) {
                    break;
                }
                if (state == COMMITTED) {
                    if (used + length > scratch.byteSize()) {
                        break;
                    }
                    MemorySegment.copy(records, index + HEADER_LENGTH, scratch, used, length);
                    pendingOffsets[n] = used;
                    pendingLengths[n] = length;
                    pendingTypes[n] = (int) (lengthAndType >>> 32);
                    pendingSources[n] = records.get(ValueLayout.JAVA_INT, index + SOURCE_OFFSET);
                    pendingSequences[n] = records.get(ValueLayout.JAVA_LONG, index + SEQUENCE_OFFSET);
                    used += align(length);
                    bytes += length;
                    n++;
                }
                position += recordLength((long) length);
            }
            if (n == 0) {
                return takeSingle(); // nothing, or something odd at the head: the careful path decides
            }
            if (!LONG.compareAndSet(body, (long) HEAD_OFFSET, start, position)) {
                continue; // another receiver took some first; what we copied is discarded
            }
            memory.signalSpace();
            pendingNext = 0;
            pendingCount = n;
            messages += n;
            bytesReceived += bytes;
            LONG.setOpaque(body, slot + EP_MESSAGES_OFFSET, messages);
            LONG.setOpaque(body, slot + EP_BYTES_OFFSET, bytesReceived);
            return n;
        }
    }

    /** One message by {@link #take} into the scratch memory, as the only pending one: {@return 1, or 0 if none} */
    private int takeSingle() {
        int length = take(scratch, 0);
        if (length < 0) {
            return 0;
        }
        pendingOffsets[0] = 0;
        pendingLengths[0] = length;
        pendingTypes[0] = header.type();
        pendingSources[0] = header.source();
        pendingSequences[0] = header.sequence();
        pendingNext = 0;
        pendingCount = 1;
        return 1;
    }

    /**
     * Takes one message into {@code destination}; {@return its length, or -1 if there is none}
     * Fills {@link #header}. Every field read may belong to a later record if another receiver took
     * this one and a sender reused the space: before it says anything about them (a corrupt
     * record, a destination too small), it makes sure the head is still where it read them.
     */
    private int take(MemorySegment destination, long offset) {
        while (true) {
            long position = memory.checkedPosition(memory.headVolatile(), "head", RECEIVE);
            long tag = memory.tagAcquire(position);
            if (!isRecordAt(tag, position)) {
                return -1;
            }
            int state = state(tag);
            long index = position & mask;
            if (state == PADDING) {
                if (LONG.compareAndSet(body, (long) HEAD_OFFSET, position, position + capacity - index)) {
                    memory.signalSpace();
                }
                continue;
            }
            if (!headerFits(index, capacity)) {
                if (memory.headVolatile() != position) {
                    continue;
                }
                throw tooCloseToTheEnd(position, index);
            }
            long lengthAndType = records.get(ValueLayout.JAVA_LONG, index + LENGTH_OFFSET);
            int length = (int) lengthAndType;
            int type = (int) (lengthAndType >>> 32);
            int source = records.get(ValueLayout.JAVA_INT, index + SOURCE_OFFSET);
            long sequence = records.get(ValueLayout.JAVA_LONG, index + SEQUENCE_OFFSET);
            if (!isPlausibleLength(length, state, index, capacity, maxLength)) {
                if (memory.headVolatile() != position) {
                    continue;
                }
                throw badLength(position, length);
            }
            if (state == COMMITTED) {
                if (destination.byteSize() - offset < length) {
                    if (memory.headVolatile() != position) {
                        continue;
                    }
                    throw doesNotFit(length, destination, offset);
                }
                MemorySegment.copy(records, index + HEADER_LENGTH, destination, offset, length);
            } else if (state != SKIP) {
                if (memory.headVolatile() != position) {
                    continue;
                }
                throw unknownState(position, state);
            }
            long next = position + recordLength((long) length);
            if (!LONG.compareAndSet(body, (long) HEAD_OFFSET, position, next)) {
                continue; // another receiver took it first; what we copied is discarded
            }
            memory.signalSpace();
            if (state == SKIP) {
                continue;
            }
            messages++;
            bytesReceived += length;
            LONG.setOpaque(body, slot + EP_MESSAGES_OFFSET, messages);
            LONG.setOpaque(body, slot + EP_BYTES_OFFSET, bytesReceived);
            header.set(type, source, sequence, length);
            return length;
        }
    }

    @Override
    void afterRetire() {
        scratchArena.close();
    }
}
