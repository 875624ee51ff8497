package org.panamaipc.channel;

import java.lang.foreign.ValueLayout;

import static org.panamaipc.channel.ChannelDescriptor.*;
import static org.panamaipc.channel.ChannelMemory.LONG;

/**
 * The counters of a channel ({@link ChannelStats}): the retired endpoints' totals, the attached
 * endpoints' own counters, and what is still in the ring, counted by a walk over the records.
 */
final class ChannelCounters {

    private ChannelCounters() {
    }

    /**
     * {@return a snapshot of the counters} Receivers count what they take, in their endpoint slots;
     * senders count nothing per message (that would cost every send two more stores to shared
     * memory), so what was sent is what was received plus what is still in the ring, counted by a
     * walk over the records from the head (passing over open claims). The receivers' counters are
     * read before the head, so while messages flow a snapshot may be a little behind, never ahead;
     * at rest it is exact. A receiver that dies between moving the head and counting takes its
     * last message out of both counts.
     */
    static ChannelStats snapshot(ChannelMemory m) {
        long full = m.body.get(ValueLayout.JAVA_LONG, RETIRED_FULL_OFFSET);
        long received = m.body.get(ValueLayout.JAVA_LONG, RETIRED_RECEIVED_OFFSET);
        long receivedBytes = m.body.get(ValueLayout.JAVA_LONG, RETIRED_RECEIVED_BYTES_OFFSET);
        long sleeps = m.body.get(ValueLayout.JAVA_LONG, RETIRED_SLEEPS_OFFSET);
        int liveSenders = 0;
        int liveReceivers = 0;
        EndpointTable table = m.endpoints;
        for (int id = 0; id < table.slots; id++) {
            if (table.state(id) != EP_ACTIVE) {
                continue;
            }
            long s = table.slot(id);
            long waits = (long) LONG.getOpaque(m.body, s + EP_WAITS_OFFSET);
            boolean alive = table.owner(id).isAlive();
            if (table.role(id) == ROLE_SENDER) {
                full += waits;
                liveSenders += alive ? 1 : 0;
            } else {
                received += (long) LONG.getOpaque(m.body, s + EP_MESSAGES_OFFSET);
                receivedBytes += (long) LONG.getOpaque(m.body, s + EP_BYTES_OFFSET);
                sleeps += waits;
                liveReceivers += alive ? 1 : 0;
            }
        }
        long head = m.headVolatile();
        long tail = m.tailVolatile();
        long[] inRing = committedBetween(m, head, tail);
        return new ChannelStats(received + inRing[0], receivedBytes + inRing[1], full, received, receivedBytes,
                sleeps, (long) LONG.getVolatile(m.body, (long) SKIPPED_OFFSET), liveSenders, liveReceivers, tail, head);
    }

    /**
     * {@return the committed messages and their payload bytes from {@code from} up to {@code to}}
     * A position not written yet that lies inside a sender's published claim (a claim still open,
     * or one whose sender died and is not repaired yet) is passed over to the claim's end. The walk
     * stops at any other position not written yet (with one sender, the claim in progress lies
     * beyond {@code to}) and at anything that cannot be right: a snapshot, not a check of the ring;
     * it never throws.
     */
    private static long[] committedBetween(ChannelMemory m, long from, long to) {
        long count = 0;
        long bytes = 0;
        long position = from;
        if (!RecordDescriptor.isPosition(from)) {
            return new long[] {0, 0};
        }
        while (position < to && position - from < m.capacity) {
            long tag = m.tagAcquire(position);
            int state = RecordDescriptor.state(tag);
            if (!RecordDescriptor.isRecordAt(tag, position)) {
                long claimEnd = claimEndCovering(m, position);
                if (claimEnd <= position || !RecordDescriptor.isPosition(claimEnd)) {
                    break;
                }
                position = claimEnd;
                continue;
            }
            long index = position & m.mask;
            if (state == RecordDescriptor.PADDING) {
                position += m.capacity - index;
                continue;
            }
            if (!RecordDescriptor.headerFits(index, m.capacity)) {
                break;
            }
            int length = m.records.get(ValueLayout.JAVA_INT, index + RecordDescriptor.LENGTH_OFFSET);
            long size = RecordDescriptor.recordLength((long) length);
            if (length < 0 || index + size > m.capacity) {
                break;
            }
            if (state == RecordDescriptor.COMMITTED) {
                count++;
                bytes += length;
            }
            position += size;
        }
        return new long[] {count, bytes};
    }

    /** {@return the end of an attached sender's published claim that covers {@code position}, or -1} */
    private static long claimEndCovering(ChannelMemory m, long position) {
        EndpointTable table = m.endpoints;
        for (int id = 0; id < table.slots; id++) {
            if (!table.isSender(id)) {
                continue;
            }
            long s = table.slot(id);
            long start = (long) LONG.getAcquire(m.body, s + EP_CLAIM_START_OFFSET);
            long end = m.body.get(ValueLayout.JAVA_LONG, s + EP_CLAIM_END_OFFSET) & ~CLAIM_WON;
            if (start >= 0 && start <= position && position < end) {
                return end;
            }
        }
        return -1;
    }
}
