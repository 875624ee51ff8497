package org.panamaipc.channel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.panamaipc.channel.ChannelDescriptor.*;
import static org.panamaipc.channel.ChannelMemory.LONG;
import static org.panamaipc.channel.RecordDescriptor.*;

/**
 * One of the receivers of an MPMC channel: it copies a record out, then takes it with a
 * compare-and-set on the shared head, so a record another receiver took first is discarded,
 * never delivered twice. A handler sees the copy, in this receiver's scratch memory.
 */
final class ConcurrentReceiver extends ReceiverEndpoint {

    private final Arena scratchArena;
    private final MemorySegment scratch;

    ConcurrentReceiver(ChannelMemory memory, WaitStrategy strategy, boolean closeWhenSendersGone, RingChannel channel) {
        super(memory, strategy, closeWhenSendersGone, channel);
        this.scratchArena = Arena.ofShared();
        this.scratch = scratchArena.allocate(Math.max(1, maxLength), Long.BYTES);
    }

    @Override
    long headPosition() {
        return memory.headVolatile();
    }

    @Override
    int pollOnce(MessageHandler handler, int limit) {
        int count = 0;
        while (count < limit) {
            int length = take(scratch, 0);
            if (length < 0) {
                break;
            }
            count++;
            handler.onMessage(header, scratch, 0, length);
        }
        return count;
    }

    @Override
    int takeOnce(MemorySegment destination, long offset) {
        int length = take(destination, offset);
        if (length >= 0) {
            lastHeader.set(header.type(), header.source(), header.sequence(), length);
        }
        return length;
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
