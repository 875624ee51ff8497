package org.panamaipc.channel;

import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import static org.panamaipc.channel.ChannelDescriptor.*;
import static org.panamaipc.channel.ChannelMemory.LONG;
import static org.panamaipc.channel.RecordDescriptor.*;

/**
 * Passing over the space that senders claimed and died in (MPSC, MPMC), with no more to go on
 * than the claims they published in their endpoint slots (see {@link ChannelDescriptor}): never
 * the dead record's own bytes, which may hold anything, even words that look like tags. Every
 * method runs under the channel's repair lock, so one process repairs at a time.
 *
 * <p>A claim {@code [start, end)} whose record did not fit before the end of the lap holds padding
 * at {@code start} and the record at the lap's end; a sender writes the padding tag right after
 * its compare-and-set, so a dead one may have written it or not. What a dead sender claimed is
 * passed over with {@link RecordDescriptor#SKIP} records (and the padding it did not write), the
 * later ones first, so that a receiver never sees half of a repair.
 *
 * <p>A batch claims the room of many records at once (one compare-and-set), all within one lap
 * after the padding, and writes them in order, each published by its tag; a sender that dies in
 * it leaves the records it wrote, then the rest of the claim. The repair walks the written
 * records by their tags and lengths, as a receiver reads them, and passes over the rest with one
 * skip record: the messages the dead sender had written are delivered, nothing else is.
 */
final class DeadSenders {

    /** The longest single skip record: its payload length must fit an int. */
    static final long MAX_SKIP = (Integer.MAX_VALUE + (long) HEADER_LENGTH) & -ALIGNMENT;

    private DeadSenders() {
    }

    /**
     * Passes over what the dead sender of slot {@code id} claimed and did not write, if anything.
     * {@return true if nothing of its claim is left to pass over, so the slot may be freed; false
     * while that cannot be decided (a live sender still writes there, or the claim is one of two
     * dead ones at one position): the slot must then stay, as the only record of the claim}
     */
    static boolean resolve(ChannelMemory m, int id) {
        long s = m.endpoints.slot(id);
        long start = (long) LONG.getAcquire(m.body, s + EP_CLAIM_START_OFFSET);
        if (start < 0) {
            return true;
        }
        long endWord = m.body.get(ValueLayout.JAVA_LONG, s + EP_CLAIM_END_OFFSET);
        boolean won = (endWord & CLAIM_WON) != 0;
        long end = endWord & ~CLAIM_WON;
        if (!plausible(m, start, end)) {
            return true; // no claim this protocol makes: nothing to pass over, and nothing to go on
        }
        long head = m.headVolatile();
        long tail = m.tailVolatile();
        if (end - head <= 0 || tail - start <= 0 || !won && head - start > 0) {
            return true; // passed already; or never made (the compare-and-set did not happen); or lost
        }
        long lapEnd = lapEnd(m, start);
        boolean padded = end - lapEnd > 0;
        long recordsStart = padded ? lapEnd : start;
        if (start - head >= 0 && !m.hasRecord(start)) {
            repairAt(m, start, tail);
        }
        if (won) {
            long gap = firstUnwritten(m, recordsStart, end);
            if (gap >= 0 && gap != start) {
                repairAt(m, gap, tail);
            }
        }
        head = m.headVolatile();
        boolean startDone = head - start > 0 || m.hasRecord(start);
        boolean restDone = !won || firstUnwritten(m, recordsStart, end) == ALL_WRITTEN;
        return startDone && restDone;
    }

    /** From {@link #firstUnwritten}: every record of the claim is there, or the head has passed them. */
    private static final long ALL_WRITTEN = -1;
    /** From {@link #firstUnwritten}: what was found cannot be right, or kept changing; decide later. */
    private static final long UNDECIDED = -2;
    /** How often {@link #firstUnwritten} starts again after the records it walks were taken under it. */
    private static final int WALK_RETRIES = 64;

    /**
     * {@return the first position of a dead sender's won claim, from {@code from} (its first
     * record's position) to {@code end}, where a record of the claim should start and none is,
     * and which the head has not passed; {@link #ALL_WRITTEN} if there is none, or
     * {@link #UNDECIDED}} A batch takes the room of many records with one claim and writes them
     * in order, so its sender may have died after writing some of them: they are walked by their
     * published tags and lengths, as a receiver would read them (never the bytes of a record
     * whose tag is not there). The head's position is a record boundary of the claim wherever it
     * lies inside it, so the walk starts there when the head is ahead. A record taken by a
     * receiver and written over by the next lap while it is being read is told by its tag, read
     * again after the length: the walk then starts again from the head, which has moved.
     */
    private static long firstUnwritten(ChannelMemory m, long from, long end) {
        long p = from;
        int retries = 0;
        while (true) {
            long head = m.headVolatile();
            if (!isPosition(head)) {
                return UNDECIDED; // a broken head: the receiver says so
            }
            if (head - p > 0) {
                p = head;
            }
            if (p - end >= 0) {
                return ALL_WRITTEN;
            }
            long tag = m.tagAcquire(p);
            if (!isRecordAt(tag, p)) {
                if (m.headVolatile() - p > 0) {
                    if (++retries > WALK_RETRIES) {
                        return UNDECIDED;
                    }
                    continue; // taken, and its space used again, meanwhile
                }
                return p;
            }
            long index = p & m.mask;
            if (state(tag) == PADDING) {
                p += m.capacity - index;
                continue;
            }
            if (!headerFits(index, m.capacity)) {
                return UNDECIDED;
            }
            int length = m.records.get(ValueLayout.JAVA_INT, index + LENGTH_OFFSET);
            VarHandle.acquireFence(); // the length before the tag's second reading
            if ((long) LONG.getAcquire(m.records, index) != tag) {
                if (++retries > WALK_RETRIES) {
                    return UNDECIDED;
                }
                continue; // taken and written over meanwhile: the head has passed it
            }
            if (!isPlausibleLength(length, state(tag), index, m.capacity, m.maxMessageLength)) {
                return UNDECIDED; // a receiver that reaches it says what is wrong
            }
            p += recordLength((long) length);
        }
    }

    /**
     * Passes over position {@code p}, which has no record and which the head has not passed, if
     * the claim that covers it is a dead sender's: the one with {@link ChannelDescriptor#CLAIM_WON}
     * that covers it, or else the only claim that starts at {@code p} (its sender died between the
     * compare-and-set and the mark). {@code p} is the claim's start, its lap's end (after
     * padding), or where the records its sender wrote end ({@link #firstUnwritten}); what is
     * passed over is the claim from {@code p} to its end. Nothing is written while a live sender's
     * claim covers {@code p}, nor when the claim cannot be told (two dead unmarked claims start
     * there).
     */
    private static void repairAt(ChannelMemory m, long p, long tail) {
        if (tail - p <= 0) {
            return; // not claimed yet
        }
        long wonStart = -1;
        long wonEnd = -1;
        long onlyEnd = -1;
        int unmarked = 0;
        for (int id = 0; id < m.endpoints.slots; id++) {
            if (!m.endpoints.isSender(id)) {
                continue;
            }
            long s = m.endpoints.slot(id);
            long start = (long) LONG.getAcquire(m.body, s + EP_CLAIM_START_OFFSET);
            long endWord = m.body.get(ValueLayout.JAVA_LONG, s + EP_CLAIM_END_OFFSET);
            long end = endWord & ~CLAIM_WON;
            if (start < 0 || start - p > 0 || end - p <= 0 || !plausible(m, start, end)) {
                continue; // no claim, or not one that covers p
            }
            if (m.endpoints.owner(id).isAlive()) {
                return; // a live sender writes here, or is about to publish a claim it lost again
            }
            if ((endWord & CLAIM_WON) != 0) {
                wonStart = start;
                wonEnd = end;
            } else if (start == p) {
                unmarked++;
                onlyEnd = end;
            }
        }
        long start;
        long end;
        if (wonEnd >= 0 && wonEnd - tail <= 0) {
            start = wonStart;
            end = wonEnd;
        } else if (wonEnd < 0 && unmarked == 1 && onlyEnd - tail <= 0) {
            start = p;
            end = onlyEnd;
        } else {
            return;
        }
        if (m.hasRecord(p)) {
            return; // written meanwhile
        }
        long lapEnd = lapEnd(m, start);
        if (end - lapEnd > 0) {
            if (p == start) {
                if (!m.hasRecord(lapEnd)) {
                    skip(m, lapEnd, end);
                }
                LONG.setRelease(m.records, start & m.mask, tag(start, PADDING));
            } else if (p - lapEnd >= 0) {
                skip(m, p, end); // the claim's records from p on, which its sender did not write
            } else {
                return; // not where a record of this claim starts
            }
        } else {
            skip(m, p, end); // p is start, or where the records a batch's sender wrote end
        }
        LONG.getAndAdd(m.body, (long) SKIPPED_OFFSET, 1L);
    }

    /** Writes skip records over {@code [from, to)}, the last one first; a skip's length is an int, so a long region takes two. */
    private static void skip(ChannelMemory m, long from, long to) {
        long first = to - from;
        long second = 0;
        if (first > MAX_SKIP) {
            second = first - (MAX_SKIP - HEADER_LENGTH);
            first = MAX_SKIP - HEADER_LENGTH;
        }
        if (second > 0) {
            writeSkip(m, from + first, second);
        }
        writeSkip(m, from, first);
    }

    private static void writeSkip(ChannelMemory m, long position, long length) {
        long index = position & m.mask;
        m.records.set(ValueLayout.JAVA_INT, index + LENGTH_OFFSET, (int) (length - HEADER_LENGTH));
        LONG.setRelease(m.records, index, tag(position, SKIP));
    }

    /** {@return the start of the lap after the one {@code position} is in} */
    private static long lapEnd(ChannelMemory m, long position) {
        return position - (position & m.mask) + m.capacity;
    }

    /**
     * {@return whether {@code [start, end)} is a claim a sender of this channel could make}: both
     * positions, at most the capacity apart, holding at least one record's header after padding
     * to the lap's end if it crosses it, and ending within the next lap (a batch's claim holds
     * many records, in one lap). A slot of a broken or hostile process may hold anything.
     */
    private static boolean plausible(ChannelMemory m, long start, long end) {
        if (start < 0 || !isPosition(start | end) || end - start <= 0 || end - start > m.capacity) {
            return false;
        }
        long lapEnd = lapEnd(m, start);
        long records = end - lapEnd > 0 ? end - lapEnd : end - start;
        return records >= HEADER_LENGTH;
    }
}
