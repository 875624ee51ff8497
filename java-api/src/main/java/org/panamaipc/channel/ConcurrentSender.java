package org.panamaipc.channel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.panamaipc.channel.ChannelDescriptor.*;
import static org.panamaipc.channel.ChannelMemory.LONG;
import static org.panamaipc.channel.RecordDescriptor.*;

/**
 * One of the senders of an MPSC or MPMC channel: it takes room with a compare-and-set on the
 * shared tail, after publishing the claim in its endpoint slot, so that a receiver can tell the
 * space of a sender that died in its claim from the space of one still writing (see
 * {@link ChannelDescriptor}, "Claims", and {@link DeadSenders}). A batch takes the room of many
 * records with one compare-and-set and one claim.
 */
final class ConcurrentSender extends SenderEndpoint {

    ConcurrentSender(ChannelMemory memory, WaitStrategy strategy, RingChannel channel) {
        super(memory, strategy, channel);
    }

    @Override
    long reserve(long size) {
        while (true) {
            long position = memory.tailVolatile();
            if (!isPosition(position)) {
                LONG.setRelease(body, slot + EP_CLAIM_START_OFFSET, -1L); // no claim of ours stays behind
                memory.checkedPosition(position, "tail", SEND);
            }
            long index = position & mask;
            long pad = index + size > capacity ? capacity - index : 0;
            long end = position + pad + size;
            if (end - headCache > capacity) {
                headCache = memory.headVolatile();
                if (end - headCache > capacity) {
                    // withdraw a claim published by a lost compare-and-set: left in place, it would
                    // look like a live writer to a receiver repairing after a dead sender
                    LONG.setRelease(body, slot + EP_CLAIM_START_OFFSET, -1L);
                    return -1;
                }
            }
            // publish the claim before making it, so a receiver can tell it from a dead sender's.
            // A release store is enough: the compare-and-set below is itself a release (a volatile
            // write), so whoever reads a tail past this claim (a volatile read, as a repair does
            // before it looks at a live sender's slot) sees the claim too; a full fence here cost
            // a second locked instruction per send
            body.set(ValueLayout.JAVA_LONG, slot + EP_CLAIM_END_OFFSET, end);
            LONG.setRelease(body, slot + EP_CLAIM_START_OFFSET, position);
            if (LONG.compareAndSet(body, (long) TAIL_OFFSET, position, end)) {
                // mark the claim as won before anything else: a repair after our death then knows
                // it from a claim that lost at the same position
                body.set(ValueLayout.JAVA_LONG, slot + EP_CLAIM_END_OFFSET, end | CLAIM_WON);
                if (pad > 0) {
                    RecordWrites.publish(records, index, tag(position, PADDING));
                }
                return position + pad;
            }
        }
    }

    /**
     * Takes a span of records with one compare-and-set, published as one claim
     * {@code [position, spanEnd)}: a receiver's repair after this sender's death passes over the
     * records of the span it had not written yet, as for one record (see {@link DeadSenders}).
     */
    @Override
    long reserveSpan(MemorySegment[] messages, int from, int count) {
        while (true) {
            long position = memory.tailVolatile();
            if (!isPosition(position)) {
                LONG.setRelease(body, slot + EP_CLAIM_START_OFFSET, -1L);
                memory.checkedPosition(position, "tail", SEND);
            }
            long start;
            try {
                start = span(position, messages, from, count);
            } catch (RuntimeException e) {
                // the caller's array changed under us (a null): no claim of ours stays behind
                LONG.setRelease(body, slot + EP_CLAIM_START_OFFSET, -1L);
                throw e;
            }
            if (start < 0) {
                LONG.setRelease(body, slot + EP_CLAIM_START_OFFSET, -1L); // as in reserve
                return -1;
            }
            long end = spanEnd;
            body.set(ValueLayout.JAVA_LONG, slot + EP_CLAIM_END_OFFSET, end);
            LONG.setRelease(body, slot + EP_CLAIM_START_OFFSET, position); // as in reserve
            if (LONG.compareAndSet(body, (long) TAIL_OFFSET, position, end)) {
                body.set(ValueLayout.JAVA_LONG, slot + EP_CLAIM_END_OFFSET, end | CLAIM_WON);
                if (start != position) {
                    RecordWrites.publish(records, position & mask, tag(position, PADDING));
                }
                return start;
            }
        }
    }

    @Override
    void published() {
        LONG.setRelease(body, slot + EP_CLAIM_START_OFFSET, -1L);
    }

    @Override
    void spanPublished() {
        published();
    }

    @Override
    void batchPublished() {
    }

    @Override
    long nextPosition() {
        return memory.tailVolatile();
    }
}
